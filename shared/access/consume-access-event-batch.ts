import { accessRawEvents, archiveRawEvents } from '../analytics/raw-event-archive.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { AccessEventBatch } from './access-event.js';
import type { AccessStatsRepository } from './access-stats-repository.js';
import { aggregateAccessEvents } from './aggregate-access.js';

/**
 * Consumes one batch of the access-events queue (GB/T 39047 6.2.4, 6.2.7):
 * 1. the raw events archived for the big-data path, one file per batch and day (rewritten
 *    unchanged when the batch comes again, so it is archived before the aggregation claims it);
 * 2. the batch added to the per-day aggregates (once per batch id).
 */
export async function consumeAccessEventBatch(deps: { clock: Clock; stats: AccessStatsRepository; blobs: Pick<BlobStore, 'put'> }, batch: AccessEventBatch): Promise<boolean> {
  await archiveRawEvents(deps, { kind: 'access', batchId: batch.batchId, events: accessRawEvents(batch) });
  return aggregateAccessEvents(deps, batch);
}
