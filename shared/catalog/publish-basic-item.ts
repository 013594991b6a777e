import type { Principal } from '../auth/principal.js';
import { notFound } from '../errors.js';
import { announceChanges } from './catalog-changes.js';
import { catalogEditor } from './catalog-editor.js';
import { assertAdmin, versionState, type CatalogWriteDependencies, type VersionState } from './catalog-writes.js';

/**
 * Publishes a version of a basic item (default: the latest).
 * 1. administrators only (403); 404 for an unknown item or version;
 * 2. the version becomes current: every implementation that does not set a field of its own now
 *    shows the new value, since guides merge at read time;
 * 3. the publication is announced to the indexer, which re-projects the item and its guides.
 */
export async function publishBasicItem(
  deps: CatalogWriteDependencies,
  input: { principal: Principal | undefined; code: string; version?: number },
): Promise<VersionState> {
  const editor = catalogEditor(input.principal);
  assertAdmin(editor);
  const head = await deps.catalog.basicItems.head(input.code);
  if (!head) throw notFound(`No basic item ${input.code}`, 'item_not_found');
  const version = input.version ?? head.latestVersion;
  const published = await deps.catalog.basicItems.publish(input.code, version, deps.clock.now());
  await announceChanges(deps.queues, [{ kind: 'basic-item', key: input.code, version, publishCount: published.publishCount }]);
  return versionState(published);
}
