import type { RealNameLevel } from '../auth/principal.js';

/**
 * What cases need to know of the catalog about an item in a region: who implements it, how long
 * it may take, what it needs. Narrow on purpose, so cases depend on nothing else of the catalog.
 */
export interface ImplementationFacts {
  readonly itemCode: string;
  readonly itemName: string;
  readonly itemKind: string;
  /** the region of the implementing agency (the requested one, or the city or province above it) */
  readonly region: string;
  readonly agency: { readonly uscc: string; readonly name: string };
  readonly legalBasis: string;
  readonly legalDays: number;
  /** working days promised; 0 means on the spot (即办) */
  readonly promisedDays: number;
  /** the item can be applied for online here (online depth 3 or 4) */
  readonly onlineApply: boolean;
  readonly materials: readonly { readonly name: string; readonly required: boolean }[];
  /** the real-name level an applicant needs */
  readonly minLevel: RealNameLevel;
}

export interface ImplementationLookup {
  /** the published implementation that serves a region (its own, else the nearest enclosing one) */
  forItemInRegion(itemCode: string, region: string): Promise<ImplementationFacts | undefined>;
  /** every published implementation (supervision checks their information is complete) */
  listPublished(): AsyncIterable<ImplementationFacts>;
}
