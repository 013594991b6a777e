import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tables as tableSpecs } from '../../infra/manifest.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { createFolderBlobStore } from '../../shared/adapters/local/folder-blob-store.js';
import { createLocalKeyVault } from '../../shared/adapters/local/local-key-vault.js';
import { LocalQueue } from '../../shared/adapters/local/local-queue.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { DEMO_AGENCIES } from '../../infra/local/demo-seed.js';
import { demoCatalog } from '../../infra/local/seed-data/demo-catalog.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { batchReport } from '../../shared/exchange/batch-report.js';
import { closeBatch } from '../../shared/exchange/close-batch.js';
import { exchangeServices, type ExchangeServices } from '../../shared/exchange/exchange-services.js';
import { ingestMessage, type MessageIngestion } from '../../shared/exchange/ingest-message.js';
import type { QueuePublisher } from '../../shared/ports/queue.js';
import { envelope, itemData, manifest, type TestRecord } from '../support/exchange-batches.js';
import { ManualClock } from '../support/manual-clock.js';

/** The ingest use cases against the embedded DynamoDB, the local key vault and the local queue. */
let db: EmbeddedDynamo;
let dir: string;
let queue: LocalQueue;
let services: MessageIngestion & ExchangeServices;
const clock = new ManualClock('2030-03-01T02:00:00Z');
let sends = 0;
let failSends = 0;

