import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queues } from '../../infra/manifest.js';
import { deadLetterQueueName } from '../../shared/adapters/local/local-queue.js';
import { envelope, itemData, manifest, shuffled, type TestRecord } from '../support/exchange-batches.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * The regional platform zj-regional (seeded) pushes a batch of 1,000 items through exchange-inbound,
 * the way GB/T 39047 §6.3.5 b describes it, and reads its reconciliation.
 */
const clock = new ManualClock(new Date());
let platform: TestPlatform;
let sourceToken: string;
let adminToken: string;
beforeAll(async () => {
  platform = await startTestPlatform({ clock, queuePollMs: 1000 });
  sourceToken = await platform.login('platform');
  adminToken = await platform.login('admin');
});
afterAll(async () => {
  await platform?.close();
});

const SOURCE = 'zj-regional';
const OUTBOUND = 'exchange-outbound-zj-regional';
const push = (messages: unknown[]) => platform.call('POST', '/_local/queues/exchange-inbound/messages', { body: { messages } });
const report = (batchId: string, token = sourceToken) => platform.call('GET', `/v1/exchange/batches/${batchId}`, { token });
const readItem = (id: string) => platform.call('GET', `/v1/shared-data/items?source=${SOURCE}&id=${id}`, { token: sourceToken });

/** takes what is waiting on the source's outbound queue, as the regional platform would */
async function receiveOutbound(): Promise<any[]> {
  const received = await platform.runtime.queue.receive(OUTBOUND, { max: 10, visibilityTimeoutSeconds: 30 });
  for (const message of received) await platform.runtime.queue.delete(OUTBOUND, message.receiptHandle);
  return received.map((message) => JSON.parse(message.body));
}

/**
 * 1,000 records in 10 messages of up to 111 (the 10th carries the last record alone and is lost),
 * record 10 has a region that does not exist, record 20 a USCC with a wrong check character, and
 * message 9 repeats 3 records of message 1.
 */
const BATCH = 'zj-items-20300101-001';
const records: TestRecord[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `item-${String(i + 1).padStart(4, '0')}`,
  op: 'upsert',
  version: 1,
  data: itemData({ name: `事项 ${i + 1}` }),
}));
records[9]!.data = itemData({ region: '339999' });
records[19]!.data = itemData({ agencyUscc: '11330106MB1A2B3C40' });
const messages = Array.from({ length: 10 }, (_, m) => envelope(SOURCE, 'items', BATCH, m + 1, records.slice(m * 111, (m + 1) * 111)));
messages[8]!.records = [...messages[8]!.records, ...records.slice(0, 3)];
const lost = messages.pop()!;
const batchManifest = manifest(SOURCE, 'items', BATCH, records, 10);
const sent = shuffled([...messages, batchManifest]);

