/**
 * The service catalog (GB/T 39047 6.1.4, 6.2.2): national basic items, the implementation lists
 * of agencies in regions, the service guide that merges the two, life events, policies, halls.
 */

export type Audience = 'natural' | 'legal';

/** the nine kinds of government service items */
export const ITEM_KINDS = ['行政许可', '行政确认', '行政给付', '行政征收', '行政裁决', '行政奖励', '行政检查', '其他行政权力', '公共服务'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** online service depth: 1 information, 2 forms to download, 3 apply online, 4 fully online (全程网办) */
export type OnlineDepth = 1 | 2 | 3 | 4;

/** From this depth on a person can apply online, which is what the `online` filter means. */
export const ONLINE_APPLY_DEPTH = 3;

export interface Material {
  readonly name: string;
  readonly required: boolean;
  readonly note?: string;
}

/** An item of the national basic catalog (国家政务服务事项基本目录). */
export interface BasicItem {
  /** e.g. SC-XK-0001: department, kind, sequence */
  readonly code: string;
  readonly name: string;
  readonly kind: ItemKind;
  readonly department: string;
  readonly audience: readonly Audience[];
  readonly themes: readonly string[];
  /** names of the life events (one-thing bundles) the item belongs to */
  readonly lifeEvents: readonly string[];
  readonly legalBasis: string;
  /** the limit the law sets, in working days unless the statute counts calendar days */
  readonly legalDays: number;
  /** the limit promised nationally; 0 means on the spot (即办) */
  readonly promisedDays: number;
  readonly onlineDepth: OnlineDepth;
  /** an administrative charge applies (工本费, 登记费); taxes are not fees */
  readonly fee: boolean;
  readonly feeNote?: string;
  readonly materials: readonly Material[];
  /** what people call the item; searched like its name */
  readonly aliases: readonly string[];
  /** who may apply and when (受理条件) */
  readonly conditions: readonly string[];
  /** an enterprise establishment item: foreign investors pre-judge it against the negative list */
  readonly establishment?: boolean;
}

export interface ServiceWindow {
  readonly name: string;
  readonly address: string;
  readonly phone?: string;
  readonly hours?: string;
}

export interface Agency {
  /** unified social credit code of the agency */
  readonly uscc: string;
  readonly name: string;
}

/** The fields an implementation may set for itself; every other field comes from the basic item. */
export const OVERRIDABLE_FIELDS = ['promisedDays', 'onlineDepth', 'materials', 'fee', 'feeNote', 'conditions', 'windows', 'onlineUrl', 'contactPhone'] as const;
export type OverridableField = (typeof OVERRIDABLE_FIELDS)[number];

/**
 * An agency's implementation of a basic item in a region (实施清单). It may only refine the
 * basic item: its own promised days within the legal limit, its materials, fees, windows,
 * online entry and contact.
 */
export interface Implementation {
  readonly itemCode: string;
  /** GB/T 2260 code of the region the agency serves */
  readonly region: string;
  readonly agency: Agency;
  readonly promisedDays?: number;
  readonly onlineDepth?: OnlineDepth;
  readonly materials?: readonly Material[];
  readonly fee?: boolean;
  readonly feeNote?: string;
  readonly conditions?: readonly string[];
  readonly windows?: readonly ServiceWindow[];
  /** https URL where the service is applied for online */
  readonly onlineUrl?: string;
  readonly contactPhone?: string;
}

/** the id of the implementation of an item in a region: one agency implements an item per region */
export const implementationId = (itemCode: string, region: string) => `${itemCode}@${region}`;

export function parseImplementationId(id: string): { itemCode: string; region: string } | undefined {
  const match = /^([A-Z]{2}-[A-Z]{2}-\d{4})@(\d{6})$/.exec(id);
  return match ? { itemCode: match[1]!, region: match[2]! } : undefined;
}

/** A one-thing bundle (一件事): items done together for one life event, with a shared form. */
export interface LifeEvent {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** the items in the order they are handled */
  readonly itemCodes: readonly string[];
  /** what the shared form asks once for every item */
  readonly sharedForm: readonly { readonly field: string; readonly label: string }[];
  readonly aliases: readonly string[];
}

/** A policy document (政策文件). */
export interface Policy {
  readonly id: string;
  readonly title: string;
  readonly issuer: string;
  /** ISO date (YYYY-MM-DD) */
  readonly issuedOn: string;
  /** GB/T 2260 code, or 'national' */
  readonly region: string;
  readonly themes: readonly string[];
  readonly body: string;
  readonly relatedItems: readonly string[];
}

/** A service hall (政务服务大厅) and the items it handles. */
export interface Hall {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly region: string;
  readonly location: { readonly lat: number; readonly lng: number };
  readonly openingHours: string;
  readonly itemCodes: readonly string[];
  readonly agency: Agency;
  readonly phone?: string;
}

/** one measure of the foreign-investment negative list */
export interface NegativeListMeasure {
  readonly no: number;
  readonly sector: string;
  readonly kind: 'prohibited' | 'restricted';
  readonly summary: string;
  /** words of business-scope text that fall under the measure */
  readonly industryHints: readonly string[];
  /** the wording is from memory of an earlier edition, not confirmed for this one */
  readonly unverified?: boolean;
}

export interface NegativeList {
  readonly edition: string;
  /** ISO date the edition is in force from */
  readonly effective: string;
  readonly measures: readonly NegativeListMeasure[];
}
