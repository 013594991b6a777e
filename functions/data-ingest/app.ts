import { ingestMessage } from '../../shared/exchange/ingest-message.js';
import { exchangeServices } from '../../shared/exchange/exchange-services.js';
import { createQueueHandler, type QueueHandler } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';

/** Takes in what regional and departmental platforms push on exchange-inbound (GB/T 39047 §6.3.5). */
export type DataIngestDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues' | 'vault' | 'blobs'>;

export function createHandler(deps: DataIngestDependencies): QueueHandler {
  const services = exchangeServices(deps);
  const ingestion = { ...services, blobs: deps.blobs };
  return createQueueHandler(deps, (record) => ingestMessage(ingestion, { messageKey: record.messageId, body: record.body }));
}