describe('a 1,000-record batch with a manifest, out of order, 3 duplicates, 2 invalid, 1 missing', () => {
  it('arrives in any order and reconciles exactly', async () => {
    expect(lost.records).toHaveLength(1);
    expect(sent[sent.length - 1]).not.toBe(batchManifest);
    expect((await push(sent)).status).toBe(202);
    await platform.runtime.drainQueues();

    const open = await report(BATCH);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ source: SOURCE, dataset: 'items', state: 'open' });
    expect(open.body.counts).toMatchObject({ declared: 1000, received: 999, accepted: 997, duplicate: 3, rejected: 2, missing: 1, late: 0 });
    expect(open.body.resend.seqs).toEqual([10]);
  });

  it('closes after the configured wait and sends the source its resend list', async () => {
    clock.advance(9 * 60);
    await platform.runtime.runSchedule('close-exchange-batches');
    expect((await report(BATCH)).body.state).toBe('open');

    clock.advance(61);
    await platform.runtime.runSchedule('close-exchange-batches');
    const closed = await report(BATCH);
    expect(closed.body).toMatchObject({ state: 'closed', closedBy: 'schedule' });
    expect(closed.body.counts).toEqual({ declared: 1000, received: 999, accepted: 997, duplicate: 3, rejected: 2, missing: 1, late: 0, mismatch: 0, resolved: 0 });
    expect(closed.body.digest.matches).toBe(false);

    const [result, ...others] = await receiveOutbound();
    expect(others).toEqual([]);
    expect(result).toMatchObject({ kind: 'reconciliation-result', source: SOURCE, dataset: 'items', batchId: BATCH, counts: closed.body.counts, digestMatches: false });
    expect(result.resend.seqs).toEqual([10]);
    expect(result.resend.records.map((r: { id: string }) => r.id)).toEqual(['item-0010', 'item-0020']);
    expect(result.resend.records[0].reasons).toEqual([{ field: 'data.region', message: 'is not a GB/T 2260 region code' }]);
    expect(result.resend.records[1].reasons).toEqual([{ field: 'data.agencyUscc', message: 'has a wrong check character' }]);
  });

  it('gives the same report to the administrator, and the quarantine holds the 2 rejected records with reasons', async () => {
    const byAdmin = await report(BATCH, adminToken);
    expect(byAdmin.body.counts).toEqual((await report(BATCH)).body.counts);
    const quarantine = await platform.call('GET', `/v1/exchange/quarantine?batchId=${BATCH}`, { token: sourceToken });
    expect(quarantine.status).toBe(200);
    expect(quarantine.body.entries.map((e: { recordId: string; reason: string }) => [e.recordId, e.reason])).toEqual([
      ['item-0010', 'invalid_record'],
      ['item-0020', 'invalid_record'],
    ]);
  });

  it('a replay of the whole batch changes no data and no count but duplicate', async () => {
    const before = await report(BATCH);
    const item = await readItem('item-0500');
    expect(item.body.records[0]).toMatchObject({ id: 'item-0500', version: 1, data: { name: '事项 500' } });

    expect((await push(shuffled([...messages, batchManifest], 3))).status).toBe(202);
    await platform.runtime.drainQueues();

    const after = await report(BATCH);
    expect(after.body.counts).toEqual({ ...before.body.counts, duplicate: before.body.counts.duplicate + 999 + 3 });
    expect((await readItem('item-0500')).body.records[0]).toEqual(item.body.records[0]);
    expect(await platform.runtime.queue.stats('exchange-inbound')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('the lost message sent after the close counts as late and its record is stored', async () => {
    expect((await push([lost])).status).toBe(202);
    await platform.runtime.drainQueues();
    const after = await report(BATCH);
    expect(after.body.counts).toMatchObject({ missing: 1, late: 1, accepted: 997 });
    expect((await readItem('item-1000')).status).toBe(200);
  });
});

describe('version order', () => {
  it('an older version after a newer one is ignored', async () => {
    const newer = { id: 'item-0001', op: 'upsert' as const, version: 3, data: itemData({ name: '第三版' }) };
    const older = { id: 'item-0001', op: 'upsert' as const, version: 2, data: itemData({ name: '第二版' }) };
    await push([envelope(SOURCE, 'items', 'zj-items-v3', 1, [newer])]);
    await platform.runtime.drainQueues();
    await push([envelope(SOURCE, 'items', 'zj-items-v2', 1, [older])]);
    await platform.runtime.drainQueues();
    const stored = await readItem('item-0001');
    expect(stored.body.records[0]).toMatchObject({ version: 3, data: { name: '第三版' } });
    expect((await report('zj-items-v2')).body.counts).toMatchObject({ received: 1, accepted: 1 });
  });
});

describe('what cannot be taken in', () => {
  it('a message from an unknown source is quarantined', async () => {
    await push([envelope('nobody-here', 'items', 'x-1', 1, [records[0]!])]);
    await platform.runtime.drainQueues();
    const quarantine = await platform.call('GET', '/v1/exchange/quarantine?source=nobody-here', { token: adminToken });
    expect(quarantine.status).toBe(200);
    expect(quarantine.body.entries).toEqual([expect.objectContaining({ kind: 'message', source: 'nobody-here', batchId: 'x-1', reason: 'unknown_source' })]);
    expect((await platform.call('GET', '/v1/exchange/quarantine?source=nobody-here', { token: sourceToken })).status).toBe(403);
  });

  it('a poison message ends in the dead-letter queue while the queue keeps flowing', async () => {
    const dlq = deadLetterQueueName('exchange-inbound');
    const dlqBefore = (await platform.runtime.queue.stats(dlq)).visible;
    await push(['not an exchange message', envelope(SOURCE, 'items', 'zj-items-after-poison', 1, [{ ...records[1]!, version: 5 }])]);
    await platform.runtime.drainQueues();
    expect((await report('zj-items-after-poison')).body.counts).toMatchObject({ accepted: 1 });

    for (let delivery = 1; delivery <= queues['exchange-inbound'].maxReceiveCount; delivery++) {
      clock.advance(queues['exchange-inbound'].visibilityTimeoutSeconds + 1);
      await platform.runtime.drainQueues();
    }
    expect((await platform.runtime.queue.stats(dlq)).visible).toBe(dlqBefore + 1);
    expect(await platform.runtime.queue.stats('exchange-inbound')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});
