import { conflict, forbidden, notFound, unsupportedMediaType } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue.js';
import { isExpired } from '../tables/expiry.js';
import { uploadBlobKey, type UploadRepository } from '../uploads/upload-repository.js';
import type { DatasetName } from './dataset-names.js';
import type { ExchangeCaller } from './exchange-access.js';
import type { ExchangeFileFormat } from './exchange-file-format.js';
import type { FileSubmitted } from './exchange-messages.js';
import type { ExchangeFile, FileRepository } from './file-repository.js';

const FORMATS: Readonly<Record<string, ExchangeFileFormat>> = { 'text/csv': 'csv', 'application/json': 'json' };

/**
 * POST /v1/exchange/files: a source hands in an exchange file it uploaded (POST /v1/uploads, then PUT).
 * 1. the caller must be a source platform allowed to send the dataset (403);
 * 2. the upload must be the caller's, CSV or JSON, and its bytes stored with the declared hash;
 * 3. register the file (a second submission of the same upload returns the first);
 * 4. queue it on exchange-inbound, where data-ingest processes it as a batch of its own and closes
 *    it; its report is GET /v1/exchange/batches/{batchId}.
 */
export async function submitExchangeFile(
  deps: { uploads: UploadRepository; blobs: BlobStore; files: FileRepository; queues: QueuePublisher; clock: Clock },
  caller: ExchangeCaller,
  input: { blobId: string; dataset: DatasetName; batchId?: string },
): Promise<ExchangeFile> {
  const source = caller.platform?.source;
  if (!caller.platform || !source?.datasets.includes(input.dataset)) throw forbidden(`This platform may not send ${input.dataset}`, 'dataset_not_allowed');
  const upload = await deps.uploads.get(input.blobId);
  if (!upload || upload.owner !== caller.principal.sub || isExpired(upload, 'expiresAt', deps.clock.now())) throw notFound('No such upload', 'upload_not_found');
  const format = FORMATS[upload.contentType];
  if (!format) throw unsupportedMediaType('An exchange file is text/csv or application/json');
  const stored = await deps.blobs.head(uploadBlobKey(upload.blobId));
  if (!stored || stored.sha256 !== upload.sha256) throw conflict('The bytes of this upload have not arrived yet', 'upload_pending');

  const file = await deps.files.create({
    fileId: upload.blobId,
    source: caller.platform.platformId,
    dataset: input.dataset,
    batchId: input.batchId ?? `file-${upload.blobId}`,
    format,
    submittedAt: deps.clock.now().toISOString(),
    submittedBy: caller.principal.sub,
    state: 'queued',
  });
  const notice: FileSubmitted = { kind: 'file', source: file.source, fileId: file.fileId };
  if (file.state === 'queued') await deps.queues.send('exchange-inbound', [{ body: notice }]);
  return file;
}
