import type { FieldIssue } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ItemCodes } from '../ports/item-codes.js';
import type { Tables } from '../ports/tables.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import { MAX_TRANSACTION_ITEMS, TransactionConflictError, writeAll, type TransactionItem } from '../tables/transactions.js';
import type { RecordVersion } from './batch-digest.js';
import type { BatchRepository } from './batch-repository.js';
import type { DatasetName } from './dataset-names.js';
import type { ExchangeRecord } from './exchange-messages.js';
import { chinaDay } from './exchange-queues.js';
import { publishChanges, type ChangePublishing } from './publish-changes.js';
import type { QuarantineRepository } from './quarantine-repository.js';
import { protectRecordData, type ProtectedData } from './record-protection.js';
import type { RecordRepository, StoredRecord } from './record-repository.js';
import { recordProblems, type ItemCodeCache } from './validate-record.js';

export interface RecordIngestion extends ChangePublishing {
  readonly tables: Tables;
  readonly batches: BatchRepository;
  readonly records: RecordRepository;
  readonly quarantine: QuarantineRepository;
  readonly itemCodes: ItemCodes;
  readonly protector: PersonalDataProtector;
  readonly clock: Clock;
}

/** records of one batch message, from the queue or from a part of an exchange file */
export interface RecordDelivery {
  readonly source: string;
  readonly dataset: DatasetName;
  readonly batchId: string;
  readonly seq: number;
  readonly records: readonly ExchangeRecord[];
  /** unique per delivered message (the SQS message id, or file id and part): a redelivery of it counts nothing twice */
  readonly messageKey: string;
}

/** The batch is another dataset's: the message cannot be counted in it. */
export class BatchConflictError extends Error {
  constructor(readonly existingDataset: string) {
    super(`the batch holds ${existingDataset} records`);
    this.name = 'BatchConflictError';
  }
}

/** a transaction carries the chunk marker, the batch counters and two writes per record */
const RECORDS_PER_CHUNK = Math.floor((MAX_TRANSACTION_ITEMS - 2) / 2);
const MAX_ATTEMPTS = 10;

interface Checked {
  readonly record: ExchangeRecord;
  readonly issues: readonly FieldIssue[];
  readonly data?: ProtectedData;
}

/**
 * Takes in the records of one batch message (GB/T 39047 §6.3.5 b). Steps:
 * 1. check every record against its dataset's master-data and metadata rules; seal personal fields;
 * 2. set aside extra copies of the same (id, version) within the message: they are duplicates;
 * 3. write the records in chunks, each one transaction: a marker of the chunk (a redelivered
 *    message finds it and counts nothing twice), per record its arrival (the first copy of an
 *    (id, version) in the batch; a second copy fails the condition and counts as a duplicate) and
 *    either the version-ordered upsert (valid records) or a quarantine entry with the reasons
 *    (invalid ones), and the batch's counters: received, accepted, rejected, duplicate, or late
 *    when the batch had closed. Failed conditions are sorted out and the chunk written again;
 * 4. send what changed to the subscribed consumers, then mark the chunks published (a chunk left
 *    unpublished by a crash is published again when the message comes back).
 */
export async function ingestRecords(deps: RecordIngestion, delivery: RecordDelivery): Promise<void> {
  const cache: ItemCodeCache = new Map();
  const checked: Checked[] = await Promise.all(
    delivery.records.map(async (record) => {
      const issues = await recordProblems({ itemCodes: deps.itemCodes, cache }, delivery.dataset, record);
      const data = record.op === 'upsert' && record.data ? await protectRecordData(deps.protector, delivery.dataset, record.data) : undefined;
      return { record, issues, ...(data ? { data } : {}) };
    }),
  );
  const firstCopies = new Map<string, Checked>();
  for (const item of checked) {
    const key = `${item.record.id}#${item.record.version}`;
    if (!firstCopies.has(key)) firstCopies.set(key, item);
  }
  const unique = [...firstCopies.values()];
  const copiesInMessage = checked.length - unique.length;

  const published: RecordVersion[] = [];
  const chunkIds: string[] = [];
  for (let start = 0, index = 0; start < unique.length; start += RECORDS_PER_CHUNK, index++) {
    const chunkId = `${delivery.messageKey}#${index}`;
    const outcome = await writeChunk(deps, delivery, chunkId, unique.slice(start, start + RECORDS_PER_CHUNK), index === 0 ? copiesInMessage : 0);
    if (!outcome.published) {
      published.push(...outcome.applied);
      chunkIds.push(chunkId);
    }
  }
  if (chunkIds.length === 0) return;
  const stored = await deps.records.getMany(delivery.dataset, delivery.source, [...new Set(published.map((record) => record.id))]);
  const wanted = new Set(published.map((record) => `${record.id}#${record.version}`));
  await publishChanges(deps, { source: delivery.source, dataset: delivery.dataset, records: stored.filter((record) => wanted.has(`${record.id}#${record.version}`)) });
  for (const chunkId of chunkIds) await deps.batches.markChunkPublished(delivery.source, delivery.batchId, chunkId);
}

