import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import type { TransactionItem } from '../tables/transactions.js';
import type { RecordVersion } from './batch-digest.js';
import type { DatasetName } from './dataset-names.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/** what the sender declared about a batch */
export interface DeclaredManifest {
  readonly recordCount: number;
  readonly digest: string;
  readonly messageCount?: number;
  readonly receivedAt: string;
}

/** the figures fixed when a batch closes */
export interface ClosingFigures {
  readonly missing: number | null;
  readonly mismatch: number;
  readonly receivedDigest: string;
  readonly missingSeqs: readonly number[];
}

/** A batch as its counters stand: what arrived, what was accepted, what the manifest declared. */
export interface Batch {
  readonly source: string;
  readonly dataset: DatasetName;
  readonly batchId: string;
  readonly state: 'open' | 'closed';
  /** day of the first arrival, China Standard Time (YYYY-MM-DD): the day the batch is reconciled in */
  readonly day: string;
  readonly firstSeenAt: string;
  readonly lastActivityAt: string;
  readonly manifest?: DeclaredManifest;
  /** distinct (id, version) that arrived before the close */
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicate: number;
  readonly late: number;
  readonly resolved: number;
  readonly seqs: readonly number[];
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly closing?: ClosingFigures;
  readonly resultSentAt?: string;
}

/** one (id, version) of a batch, written by its first copy */
export interface Arrival extends RecordVersion {
  readonly seq: number;
  readonly outcome: 'accepted' | 'rejected';
  /** arrived after the batch had closed */
  readonly late: boolean;
}

/** what one transaction adds to a batch's counters */
export interface CounterIncrements {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicate: number;
  readonly late: number;
}

/** arrivals and chunk markers are kept long enough to recognise replays and late copies */
const TRACKING_TTL_SECONDS = 90 * 24 * 3600;

const batchKey = (source: string, batchId: string) => ({ pk: `BATCH#${batchId}`, sk: `SOURCE#${source}` });
const arrivalKey = (source: string, batchId: string, record: RecordVersion) => ({ pk: `ARRIVAL#${source}#${batchId}`, sk: `${record.id}#${record.version}` });
const chunkKey = (source: string, batchId: string, chunk: string) => ({ pk: `CHUNK#${source}#${batchId}`, sk: chunk });
const OPEN_BATCHES = 'OPEN_BATCH';
const RESULTS_TO_SEND = 'RESULT_PENDING';
const dayKey = (source: string, dataset: string, day: string) => `DAY#${source}#${dataset}#${day}`;
const activityKey = (at: string, source: string, batchId: string) => `${at}#${source}#${batchId}`;

/**
 * Batches, their arrivals and the markers of processed message chunks, in the exchange table.
 * Index gsi1 lists open batches by last activity (the closer's work list) and closed batches whose
 * result still has to reach the source; gsi2 lists a source's batches of a dataset by day.
 */
