import type { Context, SQSEvent } from 'aws-lambda';
import { accessEventsFunction } from '../../infra/manifest.js';
import { accessEventBatch } from '../../shared/access/access-event.js';
import { accessStatsRepository } from '../../shared/access/access-stats-repository.js';
import { accessStatistics } from '../../shared/access/aggregate-access.js';
import { consumeAccessEventBatch } from '../../shared/access/consume-access-event-batch.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { createQueueHandler, messageBody } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { accessEventsSchemas } from './schemas.js';

/** Access monitoring (GB/T 39047 6.2.4): the consumer of the access-events queue (aggregates, and the raw events for Athena) and the statistics route. */
export type AccessEventsDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'blobs'>;

export function createHandler(deps: AccessEventsDependencies) {
  const stats = accessStatsRepository(deps.tables);
  const api = createApiHandler(accessEventsFunction, accessEventsSchemas, deps, {
    getAccessStatistics: async ({ query }) => ({ body: await accessStatistics({ stats }, query) }),
  });
  const queue = createQueueHandler(deps, async (record) => {
    await consumeAccessEventBatch({ clock: deps.clock, stats, blobs: deps.blobs }, messageBody(record, accessEventBatch, 'access event batch'));
  });
  return (event: Parameters<ApiHandler>[0] | SQSEvent, context: Context) => ('Records' in event ? queue(event, context) : api(event, context));
}
