import { notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { BatchRepository } from './batch-repository.js';
import { batchReport, type BatchReport } from './batch-report.js';
import type { ReconciliationResult } from './exchange-messages.js';
import { isOutboundQueue } from './exchange-queues.js';
import type { PlatformDirectory } from './platform-repository.js';
import type { QuarantineRepository } from './quarantine-repository.js';
import { reconcileArrivals } from './reconcile-batch.js';

export interface BatchClosing {
  readonly batches: BatchRepository;
  readonly quarantine: QuarantineRepository;
  readonly platforms: PlatformDirectory;
  readonly queues: QueuePublisher;
  readonly clock: Clock;
}

const MAX_ATTEMPTS = 10;

/**
 * Closes a batch: from now on `missing` is final and new records of the batch count as late.
 * 1. load the batch (404 when unknown); a closed batch is returned as it is;
 * 2. reconcile its arrivals against the manifest; when records landed meanwhile, read again;
 * 3. store the final figures, conditional on the batch still being open with the arrivals counted;
 * 4. send the source its reconciliation result with the resend list (when it has an outbound queue).
 */
export async function closeBatch(deps: BatchClosing, input: { source: string; batchId: string; closedBy: string }): Promise<BatchReport> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const batch = await deps.batches.get(input.source, input.batchId);
    if (!batch) throw notFound('No such batch of this source', 'batch_not_found');
    if (batch.state === 'closed') return batchReport(deps, batch);
    const arrivals = await deps.batches.arrivals(batch.source, batch.batchId);
    const { received, ...figures } = reconcileArrivals(batch, arrivals);
    if (received !== batch.received) continue;
    const platform = await deps.platforms.get(batch.source);
    const resultToSend = platform?.outboundQueue !== undefined && isOutboundQueue(platform.outboundQueue);
    const closedAt = deps.clock.now().toISOString();
    if (!(await deps.batches.close(batch, { closedAt, closedBy: input.closedBy, figures, resultToSend }))) continue;
    if (resultToSend) await sendReconciliationResult(deps, { source: batch.source, batchId: batch.batchId });
    return batchReport(deps, (await deps.batches.get(input.source, input.batchId))!);
  }
  throw new Error(`exchange: batch ${input.batchId} kept changing while it was being closed`);
}

/**
 * Sends a closed batch's reconciliation result to its source's outbound queue and takes the
 * batch off the list of results to send. At least once: a crash in between sends it again.
 */
export async function sendReconciliationResult(deps: BatchClosing, key: { source: string; batchId: string }): Promise<void> {
  const batch = await deps.batches.get(key.source, key.batchId);
  if (!batch || batch.state !== 'closed' || batch.resultSentAt) return;
  const platform = await deps.platforms.get(batch.source);
  if (platform?.outboundQueue && isOutboundQueue(platform.outboundQueue)) {
    const report = await batchReport(deps, batch);
    const result: ReconciliationResult = {
      kind: 'reconciliation-result',
      source: report.source,
      dataset: report.dataset,
      batchId: report.batchId,
      closedAt: report.closedAt!,
      counts: report.counts,
      digestMatches: report.digest.matches,
      resend: report.resend,
    };
    await deps.queues.send(platform.outboundQueue, [{ body: result }]);
  }
  await deps.batches.markResultSent(batch, deps.clock.now().toISOString());
}

/** batches handled per scheduled run, so one run stays well inside the function timeout */
const MAX_PER_RUN = 200;

/**
 * The scheduled closer: closes every open batch that has seen nothing for `closeAfterMinutes`
 * (the sender had that long to deliver everything) and sends results still owed to sources.
 */
export async function closeDueBatches(deps: BatchClosing, settings: { closeAfterMinutes: number }): Promise<{ closed: number; resultsSent: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - settings.closeAfterMinutes * 60_000).toISOString();
  let closed = 0;
  for (const due of await deps.batches.openSince(cutoff, MAX_PER_RUN)) {
    await closeBatch(deps, { ...due, closedBy: 'schedule' });
    closed++;
  }
  let resultsSent = 0;
  for (const pending of await deps.batches.resultsToSend(MAX_PER_RUN)) {
    await sendReconciliationResult(deps, pending);
    resultsSent++;
  }
  return { closed, resultsSent };
}
