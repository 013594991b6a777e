import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../../../infra/manifest.js';
import type { Tables } from '../../ports/tables.js';

/** prefix of the physical table names in the embedded store */
export const DEFAULT_LOCAL_TABLE_PREFIX = 'gsp-';

/**
 * The table port over the embedded DynamoDB: the document client of startEmbeddedDynamo (which
 * carries the transaction layer) and physical names `${prefix}${table}`.
 */
export function localTables(documentClient: DynamoDBDocumentClient, prefix: string = DEFAULT_LOCAL_TABLE_PREFIX): Tables {
  return {
    client: documentClient,
    name: (table: TableName) => `${prefix}${table}`,
  };
}
