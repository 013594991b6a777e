import { invalidField, notFound } from '../errors.js';
import { NATIONAL, regionContains } from '../regions/region-codes.js';
import { guideRegion, type GuideRegion } from '../regions/guide-region.js';
import { regionTable } from '../regions/region-table.js';
import { implementationId, type Implementation } from './catalog-model.js';
import type { CatalogRepository } from './catalog-repository.js';
import { EVERY_PUBLISHED } from './catalog-repository.js';
import type { HallRepository, StoredHall } from './hall-repository.js';
import { trackPopularity, type PopularityRepository, type WarningLog } from './popularity-repository.js';
import { mergeGuide, type MergedGuide } from './service-guide.js';


export interface ServiceGuide extends Omit<MergedGuide, 'region'> {
  readonly region: GuideRegion;
  readonly basicVersion: number;
  readonly implementationVersion?: number;
  readonly halls: readonly Pick<StoredHall, 'id' | 'name' | 'address' | 'region' | 'openingHours' | 'phone' | 'location'>[];
  readonly lifeEventIds: readonly { readonly id: string; readonly name: string }[];
  /** where a foreign investor pre-judges this establishment against the negative list */
  readonly negativeListPrejudge?: string;
}

const MAX_HALLS = 20;

/** The published implementation nearest to a region: the region itself, then each enclosing region. */
export async function nearestImplementation(catalog: CatalogRepository, itemCode: string, region: string | undefined): Promise<{ content: Implementation; version: number } | undefined> {
  if (region === undefined) return undefined;
  for (const { code } of regionTable().chain(region)) {
    const head = await catalog.implementations.head(implementationId(itemCode, code));
    if (head?.published && head.publishedVersion !== undefined) return { content: head.published, version: head.publishedVersion };
  }
  return undefined;
}

/**
 * The service guide of an item for a region (办事指南).
 * 1. the item must be published in the basic catalog (404); the region, when given, must be a
 *    GB/T 2260 code (422);
 * 2. the nearest published implementation: county, then city, then province; none → the
 *    national guide of the basic item;
 * 3. merge: the agency's own fields over the basic item's;
 * 4. add the halls in that region that handle the item, nearest region first, the life events
 *    the item belongs to, and for establishments the negative-list pre-judgment;
 * 5. count the view for the region's popularity (best effort).
 */
export async function getServiceGuide(
  deps: { catalog: CatalogRepository; halls: HallRepository; popularity: PopularityRepository; logger: WarningLog },
  input: { itemCode: string; region?: string },
): Promise<ServiceGuide> {
  const head = await deps.catalog.basicItems.head(input.itemCode);
  if (!head?.published || head.publishedVersion === undefined) throw notFound(`No published item ${input.itemCode}`, 'item_not_found');
  if (input.region !== undefined && !regionTable().get(input.region)) throw invalidField('query.region', 'is not a GB/T 2260 region code');
  const [implementation, halls, lifeEvents] = await Promise.all([
    nearestImplementation(deps.catalog, input.itemCode, input.region),
    deps.halls.list(),
    deps.catalog.lifeEvents.listPublished(EVERY_PUBLISHED),
  ]);
  const merged = mergeGuide(head.published, implementation?.content);
  const hallRegion = implementation?.content.region ?? input.region;
  await trackPopularity(deps, { regions: [input.region ?? NATIONAL, NATIONAL], itemCode: input.itemCode, event: 'views' });
  return {
    ...merged,
    region: guideRegion(merged.region),
    basicVersion: head.publishedVersion,
    ...(implementation ? { implementationVersion: implementation.version } : {}),
    halls: hallRegion === undefined ? [] : hallsFor(halls, input.itemCode, hallRegion, input.region),
    lifeEventIds: lifeEvents.flatMap((event) => (event.published?.itemCodes.includes(input.itemCode) ? [{ id: event.published.id, name: event.published.name }] : [])),
    ...(merged.establishment ? { negativeListPrejudge: '/v1/negative-list/prejudge' } : {}),
  };
}

/** halls inside `region` handling the item, those in the asker's own region first */
function hallsFor(halls: readonly StoredHall[], itemCode: string, region: string, askedRegion: string | undefined): ServiceGuide['halls'] {
  return halls
    .filter((hall) => hall.itemCodes.includes(itemCode) && regionContains(region, hall.region))
    .sort((a, b) => Number(b.region === askedRegion) - Number(a.region === askedRegion) || a.name.localeCompare(b.name, 'zh'))
    .slice(0, MAX_HALLS)
    .map(({ id, name, address, region: hallRegion, openingHours, phone, location }) => ({ id, name, address, region: hallRegion, openingHours, location, ...(phone ? { phone } : {}) }));
}
