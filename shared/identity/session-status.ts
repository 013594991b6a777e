import type { SessionStatus } from '../auth/access-token-principals.js';
import type { Clock } from '../ports/clock.js';
import { isLive, type SessionRepository } from './session-repository.js';

/** The longest a "still live" answer is reused: a revoked session's tokens are refused within this. */
export const MAX_SESSION_STATUS_CACHE_SECONDS = 5;
/** An ended session never comes back, so that answer is kept as long as its tokens could live. */
const ENDED_CACHE_SECONDS = 15 * 60;
const MAX_ENTRIES = 10_000;

/**
 * Session revocation as the token verifier of every function sees it: one consistent read of the
 * session, its answer kept in memory (≤ 5 s for live sessions), so logout takes effect in every
 * function within 5 seconds while a busy function reads each session at most once per interval.
 * A missing or expired session counts as ended. Concurrent checks of one session share one read.
 */
export function cachedSessionStatus(deps: {
  sessions: Pick<SessionRepository, 'get'>;
  clock: Clock;
  liveCacheSeconds?: number;
}): SessionStatus {
  const liveMs = Math.min(deps.liveCacheSeconds ?? MAX_SESSION_STATUS_CACHE_SECONDS, MAX_SESSION_STATUS_CACHE_SECONDS) * 1000;
  const cache = new Map<string, { revoked: Promise<boolean>; until: number }>();

  return {
    isRevoked(sessionId) {
      const now = deps.clock.now();
      const cached = cache.get(sessionId);
      if (cached && cached.until > now.getTime()) return cached.revoked;
      const entry = { until: now.getTime() + liveMs, revoked: Promise.resolve(false) };
      entry.revoked = deps.sessions.get(sessionId).then(
        (session) => {
          const revoked = !isLive(session, now);
          if (revoked) entry.until = now.getTime() + ENDED_CACHE_SECONDS * 1000;
          return revoked;
        },
        (error: unknown) => {
          cache.delete(sessionId);
          throw error;
        },
      );
      cache.delete(sessionId);
      cache.set(sessionId, entry);
      if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      return entry.revoked;
    },
  };
}
