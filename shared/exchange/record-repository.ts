import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import type { TransactionItem } from '../tables/transactions.js';
import type { DatasetName } from './dataset-names.js';
import type { ProtectedData } from './record-protection.js';

/** An exchanged record as stored: the latest version a source sent for (dataset, id). */
export interface StoredRecord {
  readonly source: string;
  readonly dataset: DatasetName;
  readonly id: string;
  readonly version: number;
  /** a delete leaves a tombstone, so an older upsert cannot bring the record back */
  readonly deleted: boolean;
  readonly data?: ProtectedData;
  readonly batchId: string;
  readonly updatedAt: string;
}

const recordKey = (dataset: string, source: string, id: string) => ({ pk: `RECORD#${dataset}#${source}`, sk: id });

/** Exchanged records keyed by (source, dataset, id), in the exchange table. */
export function recordRepository(tables: Tables) {
  const TableName = tables.name('exchange');
  return {
    /**
     * The version-ordered upsert, as one write of a transaction: it applies only when no record is
     * stored or the stored version is lower, so an older version never overwrites a newer one and a
     * replay of the same version changes nothing.
     */
    upsertItem(record: StoredRecord): TransactionItem {
      return {
        Put: {
          TableName,
          Item: { ...recordKey(record.dataset, record.source, record.id), type: 'exchange-record', ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
          ExpressionAttributeValues: { ':version': record.version },
        },
      };
    },

    async get(dataset: DatasetName, source: string, id: string): Promise<StoredRecord | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: recordKey(dataset, source, id) }));
      return Item ? toRecord(Item) : undefined;
    },

    async getMany(dataset: DatasetName, source: string, ids: readonly string[]): Promise<StoredRecord[]> {
      const found = await Promise.all(ids.map((id) => this.get(dataset, source, id)));
      return found.filter((record): record is StoredRecord => record !== undefined);
    },

    /** A page of one source's records of a dataset in id order, optionally only those updated since a moment. */
    async list(
      dataset: DatasetName,
      source: string,
      options: { limit: number; after?: string; updatedSince?: string; includeDeleted?: boolean },
    ): Promise<{ records: StoredRecord[]; lastId?: string }> {
      const filters = [...(options.updatedSince ? ['updatedAt >= :since'] : []), ...(options.includeDeleted ? [] : ['deleted = :false'])];
      const records: StoredRecord[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined = options.after ? recordKey(dataset, source, options.after) : undefined;
      do {
        const page = await tables.client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
            ExpressionAttributeValues: {
              ':pk': recordKey(dataset, source, '').pk,
              ...(options.updatedSince ? { ':since': options.updatedSince } : {}),
              ...(options.includeDeleted ? {} : { ':false': false }),
            },
            Limit: options.limit - records.length,
            ExclusiveStartKey,
          }),
        );
        records.push(...(page.Items ?? []).map(toRecord));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey && records.length < options.limit);
      return { records, ...(ExclusiveStartKey ? { lastId: String(ExclusiveStartKey.sk) } : {}) };
    },
  };
}

export type RecordRepository = ReturnType<typeof recordRepository>;

function toRecord(item: Record<string, unknown>): StoredRecord {
  const { pk: _pk, sk: _sk, type: _type, ...record } = item;
  return record as unknown as StoredRecord;
}
