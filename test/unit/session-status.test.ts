import { describe, expect, it } from '@jest/globals';
import { cachedSessionStatus } from '../../shared/identity/session-status.js';
import type { Session } from '../../shared/identity/session-repository.js';
import { ManualClock } from '../support/manual-clock.js';

/** a session store the test changes by hand, counting reads */
function recordingSessions(clock: ManualClock) {
  const sessions = new Map<string, Session>();
  const reads: string[] = [];
  const live = (sessionId: string): Session => ({
    sessionId,
    accountId: 'account',
    amr: ['pwd'],
    createdAt: clock.now().toISOString(),
    authTime: clock.now().toISOString(),
    sourceIp: '127.0.0.1',
    expiresAt: Math.floor(clock.now().getTime() / 1000) + 3600,
  });
  return {
    sessions,
    reads,
    live,
    get: async (sessionId: string) => {
      reads.push(sessionId);
      return sessions.get(sessionId);
    },
  };
}

describe('session status (revocation seen by every function)', () => {
  it('sees a revocation within 5 seconds, reading a live session at most once per interval', async () => {
    const clock = new ManualClock();
    const store = recordingSessions(clock);
    store.sessions.set('s1', store.live('s1'));
    const status = cachedSessionStatus({ sessions: store, clock });

    expect(await status.isRevoked('s1')).toBe(false);
    store.sessions.set('s1', { ...store.live('s1'), revokedAt: clock.now().toISOString() });
    clock.advance(4.9);
    expect(await status.isRevoked('s1')).toBe(false);
    expect(store.reads).toEqual(['s1']);
    clock.advance(0.2);
    expect(await status.isRevoked('s1')).toBe(true);
  });

  it('never caches a live answer longer than 5 seconds, whatever it is asked', async () => {
    const clock = new ManualClock();
    const store = recordingSessions(clock);
    store.sessions.set('s1', store.live('s1'));
    const status = cachedSessionStatus({ sessions: store, clock, liveCacheSeconds: 60 });
    await status.isRevoked('s1');
    store.sessions.delete('s1');
    clock.advance(5.1);
    expect(await status.isRevoked('s1')).toBe(true);
  });

  it('treats missing and expired sessions as ended, and keeps that answer', async () => {
    const clock = new ManualClock();
    const store = recordingSessions(clock);
    store.sessions.set('old', { ...store.live('old'), expiresAt: Math.floor(clock.now().getTime() / 1000) - 1 });
    const status = cachedSessionStatus({ sessions: store, clock });
    expect(await status.isRevoked('missing')).toBe(true);
    expect(await status.isRevoked('old')).toBe(true);
    clock.advance(60);
    await status.isRevoked('missing');
    expect(store.reads).toEqual(['missing', 'old']);
  });

  it('shares one read between concurrent checks, and retries after a failed read', async () => {
    const clock = new ManualClock();
    const store = recordingSessions(clock);
    store.sessions.set('s1', store.live('s1'));
    const status = cachedSessionStatus({ sessions: store, clock });
    await Promise.all([status.isRevoked('s1'), status.isRevoked('s1'), status.isRevoked('s1')]);
    expect(store.reads).toEqual(['s1']);

    let fail = true;
    const flaky = cachedSessionStatus({
      sessions: { get: async (id: string) => (fail ? Promise.reject(new Error('table unavailable')) : store.get(id)) },
      clock,
    });
    await expect(flaky.isRevoked('s1')).rejects.toThrow('table unavailable');
    fail = false;
    expect(await flaky.isRevoked('s1')).toBe(false);
  });
});
