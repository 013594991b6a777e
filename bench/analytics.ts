import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoData } from '../infra/local/demo-seed.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { accessStatsRepository } from '../shared/access/access-stats-repository.js';
import { aggregateAnalytics } from '../shared/analytics/aggregate-analytics.js';
import { evaluationFold } from '../shared/analytics/aggregate-evaluation-facts.js';
import { analyticsRepository } from '../shared/analytics/analytics-repository.js';
import { DEFAULT_WEIGHTS } from '../shared/analytics/evaluation-settings.js';
import { tableEvaluationSources, type EvaluationSources } from '../shared/analytics/evaluation-sources.js';
import { getEvaluation } from '../shared/analytics/get-evaluation.js';
import { insightsFold } from '../shared/analytics/insights/aggregate-insights.js';
import { getInsights } from '../shared/analytics/insights/get-insights.js';
import { insightRepository } from '../shared/analytics/insights/insight-repository.js';
import type { CaseRecord, TimelineEntry } from '../shared/cases/case-model.js';
import { catalogRepository } from '../shared/catalog/catalog-repository.js';
import { systemClock } from '../shared/ports/clock.js';

const CASES = Number(process.env.ANALYTICS_BENCH_CASES ?? 1_000_000);
const PAGE = 1_000;
const AGENCIES = 300;
const PEOPLE = 250_000;
const REQUESTS = 20;
/** the platform's insights over a year read every insight cell and journey of the year: seconds a call, so fewer calls */
const INSIGHT_YEAR_REQUESTS = 3;
const YEAR = 2025;

/** a deterministic pseudo-random sequence (mulberry32), so every run folds the same cases */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const REGIONS = ['330106', '330102', '330105', '330108', '440305', '440303', '440304', '110105', '110108', '310115'];
/** each agency handles one item; two of the twenty (a tenth of the cases) are items of 开办企业一件事, so they make journeys */
const ITEM_CODES = ['SC-XK-0001', 'GA-QT-0001', ...Array.from({ length: 18 }, (_, i) => `BM-QT-${String(i + 1).padStart(4, '0')}`)];
const agencyOf = (index: number) => ({ uscc: `11${REGIONS[index % REGIONS.length]}MB${String(index).padStart(7, '0')}X`, name: `agency ${index}` });

/** one synthetic case: its month, channel, outcome, steps, materials and review drawn at random */
function syntheticCase(n: number, next: () => number): CaseRecord {
  const agencyIndex = Math.floor(next() * AGENCIES);
  const agency = agencyOf(agencyIndex);
  const month = 1 + Math.floor(next() * 12);
  const day = 1 + Math.floor(next() * 28);
  const submittedAt = new Date(Date.UTC(YEAR, month - 1, day, 2)).toISOString();
  const decidedAt = new Date(Date.UTC(YEAR, month - 1, day, 2) + (1 + Math.floor(next() * 10)) * 86_400_000).toISOString();
  const roll = next();
  const outcome = roll < 0.7 ? 'approved' : roll < 0.8 ? 'denied' : roll < 0.85 ? 'rejected' : undefined;
  const channelRoll = next();
  const channel = channelRoll < 0.55 ? 'web' : channelRoll < 0.9 ? 'mobile' : 'partner';
  const steps = outcome === 'rejected' ? ['reject'] : outcome ? ['accept', 'handle', outcome === 'approved' ? 'approve' : 'deny'] : ['accept'];
  const timeline: TimelineEntry[] = [{ at: submittedAt, state: 'submitted', action: 'submit', actor: 'applicant' }, ...steps.map((action) => ({ at: decidedAt, state: action, action, actor: 'staff' as const }))];
  const score = 1 + Math.floor(next() * 5);
  const enterprise = next() < 0.3;
  return {
    caseNo: `${agency.uscc.slice(2, 8)}-${n}`,
    itemCode: ITEM_CODES[agencyIndex % ITEM_CODES.length]!,
    itemName: 'item',
    itemKind: '行政许可',
    region: agency.uscc.slice(2, 8),
    agency,
    applicant: { accountId: `person-${Math.floor(next() * PEOPLE)}`, subjectType: enterprise ? 'legal' : 'natural', name: 'x' },
    form: {},
    materials: Array.from({ length: 1 + Math.floor(next() * 4) }, (_, i) => ({ materialId: `${n}-${i}`, name: `m${i}`, contentType: 'application/pdf', size: 1, sha256: 'x', status: 'received' as const, addedAt: submittedAt })),
    delivery: { method: next() < 0.5 ? 'express' : 'pickup' },
    workflowId: 'standard-v1',
    state: outcome ?? 'accepted',
    version: timeline.length,
    promisedDays: 10,
    clock: { dueAt: decidedAt },
    timeline,
    ...(outcome ? { decision: { outcome, at: decidedAt } } : {}),
    ...(outcome && next() < 0.6
      ? {
          evaluation: {
            score,
            dimensions: { process: score, result: score, efficiency: score },
            at: decidedAt,
            ...(score <= 2 ? { rectification: { rectificationId: `r${n}`, state: next() < 0.8 ? ('done' as const) : ('open' as const), deadline: decidedAt, completedAt: decidedAt } } : {}),
          },
        }
      : {}),
    channel,
    submittedAt,
    stateEnteredAt: decidedAt,
    lastActionAt: decidedAt,
  };
}

/** the cases of the scan, generated a page at a time (the embedded store writes about 500 items a second: a million would take half an hour) */
async function* syntheticCases(): AsyncIterable<CaseRecord[]> {
  const next = random(39047);
  for (let start = 0; start < CASES; start += PAGE) yield Array.from({ length: Math.min(PAGE, CASES - start) }, (_, i) => syntheticCase(start + i, next));
}

