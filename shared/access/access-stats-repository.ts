import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { queryAll } from '../tables/query-all.js';
import { ttlFromNow } from '../tables/expiry.js';

/** the counters of one row: the day's total or one value of a dimension */
export interface AccessCounters {
  readonly count: number;
  readonly failures: number;
  readonly latencySum: number;
}

/** a consumed batch is remembered this long, longer than the queue keeps a message */
const BATCH_MEMORY_SECONDS = 7 * 86_400;

const day = (date: string) => `DAY#${date}`;

/**
 * Per-day access aggregates in the access-stats table, under `DAY#<YYYY-MM-DD>` (China time):
 * `TOTAL` (with the unique user count), `DIM#<dimension>#<value>`, `USER#<key>` (one per
 * anonymised user key, to count each once); consumed batch ids under `BATCH#<id>`.
 */
export function accessStatsRepository(tables: Tables) {
  const TableName = tables.name('access-stats');
  return {
    /** remembers a batch id; false when it was consumed before (a redelivery) */
    async claimBatch(batchId: string, now: Date): Promise<boolean> {
      try {
        await tables.client.send(
          new PutCommand({ TableName, Item: { pk: `BATCH#${batchId}`, sk: 'BATCH', expiresAt: ttlFromNow(now, BATCH_MEMORY_SECONDS) }, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
    /** adds counters to a row (`TOTAL` or `DIM#...`) of a day */
    async add(date: string, row: string, counters: AccessCounters, extra: Record<string, string | number> = {}): Promise<void> {
      await tables.client.send(
        new UpdateCommand({
          TableName,
          Key: { pk: day(date), sk: row },
          UpdateExpression: 'ADD #count :count, failures :failures, latencySum :latency' + (Object.keys(extra).length ? ' SET ' + Object.keys(extra).map((_, i) => `#x${i} = :x${i}`).join(', ') : ''),
          ExpressionAttributeNames: { '#count': 'count', ...Object.fromEntries(Object.keys(extra).map((k, i) => [`#x${i}`, k])) },
          ExpressionAttributeValues: { ':count': counters.count, ':failures': counters.failures, ':latency': counters.latencySum, ...Object.fromEntries(Object.values(extra).map((v, i) => [`:x${i}`, v])) },
        }),
      );
    },
    /** counts a user key once per day; true when it is the day's first sight of it */
    async firstSighting(date: string, userKey: string): Promise<boolean> {
      try {
        await tables.client.send(new PutCommand({ TableName, Item: { pk: day(date), sk: `USER#${userKey}` }, ConditionExpression: 'attribute_not_exists(pk)' }));
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
    async addUniqueUsers(date: string, users: number): Promise<void> {
      await tables.client.send(new UpdateCommand({ TableName, Key: { pk: day(date), sk: 'TOTAL' }, UpdateExpression: 'ADD uniqueUsers :users', ExpressionAttributeValues: { ':users': users } }));
    },
    async total(date: string): Promise<(AccessCounters & { uniqueUsers: number }) | undefined> {
      const item = (await tables.client.send(new GetCommand({ TableName, Key: { pk: day(date), sk: 'TOTAL' } }))).Item;
      if (!item) return undefined;
      return { count: Number(item.count ?? 0), failures: Number(item.failures ?? 0), latencySum: Number(item.latencySum ?? 0), uniqueUsers: Number(item.uniqueUsers ?? 0) };
    },
    async dimension(date: string, dimension: string): Promise<(AccessCounters & { value: string })[]> {
      const items = await queryAll(tables, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': day(date), ':prefix': `DIM#${dimension}#` },
      });
      return items.map((item) => ({ value: String(item.value), count: Number(item.count), failures: Number(item.failures), latencySum: Number(item.latencySum) }));
    },
  };
}

export type AccessStatsRepository = ReturnType<typeof accessStatsRepository>;
