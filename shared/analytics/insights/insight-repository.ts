import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Tables } from '../../ports/tables.js';
import { batchWriteAll } from '../../tables/batch-write.js';
import { queryAll } from '../../tables/query-all.js';
import type { InsightCell, LifeEventJourney } from './insight-facts.js';

const cellPk = (month: string) => `INSIGHT#${month}`;
const journeyPk = (month: string) => `JOURNEY#${month}`;
const reportPk = (period: string) => `REPORT#${period}`;
const reportSk = (scope: string, index: number) => `${scope}#${String(index).padStart(3, '0')}`;
const digestOf = (json: string) => createHash('sha256').update(json).digest('hex');
const RUN_KEY = { pk: 'RUN', sk: 'INSIGHTS' };
/** the gzip bytes of a stored report per item, well below DynamoDB's 400 KB item limit */
const REPORT_CHUNK_BYTES = 300_000;
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

/** a stored report's fingerprint: the SHA-256 of its JSON and how many chunks hold it */
export interface StoredReportDigest {
  readonly digest: string;
  readonly chunks: number;
}

/**
 * The insight aggregates in the analytics table (beside the evaluation's `CELL#` rows), one
 * partition per month so a period is one query per month, and the sort key starting with the
 * region so a region (GB/T 2260 prefix) is a begins_with:
 * - `INSIGHT#<YYYY-MM>` / `<region>#<agency>#<item>#<day>`: an InsightCell;
 * - `JOURNEY#<YYYY-MM of its first step>` / `<region>#<life event>#<person key>#<first submission>`: a LifeEventJourney;
 * - `REPORT#<period>` / `<scope>#<chunk>`: the full report (every kind, no agency, top 10) of a
 *   period (YYYY, YYYY-Qn, YYYY-MM) for a scope (`*` the platform, or a 2-digit province prefix),
 *   as gzip JSON split into chunks of at most 300 KB, each carrying the digest of the whole JSON
 *   and the chunk count (a reader that sees chunks of different writes gets no report);
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

    /** the fingerprints of the stored reports of a period, by scope */
    async reportDigests(period: string): Promise<Map<string, StoredReportDigest & { sks: string[] }>> {
      const items = await queryAll(tables, { TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': reportPk(period) }, ProjectionExpression: 'sk, digest, chunks' });
      const byScope = new Map<string, StoredReportDigest & { sks: string[] }>();
      for (const item of items) {
        const sk = item.sk as string;
        const scope = sk.slice(0, sk.lastIndexOf('#'));
        const entry = byScope.get(scope) ?? { digest: String(item.digest), chunks: Number(item.chunks), sks: [] };
        byScope.set(scope, { ...entry, digest: entry.digest === String(item.digest) ? entry.digest : '', sks: [...entry.sks, sk] });
      }
      return byScope;
    },

    /** the stored report of a period and scope, or undefined when none is stored whole */
    async report<T>(period: string, scope: string): Promise<T | undefined> {
      const items = await queryAll(tables, { TableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :scope)', ExpressionAttributeValues: { ':pk': reportPk(period), ':scope': `${scope}#` } });
      const first = items[0];
      if (!first || items.length !== Number(first.chunks) || items.some((item) => item.digest !== first.digest)) return undefined;
      return JSON.parse(gunzipSync(Buffer.concat(items.map((item) => item.data as Uint8Array))).toString('utf8')) as T;
    },

    /** the fingerprint a report would be stored with */
    reportDigest: digestOf,

    /** stores reports (JSON text) by period and scope, and removes the chunks of earlier writes beyond the new ones */
    async storeReports(reports: readonly { period: string; scope: string; json: string; staleSks: readonly string[] }[]): Promise<void> {
      const requests = reports.flatMap((report) => {
        const bytes = gzipSync(report.json);
        const digest = digestOf(report.json);
        const chunks = Math.max(1, Math.ceil(bytes.length / REPORT_CHUNK_BYTES));
        const sks = Array.from({ length: chunks }, (_, index) => reportSk(report.scope, index));
        return [
          ...sks.map((sk, index) => ({
            PutRequest: { Item: { pk: reportPk(report.period), sk, type: 'insight-report', digest, chunks, data: bytes.subarray(index * REPORT_CHUNK_BYTES, (index + 1) * REPORT_CHUNK_BYTES) } },
          })),
          ...report.staleSks.filter((sk) => !sks.includes(sk)).map((sk) => ({ DeleteRequest: { Key: { pk: reportPk(report.period), sk } } })),
        ];
      });
      await batchWriteAll(tables, TableName, requests);
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
