import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signExchangeMessage } from '../../shared/exchange/envelope-signature.js';
import { AGENCY_USCC, envelope, itemData, manifest } from '../support/exchange-batches.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * Sharing (GB/T 39047 §6.3.5 a) between a departmental platform (hz-city, registered here, signs its
 * messages) and the regional platform zj-regional (seeded): table exchange, interface sharing with
 * grants, masking and the access log, file exchange both ways, and the quarantine's resubmission.
 */
const clock = new ManualClock(new Date());
let platform: TestPlatform;
let admin: string;
let zj: string;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = { ...(publicKey.export({ format: 'jwk' }) as { kty: 'EC'; crv: 'P-256'; x: string; y: string }), kid: 'hz-2030' };
const sign = <M extends Record<string, unknown>>(message: M) => signExchangeMessage(message, privateKey, signingKey.kid);

beforeAll(async () => {
  platform = await startTestPlatform({ clock, queuePollMs: 1000 });
  admin = await platform.login('admin');
  zj = await platform.login('platform');
});
afterAll(async () => {
  await platform?.close();
});

const OUTBOUND = 'exchange-outbound-zj-regional';
const push = (messages: unknown[]) => platform.call('POST', '/_local/queues/exchange-inbound/messages', { body: { messages } });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function receiveOutbound(): Promise<any[]> {
  const bodies: any[] = [];
  for (;;) {
    const received = await platform.runtime.queue.receive(OUTBOUND, { max: 10, visibilityTimeoutSeconds: 30 });
    if (received.length === 0) return bodies;
    for (const message of received) {
      await platform.runtime.queue.delete(OUTBOUND, message.receiptHandle);
      bodies.push(JSON.parse(message.body));
    }
  }
}

function caseRecord(n: number, version = 1) {
  return {
    id: `HZ-2030-${String(n).padStart(4, '0')}`,
    op: 'upsert' as const,
    version,
    data: {
      caseNo: `HZ-2030-${String(n).padStart(4, '0')}`,
      itemCode: 'SC-XK-0001',
      region: '330106',
      applicant: { type: 'natural', name: '张测试', idNumber: '330106199003071236' },
      phone: '13800000001',
      agencyUscc: AGENCY_USCC,
      state: 'accepted',
      submittedAt: '2030-01-01T08:00:00+08:00',
    },
  };
}

describe('the platform registry', () => {
  it('administrators register a signing source and set a consumer grant; others may not', async () => {
    const hz = await platform.call('PUT', '/v1/exchange/platforms/hz-city', {
      token: admin,
      body: { name: '杭州市数据资源管理局', accountIds: [], source: { datasets: ['cases', 'items'], signingKeys: [signingKey] } },
    });
    expect(hz.status).toBe(200);
    expect(hz.body).toMatchObject({ platformId: 'hz-city', version: 1 });

    const seeded = await platform.call('GET', '/v1/exchange/platforms/zj-regional', { token: zj });
    expect(seeded.status).toBe(200);
    const grants = [
      { dataset: 'items', subscribe: true, clearFields: [] },
      { dataset: 'cases', subscribe: true, clearFields: ['phone'] },
    ];
    const { platformId: _id, updatedAt: _at, version: _version, ...registration } = seeded.body;
    const updated = await platform.call('PUT', '/v1/exchange/platforms/zj-regional', { token: admin, body: { ...registration, consumer: { grants } } });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);

    const refused = await platform.call('PUT', '/v1/exchange/platforms/zj-regional', { token: zj, body: registration });
    expect(refused.status).toBe(403);
    const badGrant = await platform.call('PUT', '/v1/exchange/platforms/hz-city', {
      token: admin,
      body: { name: 'x', accountIds: [], outboundQueue: 'notifications', consumer: { grants: [{ dataset: 'cases', subscribe: false, clearFields: ['caseNo'] }] } },
    });
    expect(badGrant.status).toBe(422);
    const takenAccount = await platform.call('PUT', '/v1/exchange/platforms/hz-city', {
      token: admin,
      body: { name: '杭州市数据资源管理局', accountIds: seeded.body.accountIds, source: { datasets: ['cases', 'items'], signingKeys: [signingKey] } },
    });
    expect(takenAccount.status).toBe(409);
    expect(takenAccount.body.error.code).toBe('account_taken');
    expect(badGrant.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['consumer.grants.0.clearFields.0', 'outboundQueue']);
    // registrations are cached up to 30 s by warm functions
    clock.advance(31);
  });
});