/** Writes one chunk; returns the (id, version) it stored and whether they were published already. */
async function writeChunk(
  deps: RecordIngestion,
  delivery: RecordDelivery,
  chunkId: string,
  items: readonly Checked[],
  copiesInMessage: number,
): Promise<{ applied: RecordVersion[]; published: boolean }> {
  const duplicates = new Set<Checked>();
  const stale = new Set<Checked>();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const batch = await deps.batches.get(delivery.source, delivery.batchId);
    if (batch && batch.dataset !== delivery.dataset) throw new BatchConflictError(batch.dataset);
    const late = batch?.state === 'closed';

    const live = items.filter((item) => !duplicates.has(item));
    const valid = live.filter((item) => item.issues.length === 0);
    // one write per item in a transaction: of several versions of one record, only the highest is stored
    const highest = new Map<string, Checked>();
    for (const item of valid) {
      const known = highest.get(item.record.id);
      if (!known || known.record.version < item.record.version) highest.set(item.record.id, item);
    }
    const upserts = [...highest.values()].filter((item) => !stale.has(item));
    const rejected = live.filter((item) => item.issues.length > 0);
    const applied = upserts.map((item) => ({ id: item.record.id, version: item.record.version }));

    const writes: { item: TransactionItem; onConflict: 'processed' | 'duplicate' | 'stale' | 'batch-changed' | 'never'; subject?: Checked }[] = [
      { item: deps.batches.chunkItem(delivery.source, delivery.batchId, chunkId, applied, now), onConflict: 'processed' },
      ...live.map((subject) => ({
        item: deps.batches.arrivalItem(
          delivery.source,
          delivery.batchId,
          { id: subject.record.id, version: subject.record.version, seq: delivery.seq, outcome: subject.issues.length === 0 ? ('accepted' as const) : ('rejected' as const), late },
          now,
        ),
        onConflict: 'duplicate' as const,
        subject,
      })),
      ...upserts.map((subject) => ({ item: deps.records.upsertItem(storedRecord(delivery, subject, now)), onConflict: 'stale' as const, subject })),
      ...rejected.map((subject) => ({
        item: deps.quarantine.recordEntryItem({
          source: delivery.source,
          batchId: delivery.batchId,
          dataset: delivery.dataset,
          seq: delivery.seq,
          recordId: subject.record.id,
          version: subject.record.version,
          op: subject.record.op,
          ...(subject.data ? { data: subject.data } : {}),
          reason: 'invalid_record',
          issues: subject.issues,
          receivedAt: now.toISOString(),
        }),
        onConflict: 'never' as const,
      })),
      {
        item: deps.batches.countItem({
          source: delivery.source,
          dataset: delivery.dataset,
          batchId: delivery.batchId,
          day: batch?.day ?? chinaDay(now),
          now: now.toISOString(),
          expectedState: late ? 'closed' : 'open',
          seq: delivery.seq,
          increments: {
            received: late ? 0 : live.length,
            accepted: late ? 0 : live.length - rejected.length,
            rejected: late ? 0 : rejected.length,
            late: late ? live.length : 0,
            duplicate: duplicates.size + copiesInMessage,
          },
        }),
        onConflict: 'batch-changed',
      },
    ];

    try {
      await writeAll(deps.tables, writes.map((write) => write.item));
      return { applied, published: false };
    } catch (error) {
      if (!(error instanceof TransactionConflictError)) throw error;
      const conflicts = error.failed.map((position) => writes[position]!);
      if (conflicts.some((conflict) => conflict.onConflict === 'processed')) {
        const marker = await deps.batches.getChunk(delivery.source, delivery.batchId, chunkId);
        return { applied: marker?.applied ?? [], published: marker?.published ?? true };
      }
      for (const conflict of conflicts) {
        if (conflict.onConflict === 'duplicate') duplicates.add(conflict.subject!);
        if (conflict.onConflict === 'stale') stale.add(conflict.subject!);
      }
    }
  }
  throw new Error(`exchange: chunk ${chunkId} of batch ${delivery.batchId} did not settle after ${MAX_ATTEMPTS} attempts`);
}

function storedRecord(delivery: RecordDelivery, item: Checked, now: Date): StoredRecord {
  return {
    source: delivery.source,
    dataset: delivery.dataset,
    id: item.record.id,
    version: item.record.version,
    deleted: item.record.op === 'delete',
    ...(item.data ? { data: item.data } : {}),
    batchId: delivery.batchId,
    updatedAt: now.toISOString(),
  };
}
