import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { functions, manifest } from '../infra/manifest.js';
import { startLocalRuntime, type LocalRuntime } from '../infra/local/runtime.js';
import { usccCheckChar } from '../shared/codes/uscc.js';
import { batchDigest } from '../shared/exchange/batch-digest.js';
import { closeDueBatches } from '../shared/exchange/close-batch.js';
import { exchangeServices } from '../shared/exchange/exchange-services.js';
import { chinaDay } from '../shared/exchange/exchange-queues.js';
import { getDayReconciliation } from '../shared/exchange/read-batches.js';

const SOURCE = 'bench-source';
const AGENCY_USCC = `11330106MB1A2B3C4${usccCheckChar('11330106MB1A2B3C4')}`;
const INGEST_RECORDS = 3000;
const RECORDS_PER_MESSAGE = 100;
const DAY_BATCHES = 100;
const DAY_RECORDS_PER_BATCH = 1000;

/**
 * Exchange figures (`npm run bench`), on the embedded stores of one local runtime:
 * 1. ingest: records per second through the local queue, from sending the messages to the queue
 *    being empty, with the data-ingest subscription's batch size and the records per message;
 * 2. reconciliation of a 100,000-record day: 100 open batches of 1,000 arrivals each, with their
 *    manifests, are written straight into the exchange table (BatchWrite, as ingest would have left
 *    them), then timed: the scheduled closer closing all of them (reading every arrival, computing
 *    every digest) and the day report over them.
 */
export async function runExchangeBench(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-exchange-'));
  // only data-ingest runs, so the figures measure the exchange alone; every table and queue exists
  const exchangeOnly = { ...manifest, functions: manifest.functions.filter((fn) => fn.name === 'data-ingest') };
  const runtime = await startLocalRuntime({ dataDir, port: 0, persist: false, schedules: false, logLevel: 'ERROR', queuePollMs: 5, manifest: exchangeOnly });
  try {
    const services = exchangeServices(runtime.dependencies);
    await services.platformRegistry.put({ platformId: SOURCE, name: 'bench', accountIds: [], source: { datasets: ['items'] }, updatedAt: new Date().toISOString(), version: 1 }, undefined);
    await ingestFigure(runtime);
    await dayFigure(runtime, services);
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function ingestFigure(runtime: LocalRuntime): Promise<void> {
  const subscription = functions.find((fn) => fn.name === 'data-ingest')!.subscriptions[0];
  const messages = Array.from({ length: INGEST_RECORDS / RECORDS_PER_MESSAGE }, (_, m) => ({
    body: {
      source: SOURCE,
      dataset: 'items',
      batchId: 'bench-ingest',
      seq: m + 1,
      sentAt: new Date().toISOString(),
      records: Array.from({ length: RECORDS_PER_MESSAGE }, (_, r) => ({ id: `i-${m}-${r}`, op: 'upsert', version: 1, data: item(`事项 ${m}-${r}`) })),
    },
  }));
  const started = performance.now();
  await runtime.queue.send('exchange-inbound', messages);
  await runtime.drainQueues();
  const seconds = (performance.now() - started) / 1000;
  const stats = await runtime.queue.stats('exchange-inbound');
  if (stats.visible + stats.inFlight > 0) throw new Error('exchange bench: messages left on exchange-inbound');
  console.log('\n== Exchange: ingest through the local queue ==');
  console.log(
    `${INGEST_RECORDS} records in ${messages.length} messages of ${RECORDS_PER_MESSAGE}, delivered ${subscription.batchSize} messages per batch: ` +
      `${seconds.toFixed(1)} s, ${(INGEST_RECORDS / seconds).toFixed(0)} records/s`,
  );
}

async function dayFigure(runtime: LocalRuntime, services: ReturnType<typeof exchangeServices>): Promise<void> {
  const { client } = runtime.dependencies.tables;
  const TableName = runtime.dependencies.tables.name('exchange');
  // two days back, so the day holds only the generated batches (the ingest figure's batch is today's)
  const lastActivity = new Date(Date.now() - 48 * 3600_000).toISOString();
  const day = chinaDay(new Date(lastActivity));
  const writeStarted = performance.now();
  for (let b = 0; b < DAY_BATCHES; b++) {
    const batchId = `day-${String(b).padStart(3, '0')}`;
    const ids = Array.from({ length: DAY_RECORDS_PER_BATCH }, (_, r) => ({ id: `d-${b}-${r}`, version: 1 }));
    const items = ids.map((record, r) => ({
      pk: `ARRIVAL#${SOURCE}#${batchId}`,
      sk: `${record.id}#1`,
      ...record,
      seq: Math.floor(r / RECORDS_PER_MESSAGE) + 1,
      outcome: 'accepted',
      late: false,
    }));
    items.push({
      pk: `BATCH#${batchId}`,
      sk: `SOURCE#${SOURCE}`,
      source: SOURCE,
      batchId,
      dataset: 'items',
      state: 'open',
      day,
      firstSeenAt: lastActivity,
      lastActivityAt: lastActivity,
      manifest: { recordCount: DAY_RECORDS_PER_BATCH, digest: batchDigest(ids), messageCount: DAY_RECORDS_PER_BATCH / RECORDS_PER_MESSAGE, receivedAt: lastActivity },
      received: DAY_RECORDS_PER_BATCH,
      accepted: DAY_RECORDS_PER_BATCH,
      rejected: 0,
      duplicate: 0,
      late: 0,
      resolved: 0,
      seqs: new Set(Array.from({ length: DAY_RECORDS_PER_BATCH / RECORDS_PER_MESSAGE }, (_, s) => s + 1)),
      gsi1pk: 'OPEN_BATCH',
      gsi1sk: `${lastActivity}#${SOURCE}#${batchId}`,
      gsi2pk: `DAY#${SOURCE}#items#${day}`,
      gsi2sk: batchId,
    } as never);
    for (let start = 0; start < items.length; start += 25) {
      await client.send(new BatchWriteCommand({ RequestItems: { [TableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  }
  const writeSeconds = (performance.now() - writeStarted) / 1000;

  const closeStarted = performance.now();
  const { closed } = await closeDueBatches(services, { closeAfterMinutes: 10 });
  const closeSeconds = (performance.now() - closeStarted) / 1000;
  const reportStarted = performance.now();
  const report = await getDayReconciliation(services, { principal: { sub: 'bench', subjectType: 'staff', level: 3, roles: ['admin'], amr: [] }, admin: true }, { source: SOURCE, dataset: 'items', date: day });
  const reportSeconds = (performance.now() - reportStarted) / 1000;
  if (closed !== DAY_BATCHES || report.status !== 'balanced' || report.totals.received !== DAY_BATCHES * DAY_RECORDS_PER_BATCH) {
    throw new Error(`exchange bench: closed ${closed}, status ${report.status}, received ${report.totals.received}`);
  }
  console.log('\n== Exchange: reconciliation of a 100,000-record day ==');
  console.log(`${DAY_BATCHES} batches × ${DAY_RECORDS_PER_BATCH} records written straight into the table (BatchWrite) in ${writeSeconds.toFixed(1)} s`);
  console.log(`closing all ${closed} batches (every arrival read, every digest computed): ${closeSeconds.toFixed(1)} s; day report: ${(reportSeconds * 1000).toFixed(0)} ms`);
}

function item(name: string) {
  return { itemCode: 'SC-XK-0001', name, region: '330106', agencyName: '杭州市西湖区行政审批局', agencyUscc: AGENCY_USCC, legalDays: 3, promisedDays: 1, onlineDepth: 4, fee: false, status: 'active' };
}
