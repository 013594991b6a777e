import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import type { NegativeList } from './catalog-model.js';

const CURRENT = { pk: 'NEGLIST', sk: 'CURRENT' };

/** The edition of the foreign-investment negative list in force (one item of the catalog table). */
export function negativeListRepository(tables: Tables) {
  const TableName = tables.name('catalog');
  return {
    async publish(list: NegativeList, now: Date): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { ...CURRENT, type: 'negative-list', ...list, publishedAt: now.toISOString() } }));
    },
    async current(): Promise<(NegativeList & { publishedAt: string }) | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: CURRENT }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, type: _type, ...list } = Item;
      return list as NegativeList & { publishedAt: string };
    },
  };
}

export type NegativeListRepository = ReturnType<typeof negativeListRepository>;