export function batchRepository(tables: Tables) {
  const TableName = tables.name('exchange');
  const expiresAt = (now: Date) => Math.ceil(now.getTime() / 1000) + TRACKING_TTL_SECONDS;

  /** the SET clauses every write that may create the batch carries */
  const creation = (input: { source: string; dataset: DatasetName; batchId: string; day: string; now: string }) => ({
    clauses: [
      '#source = :source',
      'batchId = :batchId',
      'dataset = if_not_exists(dataset, :dataset)',
      'firstSeenAt = if_not_exists(firstSeenAt, :now)',
      'lastActivityAt = :now',
      '#day = if_not_exists(#day, :day)',
      'gsi2pk = if_not_exists(gsi2pk, :dayKey)',
      'gsi2sk = :batchId',
      '#state = if_not_exists(#state, :open)',
    ],
    names: { '#source': 'source', '#day': 'day', '#state': 'state' },
    values: {
      ':source': input.source,
      ':batchId': input.batchId,
      ':dataset': input.dataset,
      ':now': input.now,
      ':day': input.day,
      ':dayKey': dayKey(input.source, input.dataset, input.day),
      ':open': 'open',
    },
  });

  return {
    async get(source: string, batchId: string): Promise<Batch | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: batchKey(source, batchId), ConsistentRead: true }));
      return Item ? toBatch(Item) : undefined;
    },

    /** every source's batch with this id (ids are the senders', so two sources may share one) */
    async findById(batchId: string): Promise<Batch[]> {
      const { Items } = await tables.client.send(
        new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': batchKey('', batchId).pk }, ConsistentRead: true }),
      );
      return (Items ?? []).map(toBatch);
    },

    /**
     * Adds the outcome of one chunk of records to the batch, creating it on first sight; one write
     * of the chunk's transaction. It holds only while the batch is in `expectedState` and of the
     * same dataset, so counts before and after a close never mix.
     */
    countItem(input: {
      source: string;
      dataset: DatasetName;
      batchId: string;
      day: string;
      now: string;
      expectedState: 'open' | 'closed';
      increments: CounterIncrements;
      seq: number;
    }): TransactionItem {
      const base = creation(input);
      const open = input.expectedState === 'open';
      return {
        Update: {
          TableName,
          Key: batchKey(input.source, input.batchId),
          UpdateExpression: [
            `SET ${[...base.clauses, ...(open ? ['gsi1pk = :openList', 'gsi1sk = :activity'] : [])].join(', ')}`,
            'ADD received :received, accepted :accepted, rejected :rejected, duplicate :duplicate, late :late, seqs :seqs',
          ].join(' '),
          ConditionExpression: open ? 'attribute_not_exists(pk) OR (#state = :expected AND dataset = :dataset)' : '#state = :expected AND dataset = :dataset',
          ExpressionAttributeNames: base.names,
          ExpressionAttributeValues: {
            ...base.values,
            ...(open ? { ':openList': OPEN_BATCHES, ':activity': activityKey(input.now, input.source, input.batchId) } : {}),
            ':expected': input.expectedState,
            ':received': input.increments.received,
            ':accepted': input.increments.accepted,
            ':rejected': input.increments.rejected,
            ':duplicate': input.increments.duplicate,
            ':late': input.increments.late,
            ':seqs': new Set([input.seq]),
          },
        },
      };
    },

    /** the first copy of an (id, version) in a batch; a second copy fails its condition and is a duplicate */
    arrivalItem(source: string, batchId: string, arrival: Arrival, now: Date): TransactionItem {
      return {
        Put: {
          TableName,
          Item: { ...arrivalKey(source, batchId, arrival), type: 'exchange-arrival', ...arrival, expiresAt: expiresAt(now) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    },

    /** marks a chunk of a message as processed, so a redelivered message counts nothing twice */
    chunkItem(source: string, batchId: string, chunk: string, applied: readonly RecordVersion[], now: Date): TransactionItem {
      return {
        Put: {
          TableName,
          Item: { ...chunkKey(source, batchId, chunk), type: 'exchange-chunk', applied, published: false, expiresAt: expiresAt(now) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    },

    async getChunk(source: string, batchId: string, chunk: string): Promise<{ applied: RecordVersion[]; published: boolean } | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: chunkKey(source, batchId, chunk), ConsistentRead: true }));
      return Item ? { applied: Item.applied as RecordVersion[], published: Item.published === true } : undefined;
    },

    async markChunkPublished(source: string, batchId: string, chunk: string): Promise<void> {
      await tables.client.send(new UpdateCommand({ TableName, Key: chunkKey(source, batchId, chunk), UpdateExpression: 'SET published = :true', ExpressionAttributeValues: { ':true': true } }));
    },

    async arrivals(source: string, batchId: string): Promise<Arrival[]> {
      const found: Arrival[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await tables.client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': arrivalKey(source, batchId, { id: '', version: 0 }).pk },
            ProjectionExpression: 'id, version, seq, outcome, late',
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        found.push(...((page.Items ?? []) as Arrival[]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return found;
    },

    /**
     * Records the manifest, creating the batch on first sight. A repeat of the same manifest changes
     * nothing; returns false when the batch is closed, of another dataset, or has another manifest.
     */
    async recordManifest(input: { source: string; dataset: DatasetName; batchId: string; day: string; now: string; manifest: DeclaredManifest }): Promise<boolean> {
      const base = creation(input);
      return writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: batchKey(input.source, input.batchId),
            UpdateExpression: `SET ${[...base.clauses, 'manifest = if_not_exists(manifest, :manifest)', 'gsi1pk = :openList', 'gsi1sk = :activity'].join(', ')} ADD received :zero`,
            ConditionExpression:
              '(attribute_not_exists(pk) OR (#state = :open AND dataset = :dataset)) AND (attribute_not_exists(manifest) OR (manifest.digest = :digest AND manifest.recordCount = :count))',
            ExpressionAttributeNames: base.names,
            ExpressionAttributeValues: {
              ...base.values,
              ':manifest': input.manifest,
              ':openList': OPEN_BATCHES,
              ':activity': activityKey(input.now, input.source, input.batchId),
              ':digest': input.manifest.digest,
              ':count': input.manifest.recordCount,
              ':zero': 0,
            },
          }),
        ),
      );
    },

    /**
     * Closes an open batch with its final figures, if nothing arrived since they were computed
     * (`received` unchanged). A batch whose source has an outbound queue waits in the result list
     * until its result is sent. Returns false when the condition failed.
     */
    async close(batch: Batch, closing: { closedAt: string; closedBy: string; figures: ClosingFigures; resultToSend: boolean }): Promise<boolean> {
      return writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: batchKey(batch.source, batch.batchId),
            UpdateExpression: closing.resultToSend
              ? 'SET #state = :closed, closedAt = :at, closedBy = :by, closing = :figures, gsi1pk = :results, gsi1sk = :activity'
              : 'SET #state = :closed, closedAt = :at, closedBy = :by, closing = :figures REMOVE gsi1pk, gsi1sk',
            ConditionExpression: '#state = :open AND received = :received',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':closed': 'closed',
              ':open': 'open',
              ':at': closing.closedAt,
              ':by': closing.closedBy,
              ':figures': closing.figures,
              ':received': batch.received,
              ...(closing.resultToSend ? { ':results': RESULTS_TO_SEND, ':activity': activityKey(closing.closedAt, batch.source, batch.batchId) } : {}),
            },
          }),
        ),
      );
    },

    async markResultSent(batch: Pick<Batch, 'source' | 'batchId'>, at: string): Promise<void> {
      await tables.client.send(
        new UpdateCommand({ TableName, Key: batchKey(batch.source, batch.batchId), UpdateExpression: 'SET resultSentAt = :at REMOVE gsi1pk, gsi1sk', ExpressionAttributeValues: { ':at': at } }),
      );
    },

    /** one of the counters changes outside a chunk (a quarantined record was fixed) */
    resolvedItem(source: string, batchId: string): TransactionItem {
      return { Update: { TableName, Key: batchKey(source, batchId), UpdateExpression: 'ADD resolved :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': 1 } } };
    },

    /** open batches whose last activity is before `before` (ISO time), oldest first */
    async openSince(before: string, limit: number): Promise<Pick<Batch, 'source' | 'batchId'>[]> {
      return listed(OPEN_BATCHES, before, limit);
    },

    /** closed batches whose result has not reached the source yet */
    async resultsToSend(limit: number): Promise<Pick<Batch, 'source' | 'batchId'>[]> {
      return listed(RESULTS_TO_SEND, '\uffff', limit);
    },

    async byDay(source: string, dataset: DatasetName, day: string): Promise<Batch[]> {
      const found: Batch[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await tables.client.send(
          new QueryCommand({ TableName, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :day', ExpressionAttributeValues: { ':day': dayKey(source, dataset, day) }, ExclusiveStartKey }),
        );
        found.push(...(page.Items ?? []).map(toBatch));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return found;
    },
  };

  async function listed(list: string, before: string, limit: number): Promise<Pick<Batch, 'source' | 'batchId'>[]> {
    const { Items } = await tables.client.send(
      new QueryCommand({
        TableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :list AND gsi1sk < :before',
        ExpressionAttributeValues: { ':list': list, ':before': before },
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ({ source: item.source as string, batchId: item.batchId as string }));
  }
}

export type BatchRepository = ReturnType<typeof batchRepository>;

function toBatch(item: Record<string, unknown>): Batch {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, seqs, ...batch } = item;
  return {
    received: 0,
    accepted: 0,
    rejected: 0,
    duplicate: 0,
    late: 0,
    resolved: 0,
    ...(batch as object),
    seqs: seqs instanceof Set ? [...(seqs as Set<number>)].sort((a, b) => a - b) : [],
  } as unknown as Batch;
}
