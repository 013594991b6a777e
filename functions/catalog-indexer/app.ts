import { catalogChange } from '../../shared/catalog/catalog-changes.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { indexCatalogChange } from '../../shared/catalog/index-catalog-change.js';
import { malformed } from '../../shared/errors.js';
import { createQueueHandler, type QueueHandler } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';

/** Keeps the search index a projection of the published catalog (consumer of catalog-changes). */
export type CatalogIndexerDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'search'>;

export function createHandler(deps: CatalogIndexerDependencies): QueueHandler {
  const catalog = catalogRepository(deps.tables);
  return createQueueHandler(deps, async (record) => {
    const parsed = catalogChange.safeParse(readJson(record.body));
    if (!parsed.success) throw malformed('not a catalog change message');
    const outcome = await indexCatalogChange({ catalog, search: deps.search }, parsed.data);
    if (outcome.skipped) deps.logger.warn('catalog change skipped', { messageId: record.messageId, reason: outcome.skipped });
    else if (outcome.stale.length > 0) deps.logger.info('stale catalog change ignored', { messageId: record.messageId, stale: outcome.stale });
  });
}

/** the message body as JSON; a body that is not JSON cannot become valid by retrying */
function readJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw malformed('a catalog change message must be JSON');
  }
}
