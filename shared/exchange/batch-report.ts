import type { Batch, BatchRepository, DeclaredManifest } from './batch-repository.js';
import type { ReconciliationCounts, ResendList } from './exchange-messages.js';
import type { QuarantineRepository } from './quarantine-repository.js';
import { countsOf, reconcileArrivals } from './reconcile-batch.js';

/** rejected records listed in one report or result message; the quarantine has them all */
const MAX_RESEND_RECORDS = 1000;

/** The reconciliation report of one batch (GET /v1/exchange/batches/{batchId}). */
export interface BatchReport {
  readonly source: string;
  readonly dataset: Batch['dataset'];
  readonly batchId: string;
  readonly state: Batch['state'];
  readonly day: string;
  readonly firstSeenAt: string;
  readonly lastActivityAt: string;
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly manifest: DeclaredManifest | null;
  /** final once the batch is closed; until then, what the figures would be if it closed now */
  readonly counts: ReconciliationCounts;
  readonly digest: { readonly declared: string | null; readonly received: string; readonly matches: boolean | null };
  readonly resend: ResendList;
}

/**
 * Builds a batch's report.
 * 1. a closed batch has its figures fixed at the close; an open one is reconciled now from its arrivals;
 * 2. the resend list names the record messages never seen and the rejected records still open in the quarantine.
 */
export async function batchReport(deps: { batches: BatchRepository; quarantine: QuarantineRepository }, batch: Batch): Promise<BatchReport> {
  const figures = batch.closing ?? reconcileArrivals(batch, await deps.batches.arrivals(batch.source, batch.batchId));
  const rejected = await deps.quarantine.openRecordEntries(batch.source, batch.batchId);
  return {
    source: batch.source,
    dataset: batch.dataset,
    batchId: batch.batchId,
    state: batch.state,
    day: batch.day,
    firstSeenAt: batch.firstSeenAt,
    lastActivityAt: batch.lastActivityAt,
    ...(batch.closedAt ? { closedAt: batch.closedAt } : {}),
    ...(batch.closedBy ? { closedBy: batch.closedBy } : {}),
    manifest: batch.manifest ?? null,
    counts: countsOf(batch, figures),
    digest: {
      declared: batch.manifest?.digest ?? null,
      received: figures.receivedDigest,
      matches: batch.manifest ? figures.receivedDigest === batch.manifest.digest : null,
    },
    resend: {
      seqs: [...figures.missingSeqs],
      records: rejected.slice(0, MAX_RESEND_RECORDS).map((entry) => ({ id: entry.recordId!, version: entry.version!, reasons: [...entry.issues] })),
      truncated: rejected.length > MAX_RESEND_RECORDS,
    },
  };
}
