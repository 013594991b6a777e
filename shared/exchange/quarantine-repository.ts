import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FieldIssue } from '../errors.js';
import type { Tables } from '../ports/tables.js';
import { writtenIfCondition } from '../tables/conditional-write.js';
import type { TransactionItem } from '../tables/transactions.js';
import type { DatasetName } from './dataset-names.js';
import type { ProtectedData } from './record-protection.js';

/** why a whole message was set aside rather than processed */
export type MessageQuarantineReason = 'unknown_source' | 'invalid_message' | 'bad_signature' | 'dataset_not_allowed' | 'batch_conflict' | 'manifest_conflict' | 'invalid_file';

/** A record that failed the dataset's rules, or a message that could not be taken in; fixed records are resolved. */
export interface QuarantineEntry {
  readonly entryId: string;
  readonly kind: 'record' | 'message';
  readonly source: string;
  readonly batchId?: string;
  readonly dataset?: DatasetName;
  readonly seq?: number;
  readonly recordId?: string;
  readonly version?: number;
  readonly op?: 'upsert' | 'delete';
  /** the record's data, personal fields sealed */
  readonly data?: ProtectedData;
  readonly reason: MessageQuarantineReason | 'invalid_record';
  readonly issues: readonly FieldIssue[];
  readonly receivedAt: string;
  readonly state: 'open' | 'resolved';
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
}

const UNATTRIBUTED = '_unattributed';
/** message entries of unknown or unreadable sources go after this, so garbage cannot fill the table */
const MESSAGE_ENTRY_TTL_SECONDS = 90 * 24 * 3600;

const recordSortKey = (batchId: string, recordId: string, version: number) => `${batchId}#R#${recordId}#${version}`;
const messageSortKey = (batchId: string | undefined, messageKey: string) => `${batchId ?? '-'}#M#${messageKey}`;
const entryKey = (source: string, sortKey: string) => ({ pk: `QUARANTINE#${source}`, sk: sortKey });
/** the entry id is the key itself, opaque to callers: the same record always gets the same id */
const entryIdOf = (source: string, sortKey: string) => Buffer.from(`${source}\n${sortKey}`, 'utf8').toString('base64url');

/** The quarantine of the exchange table, by source and batch. */
export function quarantineRepository(tables: Tables) {
  const TableName = tables.name('exchange');
  return {
    /** a rejected record, written in the transaction that counts it */
    recordEntryItem(entry: Omit<QuarantineEntry, 'entryId' | 'kind' | 'state'> & { batchId: string; recordId: string; version: number }): TransactionItem {
      const sk = recordSortKey(entry.batchId, entry.recordId, entry.version);
      return {
        Put: {
          TableName,
          Item: { ...entryKey(entry.source, sk), type: 'exchange-quarantine', ...entry, kind: 'record', state: 'open', entryId: entryIdOf(entry.source, sk) },
        },
      };
    },

    /** a message set aside; a redelivery of the same message writes nothing new */
    async putMessageEntry(messageKey: string, entry: Omit<QuarantineEntry, 'entryId' | 'kind' | 'state'>, now: Date): Promise<void> {
      const source = /^[a-z0-9][a-z0-9-]{1,62}$/.test(entry.source) ? entry.source : UNATTRIBUTED;
      const sk = messageSortKey(entry.batchId, messageKey);
      await writtenIfCondition(
        tables.client.send(
          new PutCommand({
            TableName,
            Item: {
              ...entryKey(source, sk),
              type: 'exchange-quarantine',
              ...entry,
              source,
              kind: 'message',
              state: 'open',
              entryId: entryIdOf(source, sk),
              expiresAt: Math.ceil(now.getTime() / 1000) + MESSAGE_ENTRY_TTL_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async get(entryId: string): Promise<QuarantineEntry | undefined> {
      const decoded = Buffer.from(entryId, 'base64url').toString('utf8');
      const separator = decoded.indexOf('\n');
      if (separator <= 0) return undefined;
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: entryKey(decoded.slice(0, separator), decoded.slice(separator + 1)), ConsistentRead: true }));
      return Item ? toEntry(Item) : undefined;
    },

    /** a page of a source's entries, optionally of one batch, in batch and record order */
    async list(source: string, options: { batchId?: string; limit: number; after?: string }): Promise<{ entries: QuarantineEntry[]; lastKey?: string }> {
      const { Items, LastEvaluatedKey } = await tables.client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: options.batchId ? 'pk = :pk AND begins_with(sk, :batch)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': entryKey(source, '').pk, ...(options.batchId ? { ':batch': `${options.batchId}#` } : {}) },
          Limit: options.limit,
          ...(options.after ? { ExclusiveStartKey: entryKey(source, options.after) } : {}),
        }),
      );
      return { entries: (Items ?? []).map(toEntry), ...(LastEvaluatedKey ? { lastKey: String(LastEvaluatedKey.sk) } : {}) };
    },

    /** every open record entry of a batch (the resend list of its result) */
    async openRecordEntries(source: string, batchId: string): Promise<QuarantineEntry[]> {
      const found: QuarantineEntry[] = [];
      let after: string | undefined;
      do {
        const page = await this.list(source, { batchId, limit: 500, ...(after ? { after } : {}) });
        found.push(...page.entries.filter((entry) => entry.kind === 'record' && entry.state === 'open'));
        after = page.lastKey;
      } while (after);
      return found;
    },

    /** marks a record entry fixed, in the transaction that stores the fix; fails unless it is still open */
    resolveItem(entry: QuarantineEntry, by: string, at: string): TransactionItem {
      const sk = recordSortKey(entry.batchId!, entry.recordId!, entry.version!);
      return {
        Update: {
          TableName,
          Key: entryKey(entry.source, sk),
          UpdateExpression: 'SET #state = :resolved, resolvedAt = :at, resolvedBy = :by',
          ConditionExpression: '#state = :open',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':resolved': 'resolved', ':open': 'open', ':at': at, ':by': by },
        },
      };
    },
  };
}

export type QuarantineRepository = ReturnType<typeof quarantineRepository>;

function toEntry(item: Record<string, unknown>): QuarantineEntry {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...entry } = item;
  return entry as unknown as QuarantineEntry;
}
