import { conflict, invalidField, notFound, ValidationError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ItemCodes } from '../ports/item-codes.js';
import type { Tables } from '../ports/tables.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import { TransactionConflictError, writeAll } from '../tables/transactions.js';
import type { BatchRepository } from './batch-repository.js';
import { actorOf, assertMayActForSource, sourceOf, type ExchangeCaller } from './exchange-access.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { publishChanges, type ChangePublishing } from './publish-changes.js';
import type { QuarantineEntry, QuarantineRepository } from './quarantine-repository.js';
import { maskedRecordData, protectRecordData } from './record-protection.js';
import type { RecordRepository, StoredRecord } from './record-repository.js';
import { recordProblems } from './validate-record.js';

/** a quarantine entry as its readers see it: personal fields masked */
export type QuarantineView = Omit<QuarantineEntry, 'data'> & { readonly data?: Record<string, unknown> };


/**
 * GET /v1/exchange/quarantine: a source's quarantined records and messages, optionally of one batch.
 * 1. the source is the one named, else the caller's own; administrators and the source only;
 * 2. one page in batch and record order, with the reasons; personal fields masked.
 */
export async function listQuarantine(
  deps: { quarantine: QuarantineRepository },
  caller: ExchangeCaller,
  input: { source?: string; batchId?: string; limit: number; cursor?: string },
): Promise<{ entries: QuarantineView[]; nextCursor?: string }> {
  const source = sourceOf(caller, input.source);
  if (!source) throw invalidField('source', 'is required');
  assertMayActForSource(caller, source);
  const after = decodeCursor(input.cursor);
  const page = await deps.quarantine.list(source, { limit: input.limit, ...(input.batchId ? { batchId: input.batchId } : {}), ...(after ? { after } : {}) });
  const nextCursor = encodeCursor(page.lastKey);
  return { entries: page.entries.map(viewOf), ...(nextCursor ? { nextCursor } : {}) };
}

function viewOf(entry: QuarantineEntry): QuarantineView {
  const { data, ...rest } = entry;
  return { ...rest, ...(data ? { data: maskedRecordData(data) } : {}) };
}

export interface QuarantineFixing extends ChangePublishing {
  readonly tables: Tables;
  readonly quarantine: QuarantineRepository;
  readonly records: RecordRepository;
  readonly batches: BatchRepository;
  readonly itemCodes: ItemCodes;
  readonly protector: PersonalDataProtector;
  readonly clock: Clock;
}

/**
 * POST /v1/exchange/quarantine/{entryId}/resubmission: the source (or an administrator) sends the
 * fixed data of a quarantined record. Steps:
 * 1. the entry must be an open record entry of a source the caller may act for;
 * 2. the fixed record (same id and version) must pass the dataset's rules, else 422 with the reasons;
 * 3. in one transaction: resolve the entry, count it resolved in its batch, and upsert the record
 *    version-ordered (when a newer version is stored meanwhile, the fix resolves the entry only);
 * 4. send the change to subscribed consumers.
 */
export async function resubmitQuarantined(
  deps: QuarantineFixing,
  caller: ExchangeCaller,
  input: { entryId: string; data: Record<string, unknown> },
): Promise<{ entryId: string; state: 'resolved'; applied: boolean }> {
  const entry = await deps.quarantine.get(input.entryId);
  if (!entry) throw notFound('No such quarantine entry', 'quarantine_entry_not_found');
  assertMayActForSource(caller, entry.source);
  if (entry.kind !== 'record' || !entry.dataset || !entry.batchId || !entry.recordId || entry.version === undefined) {
    throw conflict('A quarantined message cannot be resubmitted: send it again to the queue', 'not_a_record');
  }
  if (entry.state !== 'open') throw conflict('This entry was resolved already', 'already_resolved');
  const fixed = { id: entry.recordId, op: 'upsert' as const, version: entry.version, data: input.data };
  const issues = await recordProblems(deps, entry.dataset, fixed);
  if (issues.length > 0) throw new ValidationError(issues, 'The fixed record still breaks the dataset rules');

  const now = deps.clock.now().toISOString();
  const record: StoredRecord = {
    source: entry.source,
    dataset: entry.dataset,
    id: entry.recordId,
    version: entry.version,
    deleted: false,
    data: await protectRecordData(deps.protector, entry.dataset, input.data),
    batchId: entry.batchId,
    updatedAt: now,
  };
  const resolution = [deps.quarantine.resolveItem(entry, actorOf(caller), now), deps.batches.resolvedItem(entry.source, entry.batchId)];
  let applied = true;
  try {
    await writeAll(deps.tables, [...resolution, deps.records.upsertItem(record)]);
  } catch (error) {
    if (!(error instanceof TransactionConflictError) || error.failed.includes(0)) throw alreadyResolvedOr(error);
    applied = false;
    await writeAll(deps.tables, resolution).catch((retryError: unknown) => {
      throw alreadyResolvedOr(retryError);
    });
  }
  if (applied) await publishChanges(deps, { source: record.source, dataset: record.dataset, records: [record] });
  return { entryId: entry.entryId, state: 'resolved', applied };
}

/** a failed condition on the entry means someone resolved it first */
function alreadyResolvedOr(error: unknown): unknown {
  return error instanceof TransactionConflictError && error.failed.includes(0) ? conflict('This entry was resolved already', 'already_resolved') : error;
}
