import { describe, expect, it } from '@jest/globals';
import type { PeerPlatform } from '../../shared/auth/peer-platforms.js';
import { logoutNotice, logoutNoticesFor } from '../../shared/identity/logout-notices.js';
import type { Session } from '../../shared/identity/session-repository.js';

const peerOf = (id: string, withLogout = true): PeerPlatform => ({
  id,
  issuer: `https://${id}.example`,
  jwksUri: `https://${id}.example/jwks`,
  audience: `https://${id}.example/api`,
  maxLevel: 3,
  allowFederatedAccounts: false,
  ...(withLogout ? { backchannelLogoutUri: `https://${id}.example/logout` } : {}),
});
const session = (sessionId: string, extra: Partial<Session> = {}): Session => ({
  sessionId,
  accountId: 'acc-1',
  amr: ['pwd'],
  createdAt: '2030-01-01T00:00:00Z',
  authTime: '2030-01-01T00:00:00Z',
  sourceIp: '127.0.0.1',
  expiresAt: 1_900_000_000,
  ...extra,
});
const at = new Date('2030-01-01T00:00:00Z');
const peers = [peerOf('national'), peerOf('province'), peerOf('silent', false)];

describe('logout notices for peer platforms', () => {
  it('names our subject to peers our tokens went to, and the peer\'s own subject to the peer a session came from', () => {
    const sessions = [session('s1', { peers: ['national', 'national', 'silent'] }), session('s2', { federation: { peerId: 'province', peerSub: 'p-7', peerSid: 'ps-1' } })];
    const perSession = logoutNoticesFor(sessions, peers, 'session', at).map(({ id: _id, ...notice }) => notice);
    expect(perSession).toEqual([
      { peerId: 'national', subject: 'acc-1', sessionId: 's1' },
      { peerId: 'province', subject: 'p-7', sessionId: 'ps-1' },
    ]);
  });

  it('sends one notice per peer and subject when logging out everywhere', () => {
    const sessions = [session('s1', { peers: ['national'] }), session('s2', { peers: ['national', 'province'] })];
    const all = logoutNoticesFor(sessions, peers, 'all', at);
    expect(all.map(({ peerId, subject, sessionId }) => ({ peerId, subject, sessionId }))).toEqual([
      { peerId: 'national', subject: 'acc-1', sessionId: undefined },
      { peerId: 'province', subject: 'acc-1', sessionId: undefined },
    ]);
    expect(new Set(all.map((n) => n.id)).size).toBe(2);
    for (const notice of all) expect(logoutNotice.safeParse(notice).success).toBe(true);
  });

  it('skips peers without a back-channel logout URI and peers no longer configured', () => {
    expect(logoutNoticesFor([session('s1', { peers: ['silent', 'gone'] })], peers, 'all', at)).toEqual([]);
  });
});
