import type { Audience, LifeEvent } from '../catalog/catalog-model.js';

/** An item that follows a decided item in a life event's chain. */
export interface NextItem {
  readonly itemCode: string;
  readonly lifeEventId: string;
  readonly lifeEventName: string;
  /** how many steps after the decided item it comes in that chain (1: the very next) */
  readonly distance: number;
}

/**
 * The items that follow `itemCode` in the chains of the life events that contain it: the nearest
 * steps first (every chain's next item before any chain's second-next), ties by life event id;
 * each item once (its nearest occurrence), never the decided item itself.
 */
export function nextItemsInChains(lifeEvents: readonly LifeEvent[], itemCode: string): NextItem[] {
  const candidates = lifeEvents.flatMap((event) => {
    const position = event.itemCodes.indexOf(itemCode);
    if (position < 0) return [];
    return event.itemCodes.slice(position + 1).map((code, index) => ({ itemCode: code, lifeEventId: event.id, lifeEventName: event.name, distance: index + 1 }));
  });
  candidates.sort((a, b) => a.distance - b.distance || a.lifeEventId.localeCompare(b.lifeEventId));
  const seen = new Set<string>([itemCode]);
  return candidates.filter((candidate) => !seen.has(candidate.itemCode) && seen.add(candidate.itemCode));
}

/** the catalog audience a subject type applies as: enterprises and other organisations apply as legal persons */
export function audienceOf(subjectType: string | undefined): Audience | undefined {
  if (subjectType === 'natural') return 'natural';
  if (subjectType === 'legal' || subjectType === 'organization') return 'legal';
  return undefined;
}
