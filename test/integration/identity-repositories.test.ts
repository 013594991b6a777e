import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { tables as manifestTables } from '../../infra/manifest.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { attemptCounters } from '../../shared/identity/attempt-counters.js';
import { identityAuditTrail } from '../../shared/identity/audit-trail.js';
import { sessionRepository, type Session } from '../../shared/identity/session-repository.js';
import type { Tables } from '../../shared/ports/tables.js';
import { ManualClock } from '../support/manual-clock.js';

let dynamo: EmbeddedDynamo;
let tables: Tables;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({});
  tables = localTables(dynamo.documentClient, 'identity-repos-');
  await ensureTables(dynamo.client, [{ tableName: tables.name('identity'), spec: manifestTables.identity }]);
});
afterAll(async () => {
  await dynamo?.close();
});

describe('attempt counters (rate limits and lockout) in the identity table', () => {
  it('let exactly `max` of many concurrent events through in a window', async () => {
    const counters = attemptCounters(tables);
    const at = new Date('2030-01-01T00:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => counters.hit('race', { max: 5, windowSeconds: 60 }, at)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.filter((r) => r.allowed).map((r) => r.count).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('open a new window once the old one has passed, and start again after a reset', async () => {
    const counters = attemptCounters(tables);
    const clock = new ManualClock();
    for (let i = 0; i < 3; i++) await counters.hit('window', { max: 3, windowSeconds: 60 }, clock.now());
    expect((await counters.hit('window', { max: 3, windowSeconds: 60 }, clock.now())).allowed).toBe(false);
    clock.advance(60);
    expect(await counters.hit('window', { max: 3, windowSeconds: 60 }, clock.now())).toEqual({ allowed: true, count: 1 });
    await counters.reset('window');
    expect(await counters.hit('window', { max: 3, windowSeconds: 60 }, clock.now())).toEqual({ allowed: true, count: 1 });
  });

  it('hold a lock until its end', async () => {
    const counters = attemptCounters(tables);
    const clock = new ManualClock();
    await counters.lock('someone', new Date(clock.now().getTime() + 900_000));
    expect(await counters.lockedUntil('someone', clock.now())).toEqual(new Date(clock.now().getTime() + 900_000));
    clock.advance(900);
    expect(await counters.lockedUntil('someone', clock.now())).toBeUndefined();
  });
});

describe('sessions', () => {
  const session = (sessionId: string, extra: Partial<Session> = {}): Session => ({
    sessionId,
    accountId: 'acc-sessions',
    amr: ['pwd'],
    createdAt: '2030-01-01T00:00:00.000Z',
    authTime: '2030-01-01T00:00:00.000Z',
    sourceIp: '127.0.0.1',
    expiresAt: Math.floor(Date.parse('2030-01-01T12:00:00Z') / 1000),
    refreshHash: 'h0',
    ...extra,
  });
  const now = new Date('2030-01-01T01:00:00Z');

  it('rotate a refresh token only from the current one, once, and remember the rotated ones', async () => {
    const sessions = sessionRepository(tables);
    await sessions.create(session('S-ROTATE'));
    const outcomes = await Promise.all([sessions.rotateRefreshToken('S-ROTATE', 'h0', 'h1'), sessions.rotateRefreshToken('S-ROTATE', 'h0', 'h1b')]);
    expect(outcomes.sort()).toEqual([false, true]);
    expect(await sessions.rotateRefreshToken('S-ROTATE', 'h0', 'h2')).toBe(false);
    const stored = await sessions.get('S-ROTATE');
    expect(stored?.rotatedRefreshHashes).toEqual(['h0']);
    await sessions.revoke(['S-ROTATE'], now, 'logout');
    expect(await sessions.rotateRefreshToken('S-ROTATE', stored!.refreshHash!, 'h3')).toBe(false);
  });

  it('list the live sessions of an account and find federated ones by the peer\'s session or subject', async () => {
    const sessions = sessionRepository(tables);
    await sessions.create(session('S-LIVE-1', { accountId: 'acc-list' }));
    await sessions.create(session('S-LIVE-2', { accountId: 'acc-list', federation: { peerId: 'national', peerSub: 'p1', peerSid: 'ps1' } }));
    await sessions.create(session('S-ENDED', { accountId: 'acc-list' }));
    await sessions.create(session('S-OLD', { accountId: 'acc-list', expiresAt: Math.floor(now.getTime() / 1000) - 1 }));
    await sessions.revoke(['S-ENDED', 'S-ENDED'], now, 'logout');
    expect((await sessions.listActive('acc-list', now)).map((s) => s.sessionId).sort()).toEqual(['S-LIVE-1', 'S-LIVE-2']);
    expect(await sessions.findFederated('national', { peerSid: 'ps1' })).toEqual(['S-LIVE-2']);
    expect(await sessions.findFederated('national', { peerSub: 'p1' })).toEqual(['S-LIVE-2']);
    expect(await sessions.findFederated('other', { peerSub: 'p1' })).toEqual([]);
    expect((await sessions.get('S-ENDED'))?.revokedReason).toBe('logout');
  });

  it('refuse a second session with the same id', async () => {
    const sessions = sessionRepository(tables);
    await sessions.create(session('S-DUP'));
    await expect(sessions.create(session('S-DUP'))).rejects.toThrow();
  });
});

describe('audit trail', () => {
  it('keeps events in the order recorded and never overwrites one', async () => {
    const audit = identityAuditTrail(tables);
    const at = '2030-01-01T00:00:00.000Z';
    for (const action of ['registered', 'login-failed', 'login-succeeded'] as const) {
      await audit.append({ accountId: 'acc-audit' }, { action, actor: 'acc-audit', at, sourceIp: '127.0.0.1', outcome: 'success' });
    }
    expect((await audit.list({ accountId: 'acc-audit' })).map((e) => e.action)).toEqual(['registered', 'login-failed', 'login-succeeded']);
    const entry = audit.entry({ accountId: 'acc-audit' }, { action: 'deregistered', actor: 'acc-audit', at, sourceIp: '127.0.0.1', outcome: 'success' });
    await tables.client.send(new PutCommand(entry.Put!));
    await expect(tables.client.send(new PutCommand(entry.Put!))).rejects.toThrow('conditional request failed');
  });
});
