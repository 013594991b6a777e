import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { tables as manifestTables, type TableName } from '../../infra/manifest.js';
import type { Tables } from '../../shared/ports/tables.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { startTtlSweeper } from '../../shared/adapters/local/ttl-sweeper.js';
import { installLocalTransactions } from '../../shared/adapters/local/local-transactions.js';
import { isExpired } from '../../shared/tables/expiry.js';

/** every manifest table, as the local runtime creates them */
function manifestSpecs(tables: Tables) {
  return (Object.keys(manifestTables) as TableName[]).map((name) => ({ tableName: tables.name(name), spec: manifestTables[name] }));
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the request to fail');
}

/**
 * The contract of the table port: what repositories rely on, whichever adapter serves it.
 * Only the embedded store can run here; the same suite accepts any Tables whose tables exist.
 */
function tablesContract(world: string, open: () => Promise<{ tables: Tables; close(): Promise<void> }>) {
  describe(`table port contract: ${world}`, () => {
    let tables: Tables;
    let close: () => Promise<void>;
    let table: string;
    const get = async (pk: string, sk = 'item') => (await tables.client.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }))).Item;
    const put = (item: Record<string, unknown>) => tables.client.send(new PutCommand({ TableName: table, Item: { sk: 'item', ...item } }));
    const claim = (pk: string, owner: string) => ({
      Put: { TableName: table, Item: { pk, sk: 'item', owner }, ConditionExpression: 'attribute_not_exists(pk)' },
    });

    beforeAll(async () => {
      ({ tables, close } = await open());
      table = tables.name('identity');
    });
    afterAll(async () => {
      await close();
    });

    it('refuses a second conditional put of the same key', async () => {
      const first = { TableName: table, Item: { pk: 'PHONE#1', sk: 'item', owner: 'a' }, ConditionExpression: 'attribute_not_exists(pk)' };
      await tables.client.send(new PutCommand(first));
      const error = await rejection(tables.client.send(new PutCommand({ ...first, Item: { ...first.Item, owner: 'b' } })));
      expect(error).toBeInstanceOf(ConditionalCheckFailedException);
      expect(await get('PHONE#1')).toMatchObject({ owner: 'a' });
    });

    it('applies a version-conditioned update once and refuses the stale one', async () => {
      await put({ pk: 'DOC#1', version: 1, title: 'draft' });
      const update = (title: string) =>
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'DOC#1', sk: 'item' },
          UpdateExpression: 'SET title = :title, version = :next',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':title': title, ':next': 2, ':expected': 1 },
        });
      await tables.client.send(update('first'));
      expect(await rejection(tables.client.send(update('second')))).toBeInstanceOf(ConditionalCheckFailedException);
      expect(await get('DOC#1')).toEqual({ pk: 'DOC#1', sk: 'item', version: 2, title: 'first' });
    });

    it('writes every operation of a successful transaction', async () => {
      await put({ pk: 'TX1#update', n: 1 });
      await put({ pk: 'TX1#delete' });
      await put({ pk: 'TX1#check', state: 'open' });
      await tables.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: 'TX1#put', sk: 'item', n: 0 }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Update: { TableName: table, Key: { pk: 'TX1#update', sk: 'item' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
            { Delete: { TableName: table, Key: { pk: 'TX1#delete', sk: 'item' }, ConditionExpression: 'attribute_exists(pk)' } },
            {
              ConditionCheck: {
                TableName: table,
                Key: { pk: 'TX1#check', sk: 'item' },
                ConditionExpression: '#state = :open',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ':open': 'open' },
              },
            },
          ],
        }),
      );
      expect(await get('TX1#put')).toEqual({ pk: 'TX1#put', sk: 'item', n: 0 });
      expect(await get('TX1#update')).toEqual({ pk: 'TX1#update', sk: 'item', n: 2 });
      expect(await get('TX1#delete')).toBeUndefined();
      expect(await get('TX1#check')).toEqual({ pk: 'TX1#check', sk: 'item', state: 'open' });
    });

    it('cancels the whole transaction when the third of four conditions fails', async () => {
      await put({ pk: 'TX2#update', n: 1 });
      await put({ pk: 'TX2#taken', owner: 'someone', secret: new Uint8Array([1, 2, 3]) });
      await put({ pk: 'TX2#delete' });
      const before = await Promise.all(['TX2#put', 'TX2#update', 'TX2#taken', 'TX2#delete'].map((pk) => get(pk)));
      const error = await rejection(
        tables.client.send(
          new TransactWriteCommand({
            TransactItems: [
              claim('TX2#put', 'me'),
              { Update: { TableName: table, Key: { pk: 'TX2#update', sk: 'item' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
              { Put: { ...claim('TX2#taken', 'me').Put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
              { Delete: { TableName: table, Key: { pk: 'TX2#delete', sk: 'item' } } },
            ],
          }),
        ),
      );
      expect(error).toBeInstanceOf(TransactionCanceledException);
      const reasons = (error as unknown as TransactionCanceledException).CancellationReasons ?? [];
      expect(reasons.map((reason) => reason.Code)).toEqual(['None', 'None', 'ConditionalCheckFailed', 'None']);
      expect(reasons[2]).toEqual({
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'TX2#taken' }, sk: { S: 'item' }, owner: { S: 'someone' }, secret: { B: new Uint8Array([1, 2, 3]) } },
      });
      expect(await Promise.all(['TX2#put', 'TX2#update', 'TX2#taken', 'TX2#delete'].map((pk) => get(pk)))).toEqual(before);
    });

    it('never modifies the item of a ConditionCheck', async () => {
      await put({ pk: 'TX3#checked', state: 'open', version: 7 });
      const checkMissing = {
        ConditionCheck: { TableName: table, Key: { pk: 'TX3#absent', sk: 'item' }, ConditionExpression: 'attribute_not_exists(pk)' },
      };
      const checkPresent = {
        ConditionCheck: { TableName: table, Key: { pk: 'TX3#checked', sk: 'item' }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 7 } },
      };
      await tables.client.send(new TransactWriteCommand({ TransactItems: [checkMissing, checkPresent, claim('TX3#written', 'me')] }));
      await rejection(tables.client.send(new TransactWriteCommand({ TransactItems: [checkMissing, checkPresent, claim('TX3#written', 'again')] })));
      expect(await get('TX3#absent')).toBeUndefined();
      expect(await get('TX3#checked')).toEqual({ pk: 'TX3#checked', sk: 'item', state: 'open', version: 7 });
      expect(await get('TX3#written')).toMatchObject({ owner: 'me' });
    });

    it('refuses two operations on one item, and more than 100 operations, writing nothing', async () => {
      const duplicate = await rejection(
        tables.client.send(new TransactWriteCommand({ TransactItems: [claim('TX4#a', 'x'), claim('TX4#b', 'x'), { Delete: { TableName: table, Key: { pk: 'TX4#a', sk: 'item' } } }] })),
      );
      expect(duplicate.name).toBe('ValidationException');
      expect(duplicate.message).toBe('Transaction request cannot include multiple operations on one item');
      const tooMany = await rejection(
        tables.client.send(new TransactWriteCommand({ TransactItems: Array.from({ length: 101 }, (_, i) => claim(`TX4#many-${i}`, 'x')) })),
      );
      expect(tooMany.name).toBe('ValidationException');
      expect(await get('TX4#a')).toBeUndefined();
      expect(await get('TX4#b')).toBeUndefined();
      expect(await get('TX4#many-0')).toBeUndefined();
    });

    it('refuses a malformed expression before writing anything', async () => {
      const error = await rejection(
        tables.client.send(
          new TransactWriteCommand({
            TransactItems: [claim('TX5#a', 'x'), { Update: { TableName: table, Key: { pk: 'TX5#b', sk: 'item' }, UpdateExpression: 'SET = nonsense' } }],
          }),
        ),
      );
      expect(error.name).toBe('ValidationException');
      expect(await get('TX5#a')).toBeUndefined();
    });

    it('puts everything back when a write fails after the conditions passed', async () => {
      await put({ pk: 'TX6#text', n: 'not a number' });
      const error = await rejection(
        tables.client.send(
          new TransactWriteCommand({
            TransactItems: [
              claim('TX6#new', 'x'),
              { Update: { TableName: table, Key: { pk: 'TX6#text', sk: 'item' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
            ],
          }),
        ),
      );
      expect(error.name).toBe('ValidationException');
      expect(await get('TX6#new')).toBeUndefined();
      expect(await get('TX6#text')).toEqual({ pk: 'TX6#text', sk: 'item', n: 'not a number' });
    });

    it('replays a ClientRequestToken without applying twice and refuses it for another request', async () => {
      await put({ pk: 'TX7#counter', n: 0 });
      const increment = (token: string, by: number) =>
        new TransactWriteCommand({
          ClientRequestToken: token,
          TransactItems: [{ Update: { TableName: table, Key: { pk: 'TX7#counter', sk: 'item' }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
        });
      await tables.client.send(increment('token-1', 1));
      await tables.client.send(increment('token-1', 1));
      expect(await get('TX7#counter')).toMatchObject({ n: 1 });
      const mismatch = await rejection(tables.client.send(increment('token-1', 5)));
      expect(mismatch.name).toBe('IdempotentParameterMismatchException');
      await tables.client.send(increment('token-2', 1));
      expect(await get('TX7#counter')).toMatchObject({ n: 2 });
    });

    it('reports a missing table as ResourceNotFoundException', async () => {
      const error = await rejection(
        tables.client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'no-such-table', Item: { pk: 'a', sk: 'b' } } }] })),
      );
      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });

    it('returns TransactGet items in request order, {} for a missing one', async () => {
      await put({ pk: 'TG#a', v: 'a' });
      await put({ pk: 'TG#c', v: 'c' });
      const result = await tables.client.send(
        new TransactGetCommand({
          TransactItems: ['TG#c', 'TG#missing', 'TG#a'].map((pk) => ({ Get: { TableName: table, Key: { pk, sk: 'item' } } })),
        }),
      );
      expect(result.Responses).toEqual([{ Item: { pk: 'TG#c', sk: 'item', v: 'c' } }, {}, { Item: { pk: 'TG#a', sk: 'item', v: 'a' } }]);
    });

    it('lets exactly one of 20 parallel transactions claim the same unique key', async () => {
      const attempts = Array.from({ length: 20 }, (_, i) =>
        tables.client.send(new TransactWriteCommand({ TransactItems: [claim('UNIQUE#id-number', `account-${i}`), claim(`ACCOUNT#${i}`, `account-${i}`)] })),
      );
      const outcomes = await Promise.allSettled(attempts);
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(TransactionCanceledException);
      }
      expect(await get('UNIQUE#id-number')).toMatchObject({ owner: `account-${winners[0]}` });
      const accounts = await Promise.all(Array.from({ length: 20 }, (_, i) => get(`ACCOUNT#${i}`)));
      expect(accounts.filter(Boolean)).toHaveLength(1);
    });

    it('keeps single-item conditional writes and transactions consistent when they race', async () => {
      const claims = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? tables.client.send(new TransactWriteCommand({ TransactItems: [claim('RACE#unique', `tx-${i}`), claim(`RACE#tx-${i}`, `tx-${i}`)] }))
          : tables.client.send(new PutCommand(claim('RACE#unique', `single-${i}`).Put)),
      );
      const outcomes = await Promise.allSettled(claims);
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(i % 2 === 0 ? TransactionCanceledException : ConditionalCheckFailedException);
        }
      });
      const winner = winners[0]!;
      expect(await get('RACE#unique')).toMatchObject({ owner: winner % 2 === 0 ? `tx-${winner}` : `single-${winner}` });
      for (let i = 0; i < 20; i += 2) {
        expect(Boolean(await get(`RACE#tx-${i}`))).toBe(i === winner);
      }

      // optimistic read-modify-write loops of both kinds on one counter lose no increment
      await put({ pk: 'RACE#counter', value: 0, version: 0 });
      const incrementOnce = async (writer: number) => {
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const current = (await get('RACE#counter'))!;
          const update = {
            TableName: table,
            Key: { pk: 'RACE#counter', sk: 'item' },
            UpdateExpression: 'SET #value = #value + :one, version = :next',
            ConditionExpression: 'version = :seen',
            ExpressionAttributeNames: { '#value': 'value' },
            ExpressionAttributeValues: { ':one': 1, ':next': (current.version as number) + 1, ':seen': current.version },
          };
          try {
            if (writer % 2 === 0) {
              await tables.client.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, { Put: { TableName: table, Item: { pk: `RACE#log-${writer}`, sk: 'item' } } }] }));
            } else {
              await tables.client.send(new UpdateCommand(update));
            }
            return;
          } catch (error) {
            if (!(error instanceof TransactionCanceledException || error instanceof ConditionalCheckFailedException)) throw error;
          }
        }
        throw new Error(`writer ${writer} never got its increment in`);
      };
      await Promise.all(Array.from({ length: 10 }, (_, writer) => incrementOnce(writer)));
      expect(await get('RACE#counter')).toMatchObject({ value: 10, version: 10 });
    });

    it('queries the global secondary index', async () => {
      await put({ pk: 'GSI#1', gsi1pk: 'AGENCY#7', gsi1sk: '2024-01-02', n: 1 });
      await put({ pk: 'GSI#2', gsi1pk: 'AGENCY#7', gsi1sk: '2024-01-01', n: 2 });
      await put({ pk: 'GSI#3', gsi1pk: 'AGENCY#8', gsi1sk: '2024-01-01', n: 3 });
      const result = await tables.client.send(
        new QueryCommand({ TableName: table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :agency', ExpressionAttributeValues: { ':agency': 'AGENCY#7' } }),
      );
      expect(result.Items?.map((item) => item.n)).toEqual([2, 1]);
    });
  });
}

