import type { Logger } from '@aws-lambda-powertools/logger';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { queryAll } from '../tables/query-all.js';

export type PopularityEvent = 'views' | 'searches';

/** How often an item was looked at in a region. */
export interface ItemPopularity {
  readonly itemCode: string;
  readonly views: number;
  readonly searches: number;
}

const counterKey = (region: string, itemCode: string) => ({ pk: `POP#${region}`, sk: `ITEM#${itemCode}` });

/**
 * Popularity counters per region and item (views of guides, searches that led to the item) in
 * the catalog table. Counters are atomic additions, so concurrent requests never lose a count.
 * A region holds at most one counter per catalog item, so reading all of it stays small.
 */
export function popularityRepository(tables: Tables) {
  const TableName = tables.name('catalog');
  return {
    async count(region: string, itemCode: string, event: PopularityEvent): Promise<void> {
      await tables.client.send(
        new UpdateCommand({
          TableName,
          Key: counterKey(region, itemCode),
          UpdateExpression: 'SET #type = :type, itemCode = :code ADD #event :one',
          ExpressionAttributeNames: { '#type': 'type', '#event': event },
          ExpressionAttributeValues: { ':type': 'popularity', ':code': itemCode, ':one': 1 },
        }),
      );
    },

    /** every counter of a region, most popular first (views count double a search) */
    async ranking(region: string): Promise<ItemPopularity[]> {
      const items = await queryAll(tables, {
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `POP#${region}` },
      });
      return items
        .map((item) => ({ itemCode: String(item.itemCode), views: Number(item.views ?? 0), searches: Number(item.searches ?? 0) }))
        .sort((a, b) => popularityScore(b) - popularityScore(a) || (a.itemCode < b.itemCode ? -1 : 1));
    },
  };
}

export const popularityScore = (entry: ItemPopularity) => 2 * entry.views + entry.searches;

export type PopularityRepository = ReturnType<typeof popularityRepository>;

/** Where failures of best-effort work are reported. */
export type WarningLog = Pick<Logger, 'warn'>;

/**
 * Counts an event for an item in each region given, best effort: popularity only ranks
 * recommendations, so a failed count is logged and never fails the request that caused it.
 */
export async function trackPopularity(
  deps: { popularity: PopularityRepository; logger: WarningLog },
  input: { regions: readonly string[]; itemCode: string; event: PopularityEvent },
): Promise<void> {
  await Promise.all(
    [...new Set(input.regions)].map((region) =>
      deps.popularity.count(region, input.itemCode, input.event).catch((error: unknown) => {
        deps.logger.warn('popularity count failed', { region, event: input.event, error: (error as Error).message });
      }),
    ),
  );
}
