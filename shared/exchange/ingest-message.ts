import { malformed, ValidationError, type FieldIssue } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import { uploadBlobKey } from '../uploads/upload-repository.js';
import { batchDigest } from './batch-digest.js';
import { closeBatch, type BatchClosing } from './close-batch.js';
import { parseExchangeFile, type ParsedExchangeFile } from './exchange-file-format.js';
import { batchManifest, fileSubmitted, recordEnvelope, type BatchManifest, type FileSubmitted, type RecordEnvelope } from './exchange-messages.js';
import { chinaDay } from './exchange-queues.js';
import { signatureProblem } from './envelope-signature.js';
import type { FileRepository } from './file-repository.js';
import { BatchConflictError, ingestRecords, type RecordIngestion } from './ingest-records.js';
import type { ExchangePlatform } from './platform-repository.js';
import type { MessageQuarantineReason } from './quarantine-repository.js';

export interface MessageIngestion extends RecordIngestion, BatchClosing {
  readonly files: FileRepository;
  readonly blobs: BlobStore;
}

/** records per part of an exchange file: each part is counted like one queue message */
const FILE_PART_RECORDS = 500;

/**
 * Takes in one message of `exchange-inbound` (GB/T 39047 §6.3.5). Steps:
 * 1. a body that is not a JSON object cannot be attributed to anyone: it fails, and after the
 *    queue's maxReceiveCount deliveries it rests in the dead-letter queue;
 * 2. the source must be a registered source platform, else the message is quarantined;
 * 3. the message must be a record envelope, a manifest or a file notice, well-formed, else quarantined;
 * 4. a source registered with signing keys must have signed it (ES256 detached JWS), else quarantined;
 * 5. the source must be allowed to send the dataset, else quarantined;
 * 6. records are ingested (ingest-records.ts), a manifest is recorded, a file is processed as a batch.
 */
