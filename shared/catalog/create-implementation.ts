import type { Principal } from '../auth/principal.js';
import { forbidden, invalidField } from '../errors.js';
import { regionTable } from '../regions/region-table.js';
import { implementationId, type Implementation } from './catalog-model.js';
import { assertMayActFor, catalogEditor, type CatalogEditor } from './catalog-editor.js';
import type { CatalogRepository } from './catalog-repository.js';
import { versionState, type CatalogWriteDependencies, type VersionState } from './catalog-writes.js';

/** The fields of an implementation an editor sends: the agency's own refinements and name. */
export type ImplementationFields = Omit<Implementation, 'itemCode' | 'region' | 'agency'> & { readonly agencyName: string };

/**
 * Checks what an agency sets against the published basic item: it may only refine it, so its
 * promised limit stays within the legal one (422; also when the item is not published).
 */
export async function assertRefinesBasicItem(catalog: CatalogRepository, itemCode: string, fields: ImplementationFields): Promise<void> {
  const basic = (await catalog.basicItems.head(itemCode))?.published;
  if (!basic) throw invalidField('itemCode', 'is not a published item of the basic catalog');
  if (fields.promisedDays !== undefined && fields.promisedDays > basic.legalDays) {
    throw invalidField('promisedDays', `must not exceed the legal limit of ${basic.legalDays} days`);
  }
}

/** the agency an editor acts for: staff for their own, admins for the one they name */
function actingAgency(editor: CatalogEditor, requested: string | undefined): string {
  if (editor.isAdmin) {
    if (!requested) throw invalidField('agencyUscc', 'is required when an administrator creates an implementation');
    return requested;
  }
  if (requested !== undefined && requested !== editor.agency) throw forbidden('Staff implement items for their own agency only', 'other_agency');
  return editor.agency!;
}

export function assertKnownRegion(region: string, field = 'region'): void {
  if (!regionTable().get(region)) throw invalidField(field, 'is not a GB/T 2260 region code');
}

/**
 * An agency starts implementing a basic item in a region (implementation list, 实施清单).
 * 1. agency staff act for their own agency, administrators for the agency they name (403/422);
 * 2. the region must be a GB/T 2260 code (422) within the agency's registered region (403);
 * 3. the basic item must be published and the agency's promised limit within the legal one (422);
 * 4. version 1 is written, unpublished; an item already implemented in the region is 409.
 */
export async function createImplementation(
  deps: CatalogWriteDependencies,
  input: { principal: Principal | undefined; itemCode: string; region: string; agencyUscc?: string; fields: ImplementationFields },
): Promise<VersionState & { id: string }> {
  const editor = catalogEditor(input.principal);
  const uscc = actingAgency(editor, input.agencyUscc);
  assertKnownRegion(input.region);
  assertMayActFor(editor, uscc, input.region);
  await assertRefinesBasicItem(deps.catalog, input.itemCode, input.fields);
  const id = implementationId(input.itemCode, input.region);
  const head = await deps.catalog.implementations.create(id, toImplementation(input.itemCode, input.region, uscc, input.fields), editor, deps.clock.now(), uscc);
  return { id, ...versionState(head) };
}

export function toImplementation(itemCode: string, region: string, uscc: string, fields: ImplementationFields): Implementation {
  const { agencyName, ...own } = fields;
  return { itemCode, region, agency: { uscc, name: agencyName }, ...own };
}
