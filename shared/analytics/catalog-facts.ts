import type { BasicItem, Implementation } from '../catalog/catalog-model.js';

/** Catalog facts of one agency in one region (a snapshot: the catalog has no history per period). */
export interface CatalogCounters {
  /** published implementations (实施清单) */
  readonly implementations: number;
  /** of them with every required element filled and consistent with the basic item */
  readonly standardised: number;
  /** legal time limits of the implementations, in days, summed */
  readonly legalDays: number;
  /** days the promised limits save on the legal ones, summed: legal − promised per implementation */
  readonly savedDays: number;
  /** required materials of the implementations, summed */
  readonly requiredMaterials: number;
  /** implementations at online depth 4 (全程网办) */
  readonly fullyOnline: number;
}

export const CATALOG_COUNTERS = ['implementations', 'standardised', 'legalDays', 'savedDays', 'requiredMaterials', 'fullyOnline'] as const satisfies readonly (keyof CatalogCounters)[];

export const emptyCatalogCounters = (): CatalogCounters => ({ implementations: 0, standardised: 0, legalDays: 0, savedDays: 0, requiredMaterials: 0, fullyOnline: 0 });

/** the fields an implementation inherits from its basic item unless it sets them */
function effective(basic: BasicItem, implementation: Implementation) {
  return {
    promisedDays: implementation.promisedDays ?? basic.promisedDays,
    onlineDepth: implementation.onlineDepth ?? basic.onlineDepth,
    materials: implementation.materials ?? basic.materials,
  };
}

/**
 * Whether an implementation is standardised (事项标准化): its required elements are complete —
 * the agency (USCC and name), a contact phone, a window or an online entry, and the online entry
 * when it can be applied for online (depth 3 or more) — and consistent with the basic item: the
 * promised days within the legal limit, and every required material of the basic item asked.
 */
export function isStandardised(basic: BasicItem, implementation: Implementation): boolean {
  const { promisedDays, onlineDepth, materials } = effective(basic, implementation);
  const complete =
    Boolean(implementation.agency.uscc && implementation.agency.name && implementation.contactPhone) &&
    ((implementation.windows?.length ?? 0) > 0 || Boolean(implementation.onlineUrl)) &&
    (onlineDepth < 3 || Boolean(implementation.onlineUrl));
  const asked = new Set(materials.filter((material) => material.required).map((material) => material.name));
  const consistent = promisedDays <= basic.legalDays && basic.materials.filter((material) => material.required).every((material) => asked.has(material.name));
  return complete && consistent;
}

/** adds one published implementation of a basic item to its agency's counters */
export function addImplementation(counters: CatalogCounters, basic: BasicItem, implementation: Implementation): CatalogCounters {
  const { promisedDays, onlineDepth, materials } = effective(basic, implementation);
  return {
    implementations: counters.implementations + 1,
    standardised: counters.standardised + (isStandardised(basic, implementation) ? 1 : 0),
    legalDays: counters.legalDays + basic.legalDays,
    savedDays: counters.savedDays + Math.max(0, basic.legalDays - promisedDays),
    requiredMaterials: counters.requiredMaterials + materials.filter((material) => material.required).length,
    fullyOnline: counters.fullyOnline + (onlineDepth === 4 ? 1 : 0),
  };
}

export function addCatalogCounters(a: CatalogCounters, b: CatalogCounters): CatalogCounters {
  return Object.fromEntries(CATALOG_COUNTERS.map((name) => [name, a[name] + b[name]])) as unknown as CatalogCounters;
}
