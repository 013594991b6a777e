import * as z from 'zod/mini';
import type { QueuePublisher } from '../ports/queue.js';

/**
 * A publication in the catalog, announced on the `catalog-changes` queue: which entity, which of
 * its versions became current, and how many publications it has had (the order of its search
 * documents). The indexer reads the version itself from the table, so a message is small and a
 * repeated or late one projects exactly what it names.
 */
export const catalogChange = z.object({
  kind: z.enum(['basic-item', 'implementation', 'policy', 'life-event']),
  key: z.string().check(z.minLength(1), z.maxLength(128)),
  version: z.number().check(z.int(), z.minimum(1)),
  publishCount: z.number().check(z.int(), z.minimum(1), z.maximum(999_999)),
});

export type CatalogChange = z.infer<typeof catalogChange>;

export const CATALOG_CHANGES_QUEUE = 'catalog-changes';

/** Sends publications to the indexer (in batches of ten, as SQS takes them). */
export async function announceChanges(queues: QueuePublisher, changes: readonly CatalogChange[]): Promise<void> {
  for (let i = 0; i < changes.length; i += 10) {
    await queues.send(CATALOG_CHANGES_QUEUE, changes.slice(i, i + 10).map((change) => ({ body: change })));
  }
}
