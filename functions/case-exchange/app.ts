import { caseExchangeFunction } from '../../infra/manifest.js';
import { caseExchangeMessage } from '../../shared/cases/case-exchange-messages.js';
import { casePersonalData, casePublisher, caseStore } from '../../shared/cases/case-services.js';
import { catalogImplementationLookup } from '../../shared/cases/catalog-implementation-lookup.js';
import { receiveCaseMessage } from '../../shared/cases/receive-case-message.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { createQueueHandler, messageBody, type QueueHandler } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';

/** Cases and case updates from partner platforms (GB/T 39047 6.2.3), from the case-exchange-inbound queue. */
export type CaseExchangeDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues' | 'vault'>;

export function createHandler(deps: CaseExchangeDependencies): QueueHandler {
  const store = caseStore(deps, caseExchangeFunction);
  const personalData = casePersonalData(deps);
  const receiving = {
    ...store,
    implementations: catalogImplementationLookup(catalogRepository(deps.tables)),
    personalData,
    queues: deps.queues,
    publish: casePublisher(store, { queues: deps.queues, personalData, logger: deps.logger }),
  };
  return createQueueHandler(deps, async (record) => {
    const message = messageBody(record, caseExchangeMessage, 'case exchange message');
    const outcome = await receiveCaseMessage(receiving, message);
    deps.logger.info('case exchange message', { messageId: message.messageId, kind: message.kind, source: message.source, seq: message.seq, outcome });
  });
}