describe('embedded table store', () => {
  let db: EmbeddedDynamo;

  beforeAll(async () => {
    db = await startEmbeddedDynamo();
  });
  afterAll(async () => {
    await db.close();
  });

  tablesContract('embedded dynalite', async () => {
    const tables = localTables(db.documentClient, 'contract-');
    await ensureTables(db.client, manifestSpecs(tables));
    return { tables, close: async () => undefined };
  });

  describe('ttl sweeper', () => {
    const tableName = 'ttl-test';
    const now = new Date('2025-06-01T00:00:00Z');
    const clock = { now: () => now };
    const epoch = now.getTime() / 1000;

    beforeAll(async () => {
      await ensureTables(db.client, [{ tableName, spec: { description: 'ttl test', indexes: [], ttlAttribute: 'expiresAt' } }]);
    });

    const seed = async (items: Record<string, unknown>[]) => {
      for (const item of items) await db.documentClient.send(new PutCommand({ TableName: tableName, Item: { sk: 'item', ...item } }));
    };
    const exists = async (pk: string) => Boolean((await db.documentClient.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'item' } }))).Item);

    it('deletes expired items and keeps future, non-numeric and missing TTLs, as the domain expiry check sees them', async () => {
      const items = [
        { pk: 'expired', expiresAt: epoch - 1 },
        { pk: 'long-expired', expiresAt: epoch - 86_400 },
        { pk: 'expiring-now', expiresAt: epoch },
        { pk: 'future', expiresAt: epoch + 60 },
        { pk: 'text', expiresAt: String(epoch - 60) },
        { pk: 'none' },
      ];
      await seed(items);
      const sweeper = startTtlSweeper({ client: db.client, tables: [{ tableName, ttlAttribute: 'expiresAt' }], intervalMs: 60_000, clock });
      try {
        expect(await sweeper.sweepOnce()).toBe(2);
        expect(await sweeper.sweepOnce()).toBe(0);
      } finally {
        await sweeper.stop();
      }
      const kept: string[] = [];
      for (const item of items) {
        const stillThere = await exists(item.pk);
        expect(stillThere).toBe(!isExpired(item, 'expiresAt', now));
        if (stillThere) kept.push(item.pk);
      }
      expect(kept).toEqual(['expiring-now', 'future', 'text', 'none']);
    });

    it('sweeps on its interval until stopped', async () => {
      await seed([{ pk: 'timed', expiresAt: epoch - 5 }]);
      const sweeper = startTtlSweeper({ client: db.client, tables: [{ tableName, ttlAttribute: 'expiresAt' }], intervalMs: 10, clock });
      try {
        const deadline = Date.now() + 5_000;
        while ((await exists('timed')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        await sweeper.stop();
      }
      expect(await exists('timed')).toBe(false);
    });
  });

  it('creates the manifest tables once: a second ensureTables changes nothing', async () => {
    const tables = localTables(db.documentClient, 'ensure-');
    await ensureTables(db.client, manifestSpecs(tables));
    await db.documentClient.send(new PutCommand({ TableName: tables.name('platform'), Item: { pk: 'kept', sk: 'item' } }));
    const namesBefore = (await db.client.send(new ListTablesCommand({}))).TableNames;
    await ensureTables(db.client, manifestSpecs(tables));
    expect((await db.client.send(new ListTablesCommand({}))).TableNames).toEqual(namesBefore);
    expect((await db.documentClient.send(new GetCommand({ TableName: tables.name('platform'), Key: { pk: 'kept', sk: 'item' } }))).Item).toBeDefined();
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: tables.name('identity') }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema?.map((k) => k.AttributeName), index.Projection?.ProjectionType])).toEqual([
      ['gsi1', ['gsi1pk', 'gsi1sk'], 'ALL'],
    ]);
  });
});

