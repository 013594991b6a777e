import { readFileSync } from 'node:fs';
import { REGION_CODE, regionLevelOf, type RegionLevel } from './region-codes.js';

/** A GB/T 2260 region: province, city (prefecture) or county. */
export interface Region {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  /** code of the enclosing region; absent for provinces */
  readonly parent?: string;
}

export interface RegionTable {
  get(code: string): Region | undefined;
  /** the region and its ancestors, most local first; empty for an unknown code */
  chain(code: string): Region[];
  children(code: string): Region[];
  /** full name from the province down, e.g. 浙江省杭州市西湖区 */
  fullName(code: string): string;
}

/**
 * The data file of the table, generated from an npm package (infra/tools/generate-region-table.ts).
 * It lies beside this module, and beside the bundle of every function that lists it in its
 * manifest `files`.
 */
export const REGION_TABLE_FILE = 'gbt2260-regions.tsv';

let table: RegionTable | undefined;

/** The real GB/T 2260 table, read once per process on first use. */
export function regionTable(): RegionTable {
  table ??= buildTable(readFileSync(new URL(`./${REGION_TABLE_FILE}`, import.meta.url), 'utf8'));
  return table;
}

/**
 * Builds the table from "<code>\t<name>" lines. A county's parent is its city when the city exists,
 * else its province (districts of municipalities, county-level cities directly under a province).
 */
export function buildTable(lines: string): RegionTable {
  const names = new Map<string, string>();
  for (const line of lines.split('\n')) {
    const [code, name] = line.split('\t');
    if (code && name) names.set(code, name);
  }
  const regions = new Map<string, Region>();
  const children = new Map<string, Region[]>();
  for (const [code, name] of names) {
    const level = regionLevelOf(code);
    const province = `${code.slice(0, 2)}0000`;
    const city = `${code.slice(0, 4)}00`;
    const parent = level === 'province' ? undefined : level === 'county' && names.has(city) ? city : names.has(province) ? province : undefined;
    const region: Region = { code, name, level, ...(parent ? { parent } : {}) };
    regions.set(code, region);
    if (parent) (children.get(parent) ?? children.set(parent, []).get(parent)!).push(region);
  }
  const get = (code: string) => (REGION_CODE.test(code) ? regions.get(code) : undefined);
  const chain = (code: string) => {
    const found: Region[] = [];
    for (let region = get(code); region; region = region.parent ? regions.get(region.parent) : undefined) found.push(region);
    return found;
  };
  return {
    get,
    chain,
    children: (code) => [...(children.get(code) ?? [])],
    fullName: (code) =>
      chain(code)
        .reverse()
        .map((region) => region.name)
        .join(''),
  };
}
