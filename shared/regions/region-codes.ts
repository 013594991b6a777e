/**
 * GB/T 2260 region codes by their structure alone (no table): six digits, two for the province,
 * two for the city (prefecture), two for the county. Used where the table would cost too much
 * (the search function): a code's candidate ancestors are found by zeroing its tail; a candidate
 * that is not a real region simply matches nothing.
 */
export const REGION_CODE = /^[1-9]\d{5}$/;

/** the region value of content that applies everywhere (the national catalog, national policies) */
export const NATIONAL = 'national';

export type RegionLevel = 'province' | 'city' | 'county';

export function regionLevelOf(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** The code and its structural ancestors, most local first: 330106 → [330106, 330100, 330000]. */
export function structuralRegionChain(code: string): string[] {
  const chain = [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`];
  return [...new Set(chain)];
}

/** True when `inner` is `outer` or lies inside it (330106 lies inside 330100 and 330000). */
export function regionContains(outer: string, inner: string): boolean {
  const level = regionLevelOf(outer);
  const prefix = level === 'province' ? outer.slice(0, 2) : level === 'city' ? outer.slice(0, 4) : outer;
  return inner.startsWith(prefix);
}
