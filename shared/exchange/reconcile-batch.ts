import { batchDigest } from './batch-digest.js';
import type { Arrival, Batch, ClosingFigures } from './batch-repository.js';
import type { ReconciliationCounts } from './exchange-messages.js';

/**
 * The reconciliation (对账) of one batch: what the manifest declared against what arrived before
 * the close. Pure and order-free: the same arrivals give the same figures whatever order they
 * came in.
 * - received: distinct (id, version) that arrived; its digest is computed like the sender's;
 * - missing: declared minus received (never negative; unknown without a manifest);
 * - mismatch: 1 when the digests differ although the counts agree (wrong versions or ids);
 * - missing seqs: record messages never seen, up to the declared message count (else the highest seen).
 */
export function reconcileArrivals(batch: Pick<Batch, 'manifest' | 'seqs'>, arrivals: readonly Arrival[]): ClosingFigures & { received: number } {
  const onTime = arrivals.filter((arrival) => !arrival.late);
  const receivedDigest = batchDigest(onTime);
  const declared = batch.manifest?.recordCount;
  const missing = declared === undefined ? null : Math.max(0, declared - onTime.length);
  const mismatch = batch.manifest && missing === 0 && receivedDigest !== batch.manifest.digest ? 1 : 0;
  const lastSeq = batch.manifest?.messageCount ?? batch.seqs.reduce((highest, seq) => Math.max(highest, seq), 0);
  const seen = new Set(batch.seqs);
  const missingSeqs: number[] = [];
  for (let seq = 1; seq <= lastSeq; seq++) if (!seen.has(seq)) missingSeqs.push(seq);
  return { received: onTime.length, missing, mismatch, receivedDigest, missingSeqs };
}

/** The counts of a batch: final figures once closed, else the ones given (computed now). */
export function countsOf(batch: Batch, figures: Pick<ClosingFigures, 'missing' | 'mismatch'>): ReconciliationCounts {
  return {
    declared: batch.manifest?.recordCount ?? null,
    received: batch.received,
    accepted: batch.accepted,
    duplicate: batch.duplicate,
    rejected: batch.rejected,
    missing: figures.missing,
    late: batch.late,
    mismatch: figures.mismatch,
    resolved: batch.resolved,
  };
}
