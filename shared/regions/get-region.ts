import { invalidField, notFound } from '../errors.js';
import { REGION_CODE } from './region-codes.js';
import { regionTable, type Region } from './region-table.js';

export interface RegionView extends Region {
  readonly fullName: string;
  /** enclosing regions, nearest first */
  readonly parents: readonly Region[];
  readonly children: readonly Region[];
}

/**
 * A GB/T 2260 region with its parent chain and children (map service, GB/T 39047 6.3.6).
 * 422 for something that is not a six-digit code, 404 for a code the table does not hold.
 */
export function getRegion(input: { code: string }): RegionView {
  if (!REGION_CODE.test(input.code)) throw invalidField('path.code', 'must be a six-digit GB/T 2260 code');
  const table = regionTable();
  const region = table.get(input.code);
  if (!region) throw notFound(`No region ${input.code}`, 'region_not_found');
  return { ...region, fullName: table.fullName(input.code), parents: table.chain(input.code).slice(1), children: table.children(input.code) };
}