/** the time (ms) to generate the cases and hand each to a fresh evaluation fold and insights fold, without finishing them */
async function foldInMemory(deps: Parameters<typeof aggregateAnalytics>[0]): Promise<number> {
  const started = performance.now();
  const evaluation = evaluationFold(deps);
  const insights = insightsFold(deps);
  for await (const page of syntheticCases()) {
    for (const record of page) {
      evaluation.addCase(record);
      insights.addCase(record);
    }
  }
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The analytics schedule (service evaluation and insights) over 1,000,000 synthetic cases on the
 * local runtime:
 * 1. generating the cases alone (the baseline the folds are measured against), then generating
 *    them and handing each to the evaluation's and the insights' folds in memory (addCase, the
 *    pure per-case part of the schedule);
 * 2. the scheduled aggregation (aggregateAnalytics) with those cases as its case source, read
 *    once for both folds, and the real embedded tables for everything else: the evaluation's
 *    month × region × agency cells diffed against the stored ones and written, the catalog
 *    snapshot and the access totals; the insights' per-day cells and journeys likewise, and the
 *    full insight reports of the platform and each province per month, quarter and year;
 * 3. the same run again (nothing changed: reads and compares, writes no cell);
 * 4. GET-time computation (getEvaluation) for the platform over the year, a province over a
 *    quarter and one agency over a month, and the insights (getInsights) of the platform over the
 *    year and a province over a quarter (answered from the stored reports): median of REQUESTS calls each (INSIGHT_YEAR_REQUESTS for
 *    the platform's insights).
 */
export async function benchAnalytics(): Promise<void> {
  console.log(`\n== Analytics schedule (evaluation + insights): ${CASES.toLocaleString('en')} synthetic cases, ${AGENCIES} agencies, ${PEOPLE.toLocaleString('en')} people, 12 months ==`);
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-analytics-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, persist: false, logLevel: 'SILENT', schedules: false, pollQueues: false });
  try {
    await seedDemoData(runtime.dependencies, dataDir);
    const { tables } = runtime.dependencies;
    const analytics = analyticsRepository(tables);
    const insights = insightRepository(tables);
    const catalog = catalogRepository(tables);
    const real = tableEvaluationSources({ tables, catalog, accessStats: accessStatsRepository(tables) });
    const sources: EvaluationSources = { ...real, cases: syntheticCases };

    let started = performance.now();
    let generated = 0;
    for await (const page of syntheticCases()) generated += page.length;
    const generation = performance.now() - started;
    console.log(`generating ${generated.toLocaleString('en')} case records alone: ${seconds(generation)}`);

    const deps = { sources, analytics, insights, catalog, clock: systemClock, firstReplyDeadline: (record: { submittedAt: string }) => new Date(Date.parse(record.submittedAt) + 3 * 86_400_000) };
    const fold = (await foldInMemory(deps)) - generation;
    console.log(`handing them to the evaluation's and the insights' folds (addCase, in memory): ${seconds(fold)} beyond generation, ${((1000 * fold) / CASES).toFixed(1)} µs per case`);

    started = performance.now();
    const first = await aggregateAnalytics(deps);
    const firstRun = performance.now() - started;
    console.log(
      `scheduled aggregation, first run: ${seconds(firstRun)} (storing cells, catalog snapshot, access totals, insight cells and journeys ≈ ${seconds(firstRun - generation - fold)} beyond generation and folds), ${first.evaluation.cellsWritten} evaluation cells, ${first.insights.cellsWritten} insight cells, ${first.insights.journeysWritten} journeys and ${first.insights.reportsWritten} stored insight reports written, process RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
    started = performance.now();
    const second = await aggregateAnalytics(deps);
    console.log(
      `scheduled aggregation, rerun over the same cases: ${seconds(performance.now() - started)}, ${second.evaluation.cellsWritten} evaluation cells, ${second.insights.cellsWritten} insight cells, ${second.insights.journeysWritten} journeys and ${second.insights.reportsWritten} insight reports written`,
    );

    for (const [label, request] of [
      ['platform, year', { period: String(YEAR) }],
      ['province 33, quarter', { period: `${YEAR}-Q2`, region: '330000' }],
      ['one agency, month', { period: `${YEAR}-05`, agency: agencyOf(7).uscc }],
    ] as const) {
      const samples: number[] = [];
      let result: Awaited<ReturnType<typeof getEvaluation>> | undefined;
      for (let i = 0; i < REQUESTS; i++) {
        const at = performance.now();
        result = await getEvaluation({ analytics, weights: DEFAULT_WEIGHTS }, request);
        samples.push(performance.now() - at);
      }
      const submitted = result!.indicators.find((indicator) => indicator.name === 'online-submission-rate')!;
      console.log(`GET evaluation (${label}): p50 ${median(samples).toFixed(1)} ms over ${REQUESTS} calls; ${submitted.denominator?.toLocaleString('en')} cases submitted, score ${result!.score.value}`);
    }
    for (const [label, request, calls] of [
      ['platform, year', { period: String(YEAR) }, INSIGHT_YEAR_REQUESTS],
      ['province 33, quarter', { period: `${YEAR}-Q2`, region: '330000' }, REQUESTS],
    ] as const) {
      const samples: number[] = [];
      for (let i = 0; i < calls; i++) {
        const at = performance.now();
        await getInsights({ insights, analytics }, request);
        samples.push(performance.now() - at);
      }
      console.log(`GET insights (${label}, every kind): p50 ${median(samples).toFixed(1)} ms over ${calls} calls`);
    }
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAnalytics();