export async function ingestMessage(deps: MessageIngestion, message: { messageKey: string; body: string }): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.body);
  } catch {
    throw malformed('the message body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('the message body is not a JSON object');
  const body = parsed as Record<string, unknown>;
  const claimedSource = typeof body.source === 'string' ? body.source : '';
  const claimedBatch = typeof body.batchId === 'string' ? body.batchId : undefined;
  const setAside = (reason: MessageQuarantineReason, issues: readonly FieldIssue[]) =>
    deps.quarantine.putMessageEntry(
      message.messageKey,
      { source: claimedSource, ...(claimedBatch ? { batchId: claimedBatch } : {}), reason, issues, receivedAt: deps.clock.now().toISOString() },
      deps.clock.now(),
    );

  const platform = claimedSource ? await deps.platforms.get(claimedSource) : undefined;
  if (!platform?.source) return setAside('unknown_source', [{ field: 'source', message: 'is not a registered source platform' }]);

  const schema = body.kind === 'manifest' ? batchManifest : body.kind === 'file' ? fileSubmitted : recordEnvelope;
  const result = schema.safeParse(body);
  if (!result.success) {
    return setAside('invalid_message', result.error.issues.slice(0, 100).map((issue) => ({ field: issue.path.map(String).join('.') || '(root)', message: issue.message })));
  }
  const inbound = result.data as RecordEnvelope | BatchManifest | FileSubmitted;
  if (inbound.kind === 'file') return ingestFile(deps, platform, inbound, setAside);

  const signingKeys = platform.source.signingKeys;
  if (signingKeys && signingKeys.length > 0) {
    const problem = signatureProblem(body, signingKeys);
    if (problem) return setAside('bad_signature', [{ field: 'signature', message: problem }]);
  }
  if (!platform.source.datasets.includes(inbound.dataset)) {
    return setAside('dataset_not_allowed', [{ field: 'dataset', message: `the source may not send ${inbound.dataset}` }]);
  }
  try {
    if (inbound.kind === 'manifest') {
      const conflict = await recordManifest(deps, inbound);
      if (conflict) return setAside(conflict.reason, [conflict.issue]);
      return;
    }
    await ingestRecords(deps, { ...inbound, messageKey: message.messageKey });
  } catch (error) {
    if (error instanceof BatchConflictError) return setAside('batch_conflict', [{ field: 'dataset', message: error.message }]);
    throw error;
  }
}

/** Records a batch manifest; returns why it was refused, if it was. */
async function recordManifest(
  deps: MessageIngestion,
  manifest: Pick<BatchManifest, 'source' | 'dataset' | 'batchId' | 'recordCount' | 'digest' | 'messageCount'>,
): Promise<{ reason: MessageQuarantineReason; issue: FieldIssue } | undefined> {
  const now = deps.clock.now();
  const existing = await deps.batches.get(manifest.source, manifest.batchId);
  const recorded = await deps.batches.recordManifest({
    source: manifest.source,
    dataset: manifest.dataset,
    batchId: manifest.batchId,
    day: existing?.day ?? chinaDay(now),
    now: now.toISOString(),
    manifest: {
      recordCount: manifest.recordCount,
      digest: manifest.digest,
      ...(manifest.messageCount !== undefined ? { messageCount: manifest.messageCount } : {}),
      receivedAt: now.toISOString(),
    },
  });
  if (recorded) return undefined;
  const batch = await deps.batches.get(manifest.source, manifest.batchId);
  if (batch && batch.dataset !== manifest.dataset) return { reason: 'batch_conflict', issue: { field: 'dataset', message: `the batch holds ${batch.dataset} records` } };
  if (batch?.state === 'closed') return { reason: 'manifest_conflict', issue: { field: 'batchId', message: 'the batch was closed before this manifest arrived' } };
  return { reason: 'manifest_conflict', issue: { field: 'digest', message: 'the batch already has another manifest' } };
}

/**
 * Processes an exchange file as a batch of its own:
 * 1. the file must be registered for this source (the notice names nothing else);
 * 2. read and parse it; an unreadable file is marked failed and quarantined with the reasons;
 * 3. ingest its records in parts of 500, each counted like one queue message (seq = part number);
 * 4. record its manifest: the one the file declares, else its own records' count and digest;
 * 5. close the batch at once (the whole file is there), which sends the source its result.
 */
async function ingestFile(
  deps: MessageIngestion,
  platform: ExchangePlatform,
  notice: FileSubmitted,
  setAside: (reason: MessageQuarantineReason, issues: readonly FieldIssue[]) => Promise<void>,
): Promise<void> {
  const file = await deps.files.get(notice.fileId);
  if (!file || file.source !== platform.platformId) return setAside('invalid_file', [{ field: 'fileId', message: 'is not a file this source submitted' }]);
  if (file.state !== 'queued') return;
  const blob = await deps.blobs.get(uploadBlobKey(file.fileId));
  if (!blob) throw new Error(`exchange: the bytes of file ${file.fileId} are not in the blob store`);

  let parsed: ParsedExchangeFile;
  try {
    parsed = parseExchangeFile(file.format, new TextDecoder('utf-8', { fatal: true }).decode(blob.bytes), file.dataset);
  } catch (error) {
    const issues = error instanceof ValidationError ? error.issues : error instanceof TypeError ? [{ field: 'file', message: 'is not UTF-8 text' }] : undefined;
    if (!issues) throw error;
    await deps.files.finish(file.fileId, { state: 'failed', issues });
    return setAside('invalid_file', issues);
  }

  const parts = Math.max(1, Math.ceil(parsed.records.length / FILE_PART_RECORDS));
  for (let part = 0; part < parts; part++) {
    const records = parsed.records.slice(part * FILE_PART_RECORDS, (part + 1) * FILE_PART_RECORDS);
    if (records.length === 0) continue;
    await ingestRecords(deps, { source: file.source, dataset: file.dataset, batchId: file.batchId, seq: part + 1, records, messageKey: `file:${file.fileId}:${part + 1}` });
  }
  const distinct = new Map(parsed.records.map((record) => [`${record.id}#${record.version}`, record]));
  const declared = parsed.declared ?? { recordCount: distinct.size, digest: batchDigest(distinct.values()) };
  const conflict = await recordManifest(deps, { source: file.source, dataset: file.dataset, batchId: file.batchId, ...declared, messageCount: parts });
  if (conflict) {
    await deps.files.finish(file.fileId, { state: 'failed', issues: [conflict.issue] });
    return setAside(conflict.reason, [conflict.issue]);
  }
  await closeBatch(deps, { source: file.source, batchId: file.batchId, closedBy: 'file' });
  await deps.files.finish(file.fileId, { state: 'processed' });
}
