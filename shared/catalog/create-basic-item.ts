import type { Principal } from '../auth/principal.js';
import { invalidField } from '../errors.js';
import type { BasicItem } from './catalog-model.js';
import { catalogEditor } from './catalog-editor.js';
import { assertAdmin, versionState, type CatalogWriteDependencies, type VersionState } from './catalog-writes.js';

/** A basic item's own rule beyond its schema: the promised limit lies within the legal one. */
export function assertConsistentBasicItem(item: BasicItem): void {
  if (item.promisedDays > item.legalDays) throw invalidField('promisedDays', `must not exceed the legal limit of ${item.legalDays} days`);
}

/**
 * Adds an item to the national basic catalog.
 * 1. the caller must be an administrator (403);
 * 2. the promised limit must lie within the legal one (422);
 * 3. version 1 is written, unpublished; a taken code is 409.
 */
export async function createBasicItem(deps: CatalogWriteDependencies, input: { principal: Principal | undefined; item: BasicItem }): Promise<VersionState> {
  const editor = catalogEditor(input.principal);
  assertAdmin(editor);
  assertConsistentBasicItem(input.item);
  return versionState(await deps.catalog.basicItems.create(input.item.code, input.item, editor, deps.clock.now()));
}
