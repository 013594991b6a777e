import { invalidField } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { chinaDate } from '../workflow/working-calendar.js';
import type { AccessEvent, AccessEventBatch } from './access-event.js';
import type { AccessCounters, AccessStatsRepository } from './access-stats-repository.js';

export const ACCESS_DIMENSIONS = ['route', 'function', 'item', 'keyword', 'zero-result-keyword', 'region', 'subjectType', 'level', 'channel', 'status'] as const;
export type AccessDimension = (typeof ACCESS_DIMENSIONS)[number];

/** a request failed when it did not succeed: any status from 400 */
const failed = (event: AccessEvent) => event.status >= 400;
const normalised = (keywords: string) => keywords.trim().toLowerCase().replace(/\s+/g, ' ');

/** the dimension values one event counts under */
function valuesOf(event: AccessEvent): [AccessDimension, string][] {
  const values: [AccessDimension, string | undefined][] = [
    ['route', event.route],
    ['function', event.function],
    ['item', event.itemCode],
    ['keyword', event.keywords ? normalised(event.keywords) : undefined],
    ['zero-result-keyword', event.keywords && event.zeroResult ? normalised(event.keywords) : undefined],
    ['region', event.region],
    ['subjectType', event.subjectType ?? 'anonymous'],
    ['level', event.level === undefined ? undefined : String(event.level)],
    ['channel', event.channel],
    ['status', String(event.status)],
  ];
  return values.filter((entry): entry is [AccessDimension, string] => entry[1] !== undefined && entry[1] !== '');
}

/**
 * Adds a batch of access events to the per-day aggregates (GB/T 39047 6.2.4):
 * 1. a batch consumed before (a redelivery) is skipped, so counts stay exact;
 * 2. the batch is summed in memory per day and row: the total and each dimension value
 *    (requests, failures, latency);
 * 3. one update per row, and each anonymised user key counted once per day.
 */
export async function aggregateAccessEvents(deps: { clock: Clock; stats: AccessStatsRepository }, batch: AccessEventBatch): Promise<boolean> {
  if (!(await deps.stats.claimBatch(batch.batchId, deps.clock.now()))) return false;
  const rows = new Map<string, { date: string; row: string; value?: string; counters: AccessCounters }>();
  const users = new Map<string, Set<string>>();
  const add = (date: string, row: string, event: AccessEvent, value?: string) => {
    const key = `${date}|${row}`;
    const current = rows.get(key)?.counters ?? { count: 0, failures: 0, latencySum: 0 };
    rows.set(key, { date, row, ...(value === undefined ? {} : { value }), counters: { count: current.count + 1, failures: current.failures + (failed(event) ? 1 : 0), latencySum: current.latencySum + event.latencyMs } });
  };
  for (const event of batch.events) {
    const date = chinaDate(new Date(event.at));
    add(date, 'TOTAL', event);
    for (const [dimension, value] of valuesOf(event)) add(date, `DIM#${dimension}#${value}`, event, value);
    if (event.userKey) users.set(date, (users.get(date) ?? new Set()).add(event.userKey));
  }
  for (const { date, row, value, counters } of rows.values()) await deps.stats.add(date, row, counters, value === undefined ? {} : { value });
  for (const [date, keys] of users) {
    let fresh = 0;
    for (const key of keys) if (await deps.stats.firstSighting(date, key)) fresh++;
    if (fresh > 0) await deps.stats.addUniqueUsers(date, fresh);
  }
  return true;
}

/** the longest range one query may cover */
const MAX_DAYS = 93;
const DAY_MS = 86_400_000;
const average = (counters: AccessCounters) => (counters.count === 0 ? 0 : Math.round((counters.latencySum / counters.count) * 10) / 10);

/**
 * Access statistics over days (inclusive), for administrators:
 * 1. the range must be ordered and at most MAX_DAYS long (422);
 * 2. the totals of the days: requests, successes, failures, unique users (per day, summed:
 *    keys change every day), average latency;
 * 3. with a dimension, its values summed over the days, the most frequent first.
 */
export async function accessStatistics(deps: { stats: AccessStatsRepository }, input: { from: string; to: string; dimension?: AccessDimension }) {
  const start = Date.parse(`${input.from}T00:00:00Z`);
  const end = Date.parse(`${input.to}T00:00:00Z`);
  if (end < start) throw invalidField('to', 'must not be before from');
  if ((end - start) / DAY_MS >= MAX_DAYS) throw invalidField('to', `the range may cover at most ${MAX_DAYS} days`);
  const days: string[] = [];
  for (let at = start; at <= end; at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));

  let total = { count: 0, failures: 0, latencySum: 0 };
  let uniqueUsers = 0;
  const values = new Map<string, AccessCounters>();
  for (const date of days) {
    const day = await deps.stats.total(date);
    if (!day) continue;
    total = { count: total.count + day.count, failures: total.failures + day.failures, latencySum: total.latencySum + day.latencySum };
    uniqueUsers += day.uniqueUsers;
    if (!input.dimension) continue;
    for (const row of await deps.stats.dimension(date, input.dimension)) {
      const current = values.get(row.value) ?? { count: 0, failures: 0, latencySum: 0 };
      values.set(row.value, { count: current.count + row.count, failures: current.failures + row.failures, latencySum: current.latencySum + row.latencySum });
    }
  }
  return {
    from: input.from,
    to: input.to,
    ...(input.dimension ? { dimension: input.dimension } : {}),
    totals: { requests: total.count, successes: total.count - total.failures, failures: total.failures, uniqueUsers, averageLatencyMs: average(total) },
    rows: [...values.entries()]
      .map(([value, counters]) => ({ value, count: counters.count, failures: counters.failures, averageLatencyMs: average(counters) }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
  };
}
