import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { batchWriteAll } from '../tables/batch-write.js';
import { queryAll } from '../tables/query-all.js';
import { CATALOG_COUNTERS, type CatalogCounters } from './catalog-facts.js';
import type { AccessCounters } from './evaluation-indicators.js';
import type { CellKey, EvaluationCell } from './evaluation-facts.js';

/** what the last scheduled aggregation did */
export interface AggregationRun {
  readonly completedAt: string;
  /** the months it wrote cells for (the next run also looks there for cells to remove) */
  readonly months: readonly string[];
  readonly cases: number;
  readonly interactions: number;
  readonly certificates: number;
  readonly cellsWritten: number;
  readonly cellsRemoved: number;
}

/** the cells of a month merged over a scope: `*` (the platform) or a GB/T 2260 prefix of 2, 4 or 6 digits */
export interface Rollup {
  readonly month: string;
  readonly scope: string;
  readonly cell: EvaluationCell;
}

const toCell = (item: Record<string, unknown>): EvaluationCell => ({ counters: (item.counters ?? {}) as EvaluationCell['counters'], people: (item.people ?? {}) as EvaluationCell['people'] });

export interface StoredCell {
  readonly key: CellKey;
  readonly cell: EvaluationCell;
}

const cellPk = (month: string) => `CELL#${month}`;
const rollupKey = (month: string, scope: string) => ({ pk: `ROLLUP#${month}`, sk: scope });
const agencyKey = (key: CellKey) => ({ pk: `AGENCY#${key.agency}`, sk: `${key.month}#${key.region}` });
const catalogPk = (month: string) => `CATALOG#${month}`;
const accessKey = (month: string) => ({ pk: `ACCESS#${month}`, sk: 'TOTAL' });
const RUN_KEY = { pk: 'RUN', sk: 'LATEST' };
const sortKey = (key: Pick<CellKey, 'region' | 'agency'>) => `${key.region}#${key.agency}`;
const keyOf = (month: string, sk: string): CellKey => {
  const [region, agency] = sk.split('#') as [string, string];
  return { month, region, agency };
};

/**
 * The evaluation aggregates in the analytics table, so that a period is a few reads per month
 * whatever the number of cases and agencies:
 * - `CELL#<YYYY-MM>` / `<region>#<agency>`: counters and capped people of a month at an agency
 *   (what the schedule compares its fold with);
 * - `ROLLUP#<YYYY-MM>` / `*`, `<2 digits>`, `<4 digits>`, `<region>`: the cells of the month merged
 *   for the platform, a province, a city and a county (mergeCells keeps the small-cell rule exact);
 * - `AGENCY#<uscc>` / `<YYYY-MM>#<region>`: the agency's cells, for queries by agency;
 * - `CATALOG#<YYYY-MM>` / `<region>#<agency>`: the catalog snapshot of the agency taken that month;
 * - `ACCESS#<YYYY-MM>` / `TOTAL`: the platform's access totals of the month;
 * - `RUN` / `LATEST`: the last aggregation run.
 * Regions nest by prefix (GB/T 2260), so a region's cells are one begins_with on the sort key.
 */
export function analyticsRepository(tables: Tables) {
  const TableName = tables.name('analytics');
  const inRegion = (pk: string, prefix: string | undefined) =>
    queryAll(tables, {
      TableName,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
    });
  return {
    /** the cells of a month, of the regions starting with `regionPrefix` when given */
    async cells(month: string, regionPrefix?: string): Promise<StoredCell[]> {
      return (await inRegion(cellPk(month), regionPrefix)).map((item) => ({ key: keyOf(month, item.sk as string), cell: toCell(item) }));
    },

    /**
     * Writes cells and removes the cells of the given keys, with their rollups and agency copies.
     * The rollups and copies go first: should the run stop midway, the next one still finds the
     * cells different from its fold and writes everything again.
     */
    async replaceCells(written: readonly StoredCell[], removed: readonly CellKey[], rollups: { written: readonly Rollup[]; removed: readonly Omit<Rollup, 'cell'>[] }): Promise<void> {
      const item = (cell: EvaluationCell) => ({ counters: cell.counters, people: cell.people });
      await batchWriteAll(tables, TableName, [
        ...rollups.written.map(({ month, scope, cell }) => ({ PutRequest: { Item: { ...rollupKey(month, scope), type: 'rollup', ...item(cell) } } })),
        ...rollups.removed.map(({ month, scope }) => ({ DeleteRequest: { Key: rollupKey(month, scope) } })),
        ...written.map(({ key, cell }) => ({ PutRequest: { Item: { ...agencyKey(key), type: 'agency-cell', ...item(cell) } } })),
        ...removed.map((key) => ({ DeleteRequest: { Key: agencyKey(key) } })),
      ]);
      await batchWriteAll(tables, TableName, [
        ...written.map(({ key, cell }) => ({ PutRequest: { Item: { pk: cellPk(key.month), sk: sortKey(key), type: 'cell', ...item(cell) } } })),
        ...removed.map((key) => ({ DeleteRequest: { Key: { pk: cellPk(key.month), sk: sortKey(key) } } })),
      ]);
    },

    /** the merged cell of a month for the platform (`*`) or a region prefix; undefined when no record fed it */
    async rollup(month: string, scope: string): Promise<EvaluationCell | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: rollupKey(month, scope) }));
      return Item ? toCell(Item) : undefined;
    },

    /** an agency's cells of a month (one per region it serves) */
    async agencyCells(agency: string, month: string): Promise<StoredCell[]> {
      const items = await queryAll(tables, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
        ExpressionAttributeValues: { ':pk': `AGENCY#${agency}`, ':month': `${month}#` },
      });
      return items.map((item) => ({ key: { month, region: (item.sk as string).slice(month.length + 1), agency }, cell: toCell(item) }));
    },

    /** the catalog snapshot of a month per agency, replacing that month's snapshot of the same agencies */
    async putCatalog(month: string, snapshot: readonly { region: string; agency: string; counters: CatalogCounters }[], takenAt: string): Promise<void> {
      await batchWriteAll(
        tables,
        TableName,
        snapshot.map(({ region, agency, counters }) => ({ PutRequest: { Item: { pk: catalogPk(month), sk: sortKey({ region, agency }), type: 'catalog', takenAt, ...counters } } })),
      );
    },

    async catalog(month: string, regionPrefix?: string): Promise<{ key: CellKey; counters: CatalogCounters }[]> {
      return (await inRegion(catalogPk(month), regionPrefix)).map((item) => ({
        key: keyOf(month, item.sk as string),
        counters: Object.fromEntries(CATALOG_COUNTERS.map((name) => [name, Number(item[name] ?? 0)])) as unknown as CatalogCounters,
      }));
    },

    async putAccess(month: string, counters: AccessCounters): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { ...accessKey(month), type: 'access', ...counters } }));
    },

    async access(month: string): Promise<AccessCounters | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: accessKey(month) }));
      return Item ? { requests: Number(Item.requests), failures: Number(Item.failures), serverErrors: Number(Item.serverErrors), latencySumMs: Number(Item.latencySumMs) } : undefined;
    },

    async recordRun(run: AggregationRun): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { ...RUN_KEY, type: 'run', ...run } }));
    },

    async lastRun(): Promise<AggregationRun | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: RUN_KEY, ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, type: _type, ...run } = Item;
      return run as AggregationRun;
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof analyticsRepository>;
