import type { Principal } from '../auth/principal.js';
import { forbidden } from '../errors.js';
import { regionContains } from '../regions/region-codes.js';
import type { Actor } from './versioned-store.js';

/** Who may edit catalog content and for which agency. */
export interface CatalogEditor extends Actor {
  readonly isAdmin: boolean;
}

/** Admins edit everything; agency staff edit what their agency implements. Anyone else gets 403. */
export function catalogEditor(principal: Principal | undefined): CatalogEditor {
  if (!principal) throw forbidden('Sign in as agency staff or administrator');
  const isAdmin = principal.roles.includes('admin');
  if (!isAdmin && !(principal.roles.includes('staff') && principal.agency)) throw forbidden('Only agency staff and administrators edit the catalog');
  return { sub: principal.sub, isAdmin, ...(principal.agency ? { agency: principal.agency } : {}) };
}

/** The region an agency is registered in: characters 3–8 of its unified social credit code. */
export const agencyRegion = (uscc: string) => uscc.slice(2, 8);

/**
 * Checks that the editor may act for `agencyUscc` in `region`: admins always; staff only for their
 * own agency and only within the region its credit code was registered in.
 */
export function assertMayActFor(editor: CatalogEditor, agencyUscc: string, region: string): void {
  if (editor.isAdmin) return;
  if (editor.agency !== agencyUscc) throw forbidden('Staff edit the content of their own agency only', 'other_agency');
  if (!regionContains(agencyRegion(agencyUscc), region)) throw forbidden(`Your agency does not serve region ${region}`, 'outside_agency_region');
}