describe('signed messages and table exchange', () => {
  it('takes in a signed batch and quarantines unsigned and tampered messages', async () => {
    const records = [caseRecord(1), caseRecord(2)];
    const signed = sign(envelope('hz-city', 'cases', 'hz-cases-1', 1, records));
    const tampered = { ...signed, records: [caseRecord(3)] };
    const unsigned = envelope('hz-city', 'cases', 'hz-cases-2', 1, [caseRecord(4)]);
    await push([signed, sign(manifest('hz-city', 'cases', 'hz-cases-1', records, 1)), tampered, unsigned]);
    await platform.runtime.drainQueues();

    const report = await platform.call('GET', '/v1/exchange/batches/hz-cases-1', { token: admin });
    expect(report.body.counts).toMatchObject({ declared: 2, received: 2, accepted: 2, missing: 0, mismatch: 0 });
    expect(report.body.digest.matches).toBe(true);
    const quarantine = await platform.call('GET', '/v1/exchange/quarantine?source=hz-city', { token: admin });
    expect(quarantine.body.entries.map((e: { reason: string; issues: { message: string }[] }) => [e.reason, e.issues[0]!.message])).toEqual([
      ['bad_signature', 'the signature does not verify'],
      ['bad_signature', 'the source signs its messages and this one has no signature'],
    ]);
  });

  it('sends the changes to the subscribed consumer, personal fields masked except those granted', async () => {
    const [changes, ...more] = await receiveOutbound();
    expect(more).toEqual([]);
    expect(changes).toMatchObject({ kind: 'changes', dataset: 'cases', source: 'hz-city' });
    expect(changes.changes.map((c: { id: string }) => c.id).sort()).toEqual(['HZ-2030-0001', 'HZ-2030-0002']);
    expect(changes.changes[0].data).toMatchObject({ applicant: { name: '张**', idNumber: '3301**********1236' }, phone: '13800000001' });
    expect(JSON.stringify(changes)).not.toContain('330106199003071236');
  });
});

describe('interface sharing', () => {
  it('serves a consumer with a grant, masked as granted, and logs the access', async () => {
    const read = await platform.call('GET', '/v1/shared-data/cases?source=hz-city', { token: zj });
    expect(read.status).toBe(200);
    expect(read.body.records).toHaveLength(2);
    expect(read.body.records[0]).toMatchObject({ id: 'HZ-2030-0001', version: 1, data: { applicant: { idNumber: '3301**********1236' }, phone: '13800000001' } });
    expect(read.text).not.toContain('330106199003071236');

    const day = (await platform.call('GET', '/v1/exchange/batches/hz-cases-1', { token: admin })).body.day;
    const log = await platform.call('GET', `/v1/exchange/access-log?date=${day}&consumer=zj-regional`, { token: admin });
    expect(log.status).toBe(200);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ consumer: 'zj-regional', operation: 'read', dataset: 'cases', source: 'hz-city', recordCount: 2, recordIds: ['HZ-2030-0001', 'HZ-2030-0002'], clearFields: ['phone'] }),
    ]);
    expect((await platform.call('GET', `/v1/exchange/access-log?date=${day}`, { token: zj })).status).toBe(403);
  });

  it('refuses a dataset without a grant, people, and unknown records', async () => {
    expect((await platform.call('GET', '/v1/shared-data/evaluations?source=hz-city', { token: zj })).body.error.code).toBe('no_dataset_grant');
    expect((await platform.call('GET', '/v1/shared-data/cases?source=hz-city', { token: await platform.login('citizen') })).status).toBe(403);
    expect((await platform.call('GET', '/v1/shared-data/cases?source=hz-city&id=HZ-9999', { token: zj })).status).toBe(404);
  });
});

