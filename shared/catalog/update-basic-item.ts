import type { Principal } from '../auth/principal.js';
import { invalidField } from '../errors.js';
import type { BasicItem } from './catalog-model.js';
import { catalogEditor } from './catalog-editor.js';
import { assertAdmin, versionState, type CatalogWriteDependencies, type VersionState } from './catalog-writes.js';
import { assertConsistentBasicItem } from './create-basic-item.js';

/**
 * Changes a basic item: a new version on top of the one the editor saw.
 * 1. administrators only (403); the code in the body must equal the path's (422);
 * 2. the promised limit must lie within the legal one (422);
 * 3. the new version is written if nobody changed the item since `expectedVersion` (else 409),
 *    recording which fields changed; the published version stays current until this one is published.
 */
export async function updateBasicItem(
  deps: CatalogWriteDependencies,
  input: { principal: Principal | undefined; code: string; item: BasicItem; expectedVersion: number },
): Promise<VersionState & { changes: readonly string[] }> {
  const editor = catalogEditor(input.principal);
  assertAdmin(editor);
  if (input.item.code !== input.code) throw invalidField('code', 'must equal the code in the path');
  assertConsistentBasicItem(input.item);
  const { head, record } = await deps.catalog.basicItems.update(input.code, input.item, input.expectedVersion, editor, deps.clock.now());
  return { ...versionState(head), changes: record.changes };
}