describe('embedded table store on disk', () => {
  it('keeps its data across a restart on the same folder', async () => {
    const path = await mkdtemp(join(tmpdir(), 'gsp-tables-'));
    try {
      const first = await startEmbeddedDynamo({ path });
      const tables = localTables(first.documentClient);
      try {
        await ensureTables(first.client, manifestSpecs(tables));
        await first.documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: tables.name('identity'), Item: { pk: 'ACCOUNT#1', sk: 'profile', name: '张三' } } },
              { Put: { TableName: tables.name('identity'), Item: { pk: 'PHONE#hash', sk: 'claim', account: 'ACCOUNT#1' } } },
            ],
          }),
        );
      } finally {
        await first.close();
      }
      const second = await startEmbeddedDynamo({ path });
      try {
        const again = localTables(second.documentClient);
        await ensureTables(second.client, manifestSpecs(again));
        const { Item } = await second.documentClient.send(new GetCommand({ TableName: again.name('identity'), Key: { pk: 'ACCOUNT#1', sk: 'profile' } }));
        expect(Item).toEqual({ pk: 'ACCOUNT#1', sk: 'profile', name: '张三' });
      } finally {
        await second.close();
      }
    } finally {
      await rm(path, { recursive: true, force: true });
    }
  });
});

describe('transaction layer', () => {
  it('forgets a ClientRequestToken ten minutes after its success', async () => {
    const db = await startEmbeddedDynamo();
    let now = new Date('2025-06-01T00:00:00Z');
    const config = { endpoint: db.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const client = new DynamoDBClient(config);
    const store = new DynamoDBClient(config);
    installLocalTransactions(client, { store, clock: { now: () => now } });
    try {
      await ensureTables(db.client, [{ tableName: 'tokens', spec: { description: 'tokens', indexes: [], ttlAttribute: 'expiresAt' } }]);
      const increment = {
        ClientRequestToken: 'retry-me',
        TransactItems: [{ Update: { TableName: 'tokens', Key: { pk: { S: 'n' }, sk: { S: 'item' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }],
      };
      await client.send(new TransactWriteItemsCommand(increment));
      now = new Date(now.getTime() + 9 * 60_000);
      await client.send(new TransactWriteItemsCommand(increment));
      now = new Date(now.getTime() + 11 * 60_000);
      await client.send(new TransactWriteItemsCommand(increment));
      const { Item } = await client.send(new GetItemCommand({ TableName: 'tokens', Key: { pk: { S: 'n' }, sk: { S: 'item' } } }));
      expect(Item?.n).toEqual({ N: '2' });
    } finally {
      client.destroy();
      store.destroy();
      await db.close();
    }
  });
});
