import { invalidField, notFound } from '../errors.js';
import type { Batch, BatchRepository } from './batch-repository.js';
import { batchReport, type BatchReport } from './batch-report.js';
import { closeBatch, type BatchClosing } from './close-batch.js';
import type { DatasetName } from './dataset-names.js';
import { actorOf, assertMayActForSource, type ExchangeCaller } from './exchange-access.js';
import type { ReconciliationCounts } from './exchange-messages.js';
import { countsOf } from './reconcile-batch.js';

/**
 * Finds the batch a request means: batch ids are the senders' own, so the query may name the
 * source; without it the caller's visible batches with that id must be exactly one.
 */
async function findBatch(deps: { batches: BatchRepository }, caller: ExchangeCaller, input: { batchId: string; source?: string }): Promise<Batch> {
  const candidates = (await deps.batches.findById(input.batchId)).filter(
    (batch) => (input.source === undefined || batch.source === input.source) && (caller.admin || batch.source === caller.platform?.platformId),
  );
  if (input.source !== undefined) assertMayActForSource(caller, input.source);
  if (candidates.length === 0) throw notFound('No such batch', 'batch_not_found');
  if (candidates.length > 1) throw invalidField('source', 'several sources sent a batch with this id: name the source');
  return candidates[0]!;
}

/** GET /v1/exchange/batches/{batchId}: the batch's reconciliation report, for an administrator or its source. */
export async function getBatchReport(deps: Parameters<typeof batchReport>[0], caller: ExchangeCaller, input: { batchId: string; source?: string }): Promise<BatchReport> {
  return batchReport(deps, await findBatch(deps, caller, input));
}

/** POST /v1/exchange/batches/{batchId}/close: the source or an administrator closes a batch now (see close-batch.ts). */
export async function requestBatchClose(deps: BatchClosing, caller: ExchangeCaller, input: { batchId: string; source?: string }): Promise<BatchReport> {
  const batch = await findBatch(deps, caller, input);
  return closeBatch(deps, { source: batch.source, batchId: batch.batchId, closedBy: actorOf(caller) });
}

/** The reconciliation of one source's dataset over one day (China Standard Time). */
export interface DayReconciliation {
  readonly source: string;
  readonly dataset: DatasetName;
  readonly date: string;
  /** empty: no batch; open: some batch still open; balanced: every batch closed complete; discrepancies otherwise */
  readonly status: 'empty' | 'open' | 'balanced' | 'discrepancies';
  readonly totals: ReconciliationCounts;
  readonly batches: readonly { readonly batchId: string; readonly state: Batch['state']; readonly closedAt?: string; readonly counts: ReconciliationCounts }[];
}

/**
 * GET /v1/exchange/reconciliations: per source, dataset and day.
 * 1. the caller must be an administrator or the source;
 * 2. list the source's batches of the dataset first seen that day;
 * 3. closed batches give their final counts; open ones their counts so far (missing as declared
 *    minus received, no mismatch until they close);
 * 4. add them up; `declared` and `missing` sum the batches that have a manifest.
 */
export async function getDayReconciliation(
  deps: { batches: BatchRepository },
  caller: ExchangeCaller,
  input: { source?: string; dataset: DatasetName; date: string },
): Promise<DayReconciliation> {
  const source = input.source ?? caller.platform?.platformId;
  if (!source) throw invalidField('source', 'is required');
  assertMayActForSource(caller, source);
  const batches = (await deps.batches.byDay(source, input.dataset, input.date)).sort((a, b) => (a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0));
  const rows = batches.map((batch) => {
    const figures = batch.closing ?? { missing: batch.manifest ? Math.max(0, batch.manifest.recordCount - batch.received) : null, mismatch: 0 };
    return { batchId: batch.batchId, state: batch.state, ...(batch.closedAt ? { closedAt: batch.closedAt } : {}), counts: countsOf(batch, figures) };
  });
  const sum = (pick: (counts: ReconciliationCounts) => number | null) => rows.reduce((total, row) => total + (pick(row.counts) ?? 0), 0);
  const totals: ReconciliationCounts = {
    declared: sum((c) => c.declared),
    received: sum((c) => c.received),
    accepted: sum((c) => c.accepted),
    duplicate: sum((c) => c.duplicate),
    rejected: sum((c) => c.rejected),
    missing: sum((c) => c.missing),
    late: sum((c) => c.late),
    mismatch: sum((c) => c.mismatch),
    resolved: sum((c) => c.resolved),
  };
  const status =
    rows.length === 0
      ? 'empty'
      : rows.some((row) => row.state === 'open')
        ? 'open'
        : rows.every((row) => row.counts.declared !== null && row.counts.missing === 0 && row.counts.mismatch === 0 && row.counts.rejected === row.counts.resolved && row.counts.late === 0)
          ? 'balanced'
          : 'discrepancies';
  return { source, dataset: input.dataset, date: input.date, status, totals, batches: rows };
}
