import { DeleteItemCommand, DescribeTableCommand, ScanCommand, ConditionalCheckFailedException, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '../../ports/clock.js';

export interface TtlTable {
  readonly tableName: string;
  /** attribute holding epoch seconds after which the item is expired */
  readonly ttlAttribute: string;
}

export interface TtlSweeper {
  /** stops the timer and waits for a sweep in progress */
  stop(): Promise<void>;
  /** sweeps every table once; resolves to the number of items deleted */
  sweepOnce(): Promise<number>;
}

/**
 * DynamoDB TTL for the embedded store (dynalite has none): every `intervalMs` deletes the items
 * whose TTL attribute is a number of epoch seconds in the past. Items without the attribute or
 * with a non-number value are kept, as DynamoDB keeps them. Each delete is conditional on the item
 * still being expired, so an item whose TTL was extended after the scan survives.
 * Pass the layered client of startEmbeddedDynamo so deletes queue behind the transaction lock.
 */
export function startTtlSweeper(options: {
  client: DynamoDBClient;
  tables: readonly TtlTable[];
  intervalMs: number;
  clock?: Clock;
  /** a failed background sweep is reported here and retried at the next tick */
  onError?: (error: unknown) => void;
}): TtlSweeper {
  const { client, tables, clock = systemClock } = options;
  const onError = options.onError ?? ((error: unknown) => console.error(`ttl sweeper: ${error instanceof Error ? error.message : String(error)}`));
  let running: Promise<number> | undefined;

  const sweepOnce = async (): Promise<number> => {
    let deleted = 0;
    for (const table of tables) deleted += await sweepTable(client, table, clock.now());
    return deleted;
  };

  const tick = () => {
    if (running) return;
    running = sweepOnce()
      .catch((error: unknown) => {
        onError(error);
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  };

  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    sweepOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

async function sweepTable(client: DynamoDBClient, { tableName, ttlAttribute }: TtlTable, now: Date): Promise<number> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const keyNames = (Table?.KeySchema ?? []).map((element) => element.AttributeName ?? '');
  const expired = {
    ConditionExpression: 'attribute_type(#ttl, :number) AND #ttl < :now',
    ExpressionAttributeNames: { '#ttl': ttlAttribute },
    ExpressionAttributeValues: { ':number': { S: 'N' }, ':now': { N: String(now.getTime() / 1000) } },
  };
  let deleted = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: expired.ConditionExpression,
        ExpressionAttributeNames: expired.ExpressionAttributeNames,
        ExpressionAttributeValues: expired.ExpressionAttributeValues,
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = Object.fromEntries(keyNames.map((name) => [name, item[name]!]));
      try {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: key, ...expired }));
        deleted += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return deleted;
}
