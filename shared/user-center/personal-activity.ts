import { ulid } from 'ulid';
import { notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { PersonalSignals } from '../search/personal-signals.js';
import { ttlFromNow } from '../tables/expiry.js';
import { FOOTPRINT_TTL_SECONDS, type Favorite, type Footprint } from './user-center-model.js';
import type { UserCenterRepository } from './user-center-repository.js';

/**
 * Records a footprint (a view or a search) unless the user turned footprints off:
 * 1. read the privacy setting; off means nothing is kept (undefined);
 * 2. keep the footprint for FOOTPRINT_TTL_SECONDS under a time-ordered id.
 */
export async function recordFootprint(
  deps: { clock: Clock; userCenter: UserCenterRepository },
  input: { sub: string; type: Footprint['type']; ref: string },
): Promise<Footprint | undefined> {
  if (!(await deps.userCenter.privacy(input.sub)).recordFootprints) return undefined;
  const now = deps.clock.now();
  const footprint: Footprint = { footprintId: ulid(now.getTime()), type: input.type, ref: input.ref, at: now.toISOString() };
  await deps.userCenter.addFootprint(input.sub, footprint, ttlFromNow(now, FOOTPRINT_TTL_SECONDS));
  return footprint;
}

/** footprints newest first, without expired ones the sweep has not removed yet */
export async function listFootprints(deps: { clock: Clock; userCenter: UserCenterRepository }, sub: string): Promise<Footprint[]> {
  const now = deps.clock.now().getTime();
  return (await deps.userCenter.footprints(sub)).filter((f) => f.expiresAt === undefined || f.expiresAt * 1000 > now).map(({ expiresAt: _e, ...footprint }) => footprint);
}

/** removes every footprint of a user */
export async function clearFootprints(deps: { userCenter: UserCenterRepository }, sub: string): Promise<number> {
  const all = await deps.userCenter.footprints(sub);
  for (const footprint of all) await deps.userCenter.removeFootprint(sub, footprint.footprintId);
  return all.length;
}

/** saves a favourite; saving the same thing twice keeps one (its id is its type and reference) */
export async function addFavorite(deps: { clock: Clock; userCenter: UserCenterRepository }, input: { sub: string; type: Favorite['type']; ref: string }): Promise<Favorite> {
  const favorite: Favorite = { favoriteId: `${input.type}.${input.ref}`, type: input.type, ref: input.ref, savedAt: deps.clock.now().toISOString() };
  const existing = (await deps.userCenter.favorites(input.sub)).find((f) => f.favoriteId === favorite.favoriteId);
  if (existing) return existing;
  await deps.userCenter.addFavorite(input.sub, favorite);
  return favorite;
}

/** removes a favourite of the caller (404 when there is none) */
export async function removeFavorite(deps: { userCenter: UserCenterRepository }, input: { sub: string; favoriteId: string }): Promise<void> {
  if (!(await deps.userCenter.favorites(input.sub)).some((f) => f.favoriteId === input.favoriteId)) throw notFound('No such favourite', 'favorite_not_found');
  await deps.userCenter.removeFavorite(input.sub, input.favoriteId);
}

/**
 * The personal signals of search recommendations from the user centre: item codes the user
 * saved, then the items they viewed (newest first), without repeats.
 */
export function userCenterSignals(deps: { clock: Clock; userCenter: UserCenterRepository }): PersonalSignals {
  return {
    async itemCodesOf(subject) {
      const favorites = (await deps.userCenter.favorites(subject)).filter((f) => f.type === 'item').map((f) => f.ref);
      const viewed = (await listFootprints(deps, subject)).filter((f) => f.type === 'item').map((f) => f.ref);
      return [...new Set([...favorites, ...viewed])];
    },
  };
}
