import type { Principal } from '../auth/principal.js';
import { notFound } from '../errors.js';
import { parseImplementationId } from './catalog-model.js';
import { assertMayActFor, catalogEditor } from './catalog-editor.js';
import { versionState, type CatalogWriteDependencies, type VersionState } from './catalog-writes.js';
import { assertRefinesBasicItem, toImplementation, type ImplementationFields } from './create-implementation.js';

/**
 * Changes an implementation: its own fields are replaced by the ones sent, as a new version.
 * 1. 404 for an unknown implementation; staff of the owning agency or administrators only (403);
 * 2. the fields must still only refine the published basic item (422);
 * 3. the new version is written on top of `expectedVersion` (else 409), recording what changed.
 */
export async function updateImplementation(
  deps: CatalogWriteDependencies,
  input: { principal: Principal | undefined; id: string; fields: ImplementationFields; expectedVersion: number },
): Promise<VersionState & { changes: readonly string[] }> {
  const editor = catalogEditor(input.principal);
  const parsed = parseImplementationId(input.id);
  const head = parsed ? await deps.catalog.implementations.head(input.id) : undefined;
  if (!parsed || !head?.owner) throw notFound(`No implementation ${input.id}`, 'implementation_not_found');
  assertMayActFor(editor, head.owner, parsed.region);
  await assertRefinesBasicItem(deps.catalog, parsed.itemCode, input.fields);
  const content = toImplementation(parsed.itemCode, parsed.region, head.owner, input.fields);
  const { head: next, record } = await deps.catalog.implementations.update(input.id, content, input.expectedVersion, editor, deps.clock.now());
  return { ...versionState(next), changes: record.changes };
}
