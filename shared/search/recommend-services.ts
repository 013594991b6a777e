import type { BasicItem } from '../catalog/catalog-model.js';
import { EVERY_PUBLISHED, type CatalogRepository } from '../catalog/catalog-repository.js';
import { popularityScore, type PopularityRepository } from '../catalog/popularity-repository.js';
import { NATIONAL } from '../regions/region-codes.js';
import type { PersonalSignals } from './personal-signals.js';

export type RecommendationReason = 'personal' | 'popular' | 'life-event';

export interface Recommendation {
  readonly code: string;
  readonly name: string;
  readonly reason: RecommendationReason;
  /** what the reason rests on: the popularity score, or the life event shared with an item above */
  readonly basis: string;
}

/**
 * Services to recommend (intelligent recommendation, GB/T 39047 6.1.5).
 * 1. the region asked, else the caller's registered one, else national;
 * 2. signed in: the items of the caller's own footprints and favourites (the user center's
 *    signals; none until it provides them);
 * 3. the items most viewed and searched in the region (nationally when the region has too few);
 * 4. life-event co-occurrence: items that share a one-thing bundle with those above, as the next
 *    step people usually take;
 * 5. each item once, published items only, up to `limit`.
 */
export async function recommendServices(
  deps: { catalog: CatalogRepository; popularity: PopularityRepository; signals: PersonalSignals },
  input: { region?: string; subject?: string; limit: number },
): Promise<{ region: string; recommendations: Recommendation[] }> {
  const region = input.region ?? NATIONAL;
  const [personal, local, national, lifeEvents] = await Promise.all([
    input.subject ? deps.signals.itemCodesOf(input.subject) : Promise.resolve([]),
    deps.popularity.ranking(region),
    region === NATIONAL ? Promise.resolve([]) : deps.popularity.ranking(NATIONAL),
    deps.catalog.lifeEvents.listPublished(EVERY_PUBLISHED),
  ]);
  const candidates: { code: string; reason: RecommendationReason; basis: string }[] = [];
  for (const code of personal) candidates.push({ code, reason: 'personal', basis: 'your footprints and favourites' });
  for (const entry of [...local, ...national]) candidates.push({ code: entry.itemCode, reason: 'popular', basis: `popularity ${popularityScore(entry)}` });
  const seeds = [...new Set(candidates.map((candidate) => candidate.code))];
  for (const seed of seeds) {
    for (const head of lifeEvents) {
      const event = head.published;
      if (!event?.itemCodes.includes(seed)) continue;
      for (const code of event.itemCodes) candidates.push({ code, reason: 'life-event', basis: event.name });
    }
  }
  if (seeds.length === 0) {
    for (const head of lifeEvents) if (head.published) candidates.push({ code: head.published.itemCodes[0]!, reason: 'life-event', basis: head.published.name });
  }
  const unique = candidates.filter((candidate, index) => candidates.findIndex((other) => other.code === candidate.code) === index);
  const items = new Map<string, BasicItem>(
    (await deps.catalog.basicItems.heads(unique.slice(0, input.limit * 3).map((candidate) => candidate.code))).flatMap((head) =>
      head.published ? [[head.key, head.published] as const] : [],
    ),
  );
  const recommendations = unique.flatMap((candidate) => {
    const item = items.get(candidate.code);
    return item ? [{ ...candidate, name: item.name }] : [];
  });
  return { region, recommendations: recommendations.slice(0, input.limit) };
}
