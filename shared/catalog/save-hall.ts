import { ulid } from 'ulid';
import type { Principal } from '../auth/principal.js';
import { forbidden, invalidField, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { assertMayActFor, catalogEditor, type CatalogEditor } from './catalog-editor.js';
import type { Hall } from './catalog-model.js';
import type { CatalogRepository } from './catalog-repository.js';
import { assertKnownRegion } from './create-implementation.js';
import type { HallRepository, StoredHall } from './hall-repository.js';

export type HallFields = Omit<Hall, 'id' | 'agency'> & { readonly agencyName: string; readonly agencyUscc?: string };

interface HallDependencies {
  readonly halls: HallRepository;
  readonly catalog: CatalogRepository;
  readonly clock: Clock;
}

async function checkedHall(deps: HallDependencies, editor: CatalogEditor, id: string, fields: HallFields, owner: string | undefined): Promise<Hall> {
  const { agencyName, agencyUscc, ...hall } = fields;
  const uscc = owner ?? (editor.isAdmin ? agencyUscc : editor.agency);
  if (!uscc) throw invalidField('agencyUscc', 'is required when an administrator registers a hall');
  if (owner === undefined && !editor.isAdmin && agencyUscc !== undefined && agencyUscc !== editor.agency) {
    throw forbidden('Staff register halls of their own agency only', 'other_agency');
  }
  assertKnownRegion(hall.region);
  assertMayActFor(editor, uscc, hall.region);
  const published = new Set((await deps.catalog.basicItems.heads(hall.itemCodes)).filter((head) => head.published).map((head) => head.key));
  const unknown = hall.itemCodes.filter((code) => !published.has(code));
  if (unknown.length > 0) throw invalidField('itemCodes', `are not published basic items: ${unknown.join(', ')}`);
  return { id, ...hall, agency: { uscc, name: agencyName } };
}

/**
 * Registers a service hall (map service, GB/T 39047 6.3.6).
 * 1. staff for their own agency, administrators for the agency they name (403/422);
 * 2. the region must be a GB/T 2260 code served by the agency (422/403), the items published (422);
 * 3. the hall is stored at version 1.
 */
export async function createHall(deps: HallDependencies, input: { principal: Principal | undefined; fields: HallFields }): Promise<StoredHall> {
  const editor = catalogEditor(input.principal);
  const hall = await checkedHall(deps, editor, `HALL-${ulid()}`, input.fields, undefined);
  return deps.halls.save(hall, 0, deps.clock.now());
}

/**
 * Changes a service hall.
 * 1. 404 for an unknown hall; staff of the owning agency or administrators only (403);
 * 2. checked as on registration; the agency stays the owner;
 * 3. stored on top of `expectedVersion` (else 409).
 */
export async function updateHall(
  deps: HallDependencies,
  input: { principal: Principal | undefined; id: string; fields: HallFields; expectedVersion: number },
): Promise<StoredHall> {
  const editor = catalogEditor(input.principal);
  const current = await deps.halls.get(input.id);
  if (!current) throw notFound(`No hall ${input.id}`, 'hall_not_found');
  assertMayActFor(editor, current.agency.uscc, current.region);
  const hall = await checkedHall(deps, editor, input.id, input.fields, current.agency.uscc);
  return deps.halls.save(hall, input.expectedVersion, deps.clock.now());
}
