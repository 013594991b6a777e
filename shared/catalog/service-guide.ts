import { ONLINE_APPLY_DEPTH, OVERRIDABLE_FIELDS, implementationId, type Agency, type BasicItem, type Implementation, type ServiceWindow } from './catalog-model.js';

/**
 * The service guide (办事指南) of an item in a region: the basic item with what the implementing
 * agency set for itself. Fields the agency does not set follow the basic item, so a change to
 * the basic item reaches every such implementation at once ("same source, synchronized update").
 */
export interface MergedGuide extends Omit<BasicItem, 'establishment'> {
  /** the item can be applied for online here */
  readonly onlineApply: boolean;
  readonly windows: readonly ServiceWindow[];
  readonly onlineUrl?: string;
  readonly contactPhone?: string;
  /** the region whose implementation this is, or 'national' for the basic item alone */
  readonly region: string;
  readonly implementation?: { readonly id: string; readonly agency: Agency; readonly overrides: readonly string[] };
  readonly establishment: boolean;
}

/**
 * Merges a basic item with an implementation (or none: the national guide).
 * A promised limit never exceeds the legal one, even when the legal limit was lowered after the
 * agency set its own.
 */
export function mergeGuide(item: BasicItem, implementation?: Implementation): MergedGuide {
  const own = <K extends keyof Implementation>(field: K) => implementation?.[field];
  const promisedDays = Math.min(own('promisedDays') ?? item.promisedDays, item.legalDays);
  const onlineDepth = own('onlineDepth') ?? item.onlineDepth;
  const feeNote = own('feeNote') ?? item.feeNote;
  const onlineUrl = own('onlineUrl');
  const contactPhone = own('contactPhone');
  return {
    code: item.code,
    name: item.name,
    kind: item.kind,
    department: item.department,
    audience: item.audience,
    themes: item.themes,
    lifeEvents: item.lifeEvents,
    aliases: item.aliases,
    legalBasis: item.legalBasis,
    legalDays: item.legalDays,
    promisedDays,
    onlineDepth,
    onlineApply: onlineDepth >= ONLINE_APPLY_DEPTH,
    fee: own('fee') ?? item.fee,
    ...(feeNote === undefined ? {} : { feeNote }),
    conditions: own('conditions') ?? item.conditions,
    materials: own('materials') ?? item.materials,
    windows: own('windows') ?? [],
    ...(onlineUrl === undefined ? {} : { onlineUrl }),
    ...(contactPhone === undefined ? {} : { contactPhone }),
    region: implementation?.region ?? 'national',
    ...(implementation
      ? {
          implementation: {
            id: implementationId(implementation.itemCode, implementation.region),
            agency: implementation.agency,
            overrides: OVERRIDABLE_FIELDS.filter((field) => implementation[field] !== undefined),
          },
        }
      : {}),
    establishment: item.establishment === true,
  };
}
