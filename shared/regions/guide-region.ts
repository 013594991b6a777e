import { NATIONAL } from './region-codes.js';
import { regionTable } from './region-table.js';

/** A region as guides and search hits name it: code, own name, full name from the province down. */
export interface GuideRegion {
  readonly code: string;
  readonly name: string;
  readonly fullName: string;
}

export const NATIONAL_REGION: GuideRegion = { code: NATIONAL, name: '全国', fullName: '全国' };

/** The named region of a code ('national' → 全国; a code the table lacks keeps the code as its name). */
export function guideRegion(code: string): GuideRegion {
  if (code === NATIONAL) return NATIONAL_REGION;
  const table = regionTable();
  return { code, name: table.get(code)?.name ?? code, fullName: table.fullName(code) || code };
}
