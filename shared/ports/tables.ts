import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../../infra/manifest.js';

/**
 * The table port is the DynamoDB document API itself: AWS DynamoDB in the cloud, dynalite with a
 * transaction and TTL layer locally. Repositories own their keys and only ever see this.
 */
export interface Tables {
  readonly client: DynamoDBDocumentClient;
  /** physical table name of a bounded context's table */
  name(table: TableName): string;
}
