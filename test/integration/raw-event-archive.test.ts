import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFolderBlobStore, type FolderBlobStore } from '../../shared/adapters/local/folder-blob-store.js';
import { pseudonymousKey } from '../../shared/analytics/pseudonymous-key.js';
import { accessRawEvents, archiveRawEvents, caseRawEvent, certificateRawEvent, rawEventKey, recommendationRawEvent } from '../../shared/analytics/raw-event-archive.js';
import { RAW_EVENT_TABLES } from '../../shared/analytics/raw-event-schema.js';
import type { CaseEventMessage } from '../../shared/cases/case-event-message.js';

let dir: string;
let blobs: FolderBlobStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raw-events-'));
  blobs = createFolderBlobStore({ dir, publicBaseUrl: 'http://127.0.0.1:1', signingSecret: 'test' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = async (key: string) => new TextDecoder().decode((await blobs.get(key))!.bytes);

const approval: CaseEventMessage = {
  eventId: '330106-20260310-ABCDEFGH#6',
  caseNo: '330106-20260310-ABCDEFGH',
  version: 6,
  itemCode: 'SC-XK-0005',
  itemName: '个体工商户设立登记',
  agency: '11330106MB1A2B3C4X',
  state: 'approved',
  stateLabel: '准予办理',
  previousState: 'in-review',
  action: 'approve',
  actor: 'staff',
  at: '2026-03-10T03:00:00.000Z',
  comment: '申请人张三材料齐全',
  recipient: 'ACCOUNT-1',
  region: '330106',
  applicantType: 'natural',
};

describe('the raw event archive in the folder blob store', () => {
  it('writes one JSON Lines file per kind, China day and batch, and the same file again for a redelivered batch', async () => {
    // 15:30Z is 23:30 in China, 16:30Z already the next day there
    const events = [
      { at: '2026-03-10T15:30:00.000Z', n: 1 },
      { at: '2026-03-10T16:30:00.000Z', n: 2 },
      { at: '2026-03-10T17:00:00.000Z', n: 3 },
    ];
    const keys = await archiveRawEvents({ blobs }, { kind: 'access', batchId: 'batch#1', events });
    expect(keys).toEqual(['analytics/events/access/dt=2026-03-10/batch_1.jsonl', 'analytics/events/access/dt=2026-03-11/batch_1.jsonl']);
    expect(await text(keys[0]!)).toBe('{"at":"2026-03-10T15:30:00.000Z","n":1}\n');
    expect((await text(keys[1]!)).trim().split('\n').map((line) => JSON.parse(line).n)).toEqual([2, 3]);

    await archiveRawEvents({ blobs }, { kind: 'access', batchId: 'batch#1', events });
    expect((await text(keys[1]!)).trim().split('\n')).toHaveLength(2);
    expect(rawEventKey('case', '2026-03-10', 'a/b c')).toBe('analytics/events/case/dt=2026-03-10/a_b_c.jsonl');
  });

  it('keeps no personal data of a case change: pseudonymous case and applicant, no comment', () => {
    const raw = caseRawEvent(approval);
    expect(raw).toEqual({
      at: approval.at,
      caseKey: pseudonymousKey('case', approval.caseNo),
      version: 6,
      itemCode: 'SC-XK-0005',
      agency: approval.agency,
      region: '330106',
      state: 'approved',
      previousState: 'in-review',
      action: 'approve',
      actor: 'staff',
      applicantType: 'natural',
      userKey: pseudonymousKey('user', 'ACCOUNT-1'),
    });
    expect(JSON.stringify(raw)).not.toMatch(/张三|ACCOUNT-1|ABCDEFGH/);
    expect(pseudonymousKey('user', 'ACCOUNT-1')).not.toBe(pseudonymousKey('case', 'ACCOUNT-1'));
  });

  it('writes exactly the columns the Glue tables declare', () => {
    const columns = (kind: keyof typeof RAW_EVENT_TABLES) => Object.keys(RAW_EVENT_TABLES[kind].columns).sort();
    expect(Object.keys(caseRawEvent(approval)).sort()).toEqual(columns('case'));
    const certificate = certificateRawEvent({ identifier: '1.2.156.3005.2.X.Y.1.001.Z', typeCode: 'X', name: '营业执照', issuerName: '市场监管局', holderCodeType: 'uscc', holderLookup: 'h', issuedAt: approval.at });
    expect(Object.keys(certificate).sort()).toEqual(columns('certificate'));
    const [access] = accessRawEvents({
      batchId: 'b',
      events: [{ at: approval.at, function: 'catalog', route: 'GET /v1/items/{code}', status: 200, latencyMs: 3, channel: 'api', userKey: 'k', subjectType: 'natural', level: 3, region: '330106', itemCode: 'SC-XK-0005', keywords: '执照', zeroResult: false }],
    });
    expect(Object.keys(access!).sort()).toEqual(columns('access'));
    const fact = { userKey: 'u', caseKey: 'c', fromItemCode: 'SC-XK-0005', itemCode: 'SC-XK-0007', lifeEventId: 'kaiban-canyindian', region: '330106', sentAt: approval.at };
    expect(Object.keys(recommendationRawEvent('sent', fact)).sort()).toEqual(columns('recommendation'));
    expect(recommendationRawEvent('followed', { ...fact, followedAt: '2026-03-12T01:00:00.000Z' })).toMatchObject({ kind: 'followed', at: '2026-03-12T01:00:00.000Z' });
  });
});
