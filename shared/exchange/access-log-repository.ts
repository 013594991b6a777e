import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import type { DatasetName } from './dataset-names.js';

/** One read of shared data: who read what, when, and which personal fields they saw in clear. */
export interface SharedDataAccess {
  readonly at: string;
  readonly requestId: string;
  /** the reading platform */
  readonly consumer: string;
  /** the token subject that read for it */
  readonly actor: string;
  readonly operation: 'read' | 'export';
  readonly dataset: DatasetName;
  readonly source: string;
  /** the filters of the request (record id, updatedSince, format); never personal data */
  readonly query: Readonly<Record<string, string>>;
  readonly recordCount: number;
  /** ids of the records returned, the first 100 */
  readonly recordIds: readonly string[];
  readonly clearFields: readonly string[];
}

const MAX_LOGGED_IDS = 100;
const accessKey = (day: string, at: string, requestId: string) => ({ pk: `ACCESS#${day}`, sk: `${at}#${requestId}` });

/** The access log of interface sharing (append-only), by day, in the exchange table. */
export function accessLogRepository(tables: Tables) {
  const TableName = tables.name('exchange');
  return {
    async append(day: string, access: SharedDataAccess): Promise<void> {
      await tables.client.send(
        new PutCommand({
          TableName,
          Item: { ...accessKey(day, access.at, access.requestId), type: 'exchange-access', ...access, recordIds: access.recordIds.slice(0, MAX_LOGGED_IDS) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async list(day: string, options: { consumer?: string; limit: number; after?: string }): Promise<{ entries: SharedDataAccess[]; lastKey?: string }> {
      const { Items, LastEvaluatedKey } = await tables.client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ...(options.consumer ? { FilterExpression: 'consumer = :consumer' } : {}),
          ExpressionAttributeValues: { ':pk': accessKey(day, '', '').pk, ...(options.consumer ? { ':consumer': options.consumer } : {}) },
          Limit: options.limit,
          ...(options.after ? { ExclusiveStartKey: { pk: accessKey(day, '', '').pk, sk: options.after } } : {}),
        }),
      );
      return {
        entries: (Items ?? []).map(({ pk: _pk, sk: _sk, type: _type, ...entry }) => entry as SharedDataAccess),
        ...(LastEvaluatedKey ? { lastKey: String(LastEvaluatedKey.sk) } : {}),
      };
    },
  };
}

export type AccessLogRepository = ReturnType<typeof accessLogRepository>;
