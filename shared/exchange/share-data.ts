import { forbidden, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { AccessLogRepository, SharedDataAccess } from './access-log-repository.js';
import type { DatasetName } from './dataset-names.js';
import type { ExchangeCaller } from './exchange-access.js';
import { renderExchangeFile, type ExchangeFileFormat, type ExportedRecord } from './exchange-file-format.js';
import { chinaDay } from './exchange-queues.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import type { DatasetGrant } from './platform-repository.js';
import { revealRecordData } from './record-protection.js';
import type { RecordRepository, StoredRecord } from './record-repository.js';

export interface DataSharing {
  readonly records: RecordRepository;
  readonly accessLog: AccessLogRepository;
  readonly protector: PersonalDataProtector;
  readonly clock: Clock;
}

/** the most records one export file holds; the next slice starts at the returned cursor */
export const MAX_EXPORT_RECORDS = 10_000;

interface SliceRequest {
  readonly dataset: DatasetName;
  readonly source: string;
  readonly id?: string;
  readonly updatedSince?: string;
  readonly limit: number;
  readonly cursor?: string;
  readonly requestId: string;
}

/** the consumer's grant on a dataset, or 403: interface sharing is for registered consumer platforms with a grant */
function grantOf(caller: ExchangeCaller, dataset: DatasetName): DatasetGrant {
  const grant = caller.platform?.consumer?.grants.find((candidate) => candidate.dataset === dataset);
  if (!caller.platform || !grant) throw forbidden(`This platform has no grant on the ${dataset} dataset`, 'no_dataset_grant');
  return grant;
}

/**
 * Reads a slice of a dataset for a consumer and logs the access.
 * 1. the caller must be a registered platform with a grant on the dataset (403);
 * 2. one record by id (404 when absent or deleted), or a page of the source's records in id order,
 *    optionally only those updated since a moment;
 * 3. personal fields in clear only where the grant names them, masked otherwise;
 * 4. append who read which records, with which fields in clear, to the access log.
 */
async function readSlice(deps: DataSharing, caller: ExchangeCaller, request: SliceRequest, operation: SharedDataAccess['operation'], query: Record<string, string>) {
  const grant = grantOf(caller, request.dataset);
  let records: StoredRecord[];
  let lastId: string | undefined;
  if (request.id !== undefined) {
    const record = await deps.records.get(request.dataset, request.source, request.id);
    if (!record || record.deleted) throw notFound('No such record', 'record_not_found');
    records = [record];
  } else {
    const after = decodeCursor(request.cursor);
    ({ records, lastId } = await deps.records.list(request.dataset, request.source, {
      limit: request.limit,
      ...(after ? { after } : {}),
      ...(request.updatedSince ? { updatedSince: request.updatedSince } : {}),
    }));
  }
  const revealed = await Promise.all(
    records.map(async (record) => ({ id: record.id, version: record.version, updatedAt: record.updatedAt, data: record.data ? await revealRecordData(deps.protector, record.data, grant.clearFields) : {} })),
  );
  const now = deps.clock.now();
  await deps.accessLog.append(chinaDay(now), {
    at: now.toISOString(),
    requestId: request.requestId,
    consumer: caller.platform!.platformId,
    actor: caller.principal.sub,
    operation,
    dataset: request.dataset,
    source: request.source,
    query,
    recordCount: revealed.length,
    recordIds: revealed.map((record) => record.id),
    clearFields: grant.clearFields.filter((field) => records.some((record) => record.data?.personal[field] !== undefined)),
  });
  const nextCursor = encodeCursor(lastId);
  return { records: revealed, ...(nextCursor ? { nextCursor } : {}) };
}

/** GET /v1/shared-data/{dataset}: interface sharing (GB/T 39047 §6.3.5 a); see readSlice for the steps. */
export async function readSharedData(
  deps: DataSharing,
  caller: ExchangeCaller,
  request: SliceRequest,
): Promise<{ dataset: DatasetName; source: string; records: ExportedRecord[]; nextCursor?: string }> {
  const query = { ...(request.id ? { id: request.id } : {}), ...(request.updatedSince ? { updatedSince: request.updatedSince } : {}) };
  const slice = await readSlice(deps, caller, request, 'read', query);
  return { dataset: request.dataset, source: request.source, ...slice };
}

/** GET /v1/exchange/files/{dataset}: file exchange out, a slice of a dataset as a CSV or JSON file; same rules and log as readSharedData. */
export async function exportDatasetFile(
  deps: DataSharing,
  caller: ExchangeCaller,
  request: Omit<SliceRequest, 'id' | 'limit'> & { format: ExchangeFileFormat },
): Promise<{ content: string; contentType: string; fileName: string; nextCursor?: string }> {
  const query = { format: request.format, ...(request.updatedSince ? { updatedSince: request.updatedSince } : {}) };
  const slice = await readSlice(deps, caller, { ...request, limit: MAX_EXPORT_RECORDS }, 'export', query);
  return {
    content: renderExchangeFile(request.format, slice.records),
    contentType: request.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    fileName: `${request.dataset}-${request.source}-${chinaDay(deps.clock.now())}.${request.format}`,
    ...(slice.nextCursor ? { nextCursor: slice.nextCursor } : {}),
  };
}

/** GET /v1/exchange/access-log: administrators read who read shared data on a day, optionally one consumer's reads. */
export async function listSharedDataAccess(
  deps: { accessLog: AccessLogRepository },
  caller: ExchangeCaller,
  input: { date: string; consumer?: string; limit: number; cursor?: string },
): Promise<{ entries: SharedDataAccess[]; nextCursor?: string }> {
  if (!caller.admin) throw forbidden('Administrators only', 'admin_only');
  const after = decodeCursor(input.cursor);
  const page = await deps.accessLog.list(input.date, { limit: input.limit, ...(input.consumer ? { consumer: input.consumer } : {}), ...(after ? { after } : {}) });
  const nextCursor = encodeCursor(page.lastKey);
  return { entries: page.entries, ...(nextCursor ? { nextCursor } : {}) };
}
