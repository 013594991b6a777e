import { invalidField } from '../errors.js';
import { regionContains } from '../regions/region-codes.js';
import { regionTable } from '../regions/region-table.js';
import type { HallRepository, StoredHall } from './hall-repository.js';

export interface Coordinates {
  readonly lat: number;
  readonly lng: number;
}

const EARTH_RADIUS_METRES = 6_371_008.8;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function greatCircleMetres(a: Coordinates, b: Coordinates): number {
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Service halls that handle an item within a region, nearest first from a point.
 * 1. the region, when given, must be a GB/T 2260 code, the point a latitude and longitude (422);
 * 2. halls handling the item (when given) located in the region or inside it;
 * 3. with a point: ordered by great-circle distance, which each hall carries; else by region and name.
 */
export async function findHalls(
  deps: { halls: HallRepository },
  input: { itemCode?: string; region?: string; near?: Coordinates; limit: number },
): Promise<(StoredHall & { distanceMetres?: number })[]> {
  if (input.region !== undefined && !regionTable().get(input.region)) throw invalidField('query.region', 'is not a GB/T 2260 region code');
  if (input.near && (Math.abs(input.near.lat) > 90 || Math.abs(input.near.lng) > 180)) throw invalidField('query.near', 'must be a latitude from -90 to 90 and a longitude from -180 to 180');
  const matching = (await deps.halls.list()).filter(
    (hall) => (input.itemCode === undefined || hall.itemCodes.includes(input.itemCode)) && (input.region === undefined || regionContains(input.region, hall.region)),
  );
  const near = input.near;
  if (!near) return matching.sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name, 'zh')).slice(0, input.limit);
  return matching
    .map((hall) => ({ ...hall, distanceMetres: Math.round(greatCircleMetres(near, hall.location)) }))
    .sort((a, b) => a.distanceMetres - b.distanceMetres || a.id.localeCompare(b.id))
    .slice(0, input.limit);
}