describe('file exchange', () => {
  let fileBatch: string;

  it('takes in an uploaded CSV file as a batch of its own, closes it and sends the result', async () => {
    const csv = Buffer.from(
      [
        'id,version,itemCode,name,region,agencyName,agencyUscc,legalDays,promisedDays,onlineDepth,fee,status',
        `file-1,1,SC-XK-0001,"企业设立登记, 西湖",330106,西湖区行政审批局,${AGENCY_USCC},3,1,4,false,active`,
        `file-2,1,SC-XK-0002,企业变更登记,330106,西湖区行政审批局,${AGENCY_USCC},3,1,4,false,active`,
        `file-3,1,XX-XK-9999,不存在的事项,330106,西湖区行政审批局,${AGENCY_USCC},3,1,4,false,active`,
      ].join('\r\n'),
      'utf8',
    );
    const reserved = await platform.call('POST', '/v1/uploads', { token: zj, body: { fileName: 'items.csv', contentType: 'text/csv', size: csv.length, sha256: sha256(csv) } });
    expect(reserved.status).toBe(201);
    expect((await fetch(reserved.body.uploadUrl, { method: 'PUT', headers: reserved.body.headers, body: csv })).status).toBe(200);

    const submitted = await platform.call('POST', '/v1/exchange/files', { token: zj, body: { blobId: reserved.body.blobId, dataset: 'items' } });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ fileId: reserved.body.blobId, format: 'csv', state: 'queued', batchId: `file-${reserved.body.blobId}` });
    fileBatch = submitted.body.batchId;
    await platform.runtime.drainQueues();

    const report = await platform.call('GET', `/v1/exchange/batches/${fileBatch}`, { token: zj });
    expect(report.body).toMatchObject({ state: 'closed', closedBy: 'file' });
    expect(report.body.counts).toEqual({ declared: 3, received: 3, accepted: 2, duplicate: 0, rejected: 1, missing: 0, late: 0, mismatch: 0, resolved: 0 });
    expect(report.body.resend.records).toEqual([{ id: 'file-3', version: 1, reasons: [{ field: 'data.itemCode', message: 'is not an item of the catalog' }] }]);
    const results = (await receiveOutbound()).filter((m) => m.kind === 'reconciliation-result');
    expect(results).toEqual([expect.objectContaining({ batchId: fileBatch, counts: report.body.counts })]);
    const stored = await platform.call('GET', '/v1/shared-data/items?source=zj-regional&id=file-1', { token: zj });
    expect(stored.body.records[0].data).toMatchObject({ name: '企业设立登记, 西湖', promisedDays: 1, fee: false });
  });

  it('resubmits the fixed quarantined record once; a fix that still breaks the rules is refused', async () => {
    const quarantine = await platform.call('GET', `/v1/exchange/quarantine?batchId=${fileBatch}`, { token: zj });
    const [entry] = quarantine.body.entries;
    expect(entry).toMatchObject({ recordId: 'file-3', state: 'open', data: { itemCode: 'XX-XK-9999' } });
    const path = `/v1/exchange/quarantine/${entry.entryId}/resubmission`;

    const stillBad = await platform.call('POST', path, { token: zj, body: { data: itemData({ itemCode: 'XX-XK-9998' }) } });
    expect(stillBad.status).toBe(422);
    const fixed = await platform.call('POST', path, { token: zj, body: { data: itemData({ name: '已修正' }) } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ state: 'resolved', applied: true });
    expect((await platform.call('POST', path, { token: zj, body: { data: itemData() } })).status).toBe(409);

    const report = await platform.call('GET', `/v1/exchange/batches/${fileBatch}`, { token: zj });
    expect(report.body.counts).toMatchObject({ rejected: 1, resolved: 1 });
    expect(report.body.resend.records).toEqual([]);
    expect((await platform.call('GET', '/v1/shared-data/items?source=zj-regional&id=file-3', { token: zj })).body.records[0].data.name).toBe('已修正');
  });

  it('exports a slice of a dataset as CSV or JSON, masked and logged', async () => {
    const csv = await platform.call('GET', '/v1/exchange/files/cases?source=hz-city&format=csv', { token: zj });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="cases-hz-city-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, first] = csv.text.split('\r\n');
    expect(header).toBe('id,version,updatedAt,agencyUscc,applicant.idNumber,applicant.name,applicant.type,caseNo,itemCode,phone,region,state,submittedAt');
    expect(first).toContain('3301**********1236');
    expect(csv.text).not.toContain('330106199003071236');

    const json = await platform.call('GET', '/v1/exchange/files/cases?source=hz-city&format=json', { token: zj });
    expect(JSON.parse(json.text).records).toHaveLength(2);
  });
});

describe('reconciliation by day, and closing by the source', () => {
  it('the source closes its own batch; a batch without a manifest has nothing declared', async () => {
    await push([envelope('zj-regional', 'items', 'zj-no-manifest', 1, [{ id: 'nm-1', op: 'upsert', version: 1, data: itemData() }])]);
    await platform.runtime.drainQueues();
    const closed = await platform.call('POST', '/v1/exchange/batches/zj-no-manifest/close', { token: zj });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', closedBy: 'platform:zj-regional', manifest: null });
    expect(closed.body.counts).toMatchObject({ declared: null, missing: null, accepted: 1 });
    expect((await platform.call('POST', '/v1/exchange/batches/zj-no-manifest/close', { token: zj })).body.closedAt).toBe(closed.body.closedAt);
    expect((await platform.call('POST', '/v1/exchange/batches/hz-cases-1/close', { token: zj })).status).toBe(404);
  });

  it('adds up the batches of a source, dataset and day', async () => {
    const day = (await platform.call('GET', '/v1/exchange/batches/zj-no-manifest', { token: zj })).body.day;
    const res = await platform.call('GET', `/v1/exchange/reconciliations?dataset=items&date=${day}`, { token: zj });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'zj-regional', dataset: 'items', date: day, status: 'discrepancies' });
    expect(res.body.batches.map((b: { batchId: string }) => b.batchId)).toEqual([fileBatchOf(res.body.batches), 'zj-no-manifest'].sort());
    expect(res.body.totals).toMatchObject({ declared: 3, received: 4, accepted: 3, rejected: 1, resolved: 1, missing: 0 });
    expect((await platform.call('GET', `/v1/exchange/reconciliations?source=hz-city&dataset=cases&date=${day}`, { token: zj })).status).toBe(403);
  });
});

function fileBatchOf(batches: { batchId: string }[]): string {
  return batches.find((batch) => batch.batchId.startsWith('file-'))!.batchId;
}
