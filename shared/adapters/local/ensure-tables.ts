import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { TableSpec } from '../../../infra/manifest.js';
import { PRIMARY_KEY, indexKeys } from '../../tables/key-schema.js';

const POLL_MS = 20;
const ACTIVE_TIMEOUT_MS = 10_000;

/**
 * Creates the tables that do not exist yet, shaped like the CDK stack shapes them: on-demand,
 * string keys pk/sk, one GSI per spec index with string keys <index>pk/<index>sk projecting all
 * attributes. Tables that exist are left alone, so calling it at every start is cheap.
 * TTL is not configured here: dynalite has no TTL, the local sweeper does that work.
 * Steps per table: 1. describe it; 2. if missing, create it; 3. wait until it and its indexes are ACTIVE.
 */
export async function ensureTables(client: DynamoDBClient, specs: readonly { tableName: string; spec: TableSpec }[]): Promise<void> {
  for (const { tableName, spec } of specs) {
    if (!(await describe(client, tableName))) await create(client, tableName, spec);
    await waitUntilActive(client, tableName);
  }
}

async function create(client: DynamoDBClient, tableName: string, spec: TableSpec): Promise<void> {
  const indexes = spec.indexes.map((indexName) => ({ indexName, ...indexKeys(indexName) }));
  const keyAttributes = [PRIMARY_KEY.pk, PRIMARY_KEY.sk, ...indexes.flatMap((index) => [index.pk, index.sk])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: PRIMARY_KEY.pk, KeyType: 'HASH' },
          { AttributeName: PRIMARY_KEY.sk, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.length
          ? indexes.map((index) => ({
              IndexName: index.indexName,
              KeySchema: [
                { AttributeName: index.pk, KeyType: 'HASH' },
                { AttributeName: index.sk, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            }))
          : undefined,
      }),
    );
  } catch (error) {
    // another process sharing the store created it first
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describe(client, tableName);
    const active = table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (active) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
