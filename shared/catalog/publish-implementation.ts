import type { Principal } from '../auth/principal.js';
import { notFound } from '../errors.js';
import { parseImplementationId } from './catalog-model.js';
import { announceChanges } from './catalog-changes.js';
import { assertMayActFor, catalogEditor } from './catalog-editor.js';
import { versionState, type CatalogWriteDependencies, type VersionState } from './catalog-writes.js';

/**
 * Publishes a version of an implementation (default: the latest).
 * 1. 404 for an unknown implementation or version; staff of the owning agency or administrators only (403);
 * 2. the version becomes the guide of the item in that region;
 * 3. the publication is announced to the indexer, which re-projects the region's guide.
 */
export async function publishImplementation(
  deps: CatalogWriteDependencies,
  input: { principal: Principal | undefined; id: string; version?: number },
): Promise<VersionState> {
  const editor = catalogEditor(input.principal);
  const parsed = parseImplementationId(input.id);
  const head = parsed ? await deps.catalog.implementations.head(input.id) : undefined;
  if (!parsed || !head?.owner) throw notFound(`No implementation ${input.id}`, 'implementation_not_found');
  assertMayActFor(editor, head.owner, parsed.region);
  const version = input.version ?? head.latestVersion;
  const published = await deps.catalog.implementations.publish(input.id, version, deps.clock.now());
  await announceChanges(deps.queues, [{ kind: 'implementation', key: input.id, version, publishCount: published.publishCount }]);
  return versionState(published);
}
