import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../errors.js';
import type { Tables } from '../ports/tables.js';
import type { Hall } from './catalog-model.js';
import { queryAll } from '../tables/query-all.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/** A hall as stored: its details and a version for optimistic concurrency. */
export interface StoredHall extends Hall {
  readonly version: number;
  readonly updatedAt: string;
}

const hallKey = (id: string) => ({ pk: `HALL#${id}`, sk: 'HALL' });
const HALL_LISTING = 'HALL#ALL';

/** Service halls in the catalog table, all listed under one gsi1 partition by region. */
export function hallRepository(tables: Tables) {
  const TableName = tables.name('catalog');
  return {
    /** writes a hall on top of `expectedVersion` (0 for a new hall); 409 when someone else wrote it first */
    async save(hall: Hall, expectedVersion: number, now: Date): Promise<StoredHall> {
      const stored: StoredHall = { ...hall, version: expectedVersion + 1, updatedAt: now.toISOString() };
      const written = await writtenIfCondition(
        tables.client.send(
          new PutCommand({
            TableName,
            Item: { ...hallKey(hall.id), type: 'hall', gsi1pk: HALL_LISTING, gsi1sk: `${hall.region}#${hall.id}`, ...stored },
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
          }),
        ),
      );
      if (!written) throw conflict(`Hall ${hall.id} was changed meanwhile; reload and edit again`, 'stale_version');
      return stored;
    },

    async get(id: string): Promise<StoredHall | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: hallKey(id), ConsistentRead: true }));
      return Item ? toHall(Item) : undefined;
    },

    /** every hall, by region */
    async list(): Promise<StoredHall[]> {
      const items = await queryAll(tables, { TableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': HALL_LISTING } });
      return items.map(toHall);
    },
  };
}

export type HallRepository = ReturnType<typeof hallRepository>;

function toHall(item: Record<string, unknown>): StoredHall {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...hall } = item;
  return hall as unknown as StoredHall;
}