beforeAll(async () => {
  db = await startEmbeddedDynamo();
  dir = await mkdtemp(join(tmpdir(), 'gsp-exchange-'));
  const tables = localTables(db.documentClient);
  await ensureTables(db.client, [
    { tableName: tables.name('exchange'), spec: tableSpecs.exchange },
    { tableName: tables.name('catalog'), spec: tableSpecs.catalog },
  ]);
  // the published basic items of the demo catalog, for the referential checks of item codes
  const { basicItems } = demoCatalog(DEMO_AGENCIES);
  await catalogRepository(tables).basicItems.importPublished(basicItems.map((item) => ({ key: item.code, content: item })), { sub: 'test' }, clock.now());
  const vault = createLocalKeyVault({ dir, clock });
  const dataKey = await vault.createSymmetricKey({ description: 'data' });
  queue = await LocalQueue.open({ documentClient: db.documentClient, clock });
  // the local queue, with a switch that makes the next sends fail the way an SQS outage would
  const queues: QueuePublisher = {
    send: async (name, messages) => {
      sends++;
      if (failSends > 0) {
        failSends--;
        throw new Error('queue unavailable');
      }
      return queue.send(name, messages);
    },
  };
  const base = exchangeServices({ tables, vault, keyIds: { data: dataKey.keyId, lookupHash: '', tokenSigning: '' }, queues, clock });
  services = { ...base, blobs: createFolderBlobStore({ dir: join(dir, 'blobs'), publicBaseUrl: 'http://127.0.0.1:1', signingSecret: 'secret', clock }) };
  const registration = { accountIds: [], updatedAt: clock.now().toISOString(), version: 1 };
  await services.platformRegistry.put({ ...registration, platformId: 'src-a', name: 'A', outboundQueue: 'exchange-outbound-zj-regional', source: { datasets: ['items', 'cases'] } }, undefined);
  await services.platformRegistry.put(
    { ...registration, platformId: 'consumer-b', name: 'B', outboundQueue: 'exchange-outbound-zj-regional', consumer: { grants: [{ dataset: 'items', subscribe: true, clearFields: [] }] } },
    undefined,
  );
});
afterAll(async () => {
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

let messageCounter = 0;
const ingest = (body: unknown, messageKey = `m-${++messageCounter}`) => ingestMessage(services, { messageKey, body: JSON.stringify(body) });
const record = (id: string, version = 1, overrides: Record<string, unknown> = {}): TestRecord => ({ id, op: 'upsert', version, data: itemData({ name: `${id} v${version}`, ...overrides }) });
const counts = async (batchId: string) => (await batchReport(services, (await services.batches.get('src-a', batchId))!)).counts;
async function drainOutbound(): Promise<any[]> {
  const bodies: any[] = [];
  for (let received = await queue.receive('exchange-outbound-zj-regional', { max: 10, visibilityTimeoutSeconds: 30 }); received.length > 0; received = await queue.receive('exchange-outbound-zj-regional', { max: 10, visibilityTimeoutSeconds: 30 })) {
    for (const message of received) {
      await queue.delete('exchange-outbound-zj-regional', message.receiptHandle);
      bodies.push(JSON.parse(message.body));
    }
  }
  return bodies;
}

describe('ingesting records', () => {
  it('a redelivered SQS message (same message id) changes nothing at all', async () => {
    const message = envelope('src-a', 'items', 'redelivery', 1, [record('r-1'), record('r-2'), record('r-1')]);
    await ingest(message, 'sqs-message-1');
    const first = await counts('redelivery');
    expect(first).toMatchObject({ received: 2, accepted: 2, duplicate: 1 });
    await ingest(message, 'sqs-message-1');
    expect(await counts('redelivery')).toEqual(first);
  });

  it('counts across chunks of one message, with several versions of a record and copies in other messages', async () => {
    const many = Array.from({ length: 130 }, (_, i) => record(`c-${i}`));
    await ingest(envelope('src-a', 'items', 'chunks', 1, [...many, record('c-5', 2), record('c-5', 3)]));
    await ingest(envelope('src-a', 'items', 'chunks', 2, [many[0]!, many[129]!, record('c-5', 3)]));
    expect(await counts('chunks')).toMatchObject({ received: 132, accepted: 132, duplicate: 3 });
    expect((await services.records.get('items', 'src-a', 'c-5'))?.version).toBe(3);
  });

  it('gives the same counts whatever the order, also when messages of a batch run at the same time', async () => {
    const records = Array.from({ length: 60 }, (_, i) => record(`o-${i}`, 1, i % 13 === 0 ? { region: '000000' } : {}));
    const messagesOf = (batchId: string) => [0, 1, 2].map((m) => envelope('src-a', 'items', batchId, m + 1, records.slice(m * 20, m * 20 + 25)));
    const inOrder = messagesOf('order-1');
    for (const message of [manifest('src-a', 'items', 'order-1', records, 3), ...inOrder]) await ingest(message);
    const reversed = messagesOf('order-2');
    await Promise.all([...reversed.reverse(), manifest('src-a', 'items', 'order-2', records, 3)].map((message) => ingest(message)));
    const a = await counts('order-1');
    expect(a).toMatchObject({ declared: 60, received: 60, accepted: 55, rejected: 5, duplicate: 10, missing: 0, mismatch: 0 });
    expect(await counts('order-2')).toEqual(a);
  });

  it('a delete leaves a tombstone that an older upsert cannot overwrite', async () => {
    await ingest(envelope('src-a', 'items', 'deletes', 1, [record('d-1', 1), { id: 'd-1', op: 'delete', version: 2 }]));
    await ingest(envelope('src-a', 'items', 'deletes-late', 1, [record('d-1', 1, { name: 'again' })]));
    expect(await services.records.get('items', 'src-a', 'd-1')).toMatchObject({ version: 2, deleted: true });
  });

  it('quarantines a message of another dataset under the same batch id, and a second manifest that differs', async () => {
    await ingest(envelope('src-a', 'items', 'conflicts', 1, [record('k-1')]));
    await ingest({ ...envelope('src-a', 'cases', 'conflicts', 2, [record('k-2')]) });
    await ingest(manifest('src-a', 'items', 'conflicts', [{ id: 'k-1', version: 1 }], 1));
    await ingest(manifest('src-a', 'items', 'conflicts', [{ id: 'k-1', version: 2 }], 1));
    const { entries } = await services.quarantine.list('src-a', { batchId: 'conflicts', limit: 10 });
    expect(entries.map((entry) => entry.reason).sort()).toEqual(['batch_conflict', 'manifest_conflict']);
    expect(await counts('conflicts')).toMatchObject({ declared: 1, received: 1, missing: 0, mismatch: 0 });
  });

  it('rejects records whose item code is not a published item of the catalog', async () => {
    await ingest(envelope('src-a', 'items', 'catalog-check', 1, [record('cat-1'), record('cat-2', 1, { itemCode: 'SC-XK-9999' })]));
    expect(await counts('catalog-check')).toMatchObject({ accepted: 1, rejected: 1 });
    const { entries } = await services.quarantine.list('src-a', { batchId: 'catalog-check', limit: 10 });
    expect(entries.map((entry) => entry.issues)).toEqual([[{ field: 'data.itemCode', message: 'is not an item of the catalog' }]]);
  });

  it('reports a mismatch when the counts agree but the versions do not', async () => {
    await ingest(envelope('src-a', 'items', 'mismatch', 1, [record('x-1', 2)]));
    await ingest(manifest('src-a', 'items', 'mismatch', [{ id: 'x-1', version: 1 }], 1));
    expect(await counts('mismatch')).toMatchObject({ declared: 1, received: 1, missing: 0, mismatch: 1 });
  });

  it('fails a body that is not a JSON object, so the queue can dead-letter it', async () => {
    await expect(ingestMessage(services, { messageKey: 'poison', body: 'not json' })).rejects.toThrow('not JSON');
    await expect(ingestMessage(services, { messageKey: 'poison', body: '[1,2]' })).rejects.toThrow('not a JSON object');
  });
});

describe('table exchange', () => {
  it('publishes each change once to the subscribed consumer, and again after a failed send when the message comes back', async () => {
    await drainOutbound();
    await ingest(envelope('src-a', 'items', 'publish', 1, [record('p-1'), record('p-2')]), 'publish-1');
    const changes = (await drainOutbound()).filter((m) => m.kind === 'changes');
    expect(changes.flatMap((m) => m.changes.map((c: { id: string }) => c.id)).sort()).toEqual(['p-1', 'p-2']);

    failSends = 1;
    const message = envelope('src-a', 'items', 'publish', 2, [record('p-3')]);
    await expect(ingest(message, 'publish-2')).rejects.toThrow('queue unavailable');
    const sendsBefore = sends;
    await ingest(message, 'publish-2');
    expect(sends).toBe(sendsBefore + 1);
    expect((await drainOutbound()).flatMap((m) => m.changes.map((c: { id: string }) => c.id))).toEqual(['p-3']);
    await ingest(message, 'publish-2');
    expect(await drainOutbound()).toEqual([]);
    expect(await counts('publish')).toMatchObject({ received: 3, duplicate: 0 });
  });

  it('does not send a source its own changes', async () => {
    await services.platformRegistry.put(
      {
        platformId: 'src-c',
        name: 'C',
        accountIds: [],
        outboundQueue: 'exchange-outbound-zj-regional',
        source: { datasets: ['items'] },
        consumer: { grants: [{ dataset: 'items', subscribe: true, clearFields: [] }] },
        updatedAt: clock.now().toISOString(),
        version: 1,
      },
      undefined,
    );
    clock.advance(31);
    await drainOutbound();
    await ingest(envelope('src-c', 'items', 'own', 1, [record('own-1')]));
    const changes = (await drainOutbound()).filter((m) => m.kind === 'changes');
    expect(changes).toHaveLength(1);
  });
});

describe('closing', () => {
  it('names lost messages up to the highest seq seen when the manifest gives no message count', async () => {
    await ingest(envelope('src-a', 'items', 'gaps', 1, [record('g-1')]));
    await ingest(envelope('src-a', 'items', 'gaps', 4, [record('g-4')]));
    await ingest(manifest('src-a', 'items', 'gaps', ['g-1', 'g-2', 'g-3', 'g-4', 'g-5'].map((id) => ({ id, version: 1 }))));
    const report = await closeBatch(services, { source: 'src-a', batchId: 'gaps', closedBy: 'test' });
    expect(report.counts).toMatchObject({ declared: 5, received: 2, missing: 3 });
    expect(report.resend.seqs).toEqual([2, 3]);
    const again = await closeBatch(services, { source: 'src-a', batchId: 'gaps', closedBy: 'other' });
    expect(again).toEqual(report);
  });
});
