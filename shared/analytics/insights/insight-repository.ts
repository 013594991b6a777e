import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../../ports/tables.js';
import { batchWriteAll } from '../../tables/batch-write.js';
import { queryAll } from '../../tables/query-all.js';
import type { InsightCell, LifeEventJourney } from './insight-facts.js';

const cellPk = (month: string) => `INSIGHT#${month}`;
const journeyPk = (month: string) => `JOURNEY#${month}`;
const RUN_KEY = { pk: 'RUN', sk: 'INSIGHTS' };
const cellSk = (cell: Pick<InsightCell, 'region' | 'agency' | 'itemCode' | 'day'>) => `${cell.region}#${cell.agency}#${cell.itemCode}#${cell.day}`;
const journeyStart = (journey: LifeEventJourney) => journey.steps.reduce((first, step) => (step.submittedAt < first ? step.submittedAt : first), journey.steps[0]!.submittedAt);
const journeyRegion = (journey: LifeEventJourney) => journey.steps.find((step) => step.submittedAt === journeyStart(journey))!.region;
const journeySk = (journey: LifeEventJourney) => `${journeyRegion(journey)}#${journey.lifeEventId}#${journey.person}#${journeyStart(journey)}`;

/** a stored row: its partition month and sort key, and the value it holds */
export interface InsightRow<T> {
  readonly month: string;
  readonly sk: string;
  readonly value: T;
}

/**
 * The insight aggregates in the analytics table (beside the evaluation's `CELL#` rows), one
 * partition per month so a period is one query per month, and the sort key starting with the
 * region so a region (GB/T 2260 prefix) is a begins_with:
 * - `INSIGHT#<YYYY-MM>` / `<region>#<agency>#<item>#<day>`: an InsightCell;
 * - `JOURNEY#<YYYY-MM of its first step>` / `<region>#<life event>#<person key>#<first submission>`: a LifeEventJourney;
 * - `RUN` / `INSIGHTS`: the months the last aggregation wrote.
 */
export function insightRepository(tables: Tables) {
  const TableName = tables.name('analytics');
  const read = async <T>(pk: string, month: string, regionPrefix: string | undefined): Promise<InsightRow<T>[]> =>
    (
      await queryAll(tables, {
        TableName,
        KeyConditionExpression: regionPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(regionPrefix ? { ':prefix': regionPrefix } : {}) },
      })
    ).map((item) => ({ month, sk: item.sk as string, value: item.value as T }));
  return {
    cellKey: cellSk,
    journeyKey: journeySk,
    journeyMonth: (journey: LifeEventJourney) => journeyStart(journey).slice(0, 7),

    /** the cells of a month, of the regions starting with `regionPrefix` when given */
    cells: (month: string, regionPrefix?: string) => read<InsightCell>(cellPk(month), month, regionPrefix),
    /** the journeys that began in a month, in regions starting with `regionPrefix` when given */
    journeys: (month: string, regionPrefix?: string) => read<LifeEventJourney>(journeyPk(month), month, regionPrefix),

    /** writes rows and removes rows by key, in batches */
    async replace(change: { cells: readonly InsightRow<InsightCell>[]; journeys: readonly InsightRow<LifeEventJourney>[]; removedCells: readonly Pick<InsightRow<unknown>, 'month' | 'sk'>[]; removedJourneys: readonly Pick<InsightRow<unknown>, 'month' | 'sk'>[] }): Promise<void> {
      await batchWriteAll(tables, TableName, [
        ...change.cells.map((row) => ({ PutRequest: { Item: { pk: cellPk(row.month), sk: row.sk, type: 'insight-cell', value: row.value } } })),
        ...change.journeys.map((row) => ({ PutRequest: { Item: { pk: journeyPk(row.month), sk: row.sk, type: 'journey', value: row.value } } })),
        ...change.removedCells.map((row) => ({ DeleteRequest: { Key: { pk: cellPk(row.month), sk: row.sk } } })),
        ...change.removedJourneys.map((row) => ({ DeleteRequest: { Key: { pk: journeyPk(row.month), sk: row.sk } } })),
      ]);
    },

    async recordRun(run: { completedAt: string; months: readonly string[] }): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { ...RUN_KEY, type: 'run', ...run } }));
    },

    async lastRun(): Promise<{ completedAt: string; months: string[] } | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: RUN_KEY, ConsistentRead: true }));
      return Item ? { completedAt: String(Item.completedAt), months: (Item.months ?? []) as string[] } : undefined;
    },
  };
}

export type InsightRepository = ReturnType<typeof insightRepository>;
