import { ulid } from 'ulid';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import { ttlFromNow } from '../tables/expiry.js';
import { UNCLAIMED_UPLOAD_TTL_SECONDS, UPLOAD_URL_TTL_SECONDS } from './upload-policy.js';
import { uploadBlobKey, type UploadRepository } from './upload-repository.js';

export interface CreateUploadInput {
  readonly owner: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

export interface CreatedUpload {
  readonly blobId: string;
  readonly uploadUrl: string;
  readonly expiresAt: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reserves an upload the caller then PUTs straight to the blob store.
 * 1. issue a new blob id;
 * 2. record who uploads what (type, size, hash), forgotten after a week unless claimed;
 * 3. ask the blob store for a short-lived URL that only accepts exactly those bytes.
 * Content type and size limits are enforced by the request schema before this runs.
 */
export async function createUpload(
  deps: { uploads: UploadRepository; blobs: BlobStore; clock: Clock },
  input: CreateUploadInput,
): Promise<CreatedUpload> {
  const now = deps.clock.now();
  const blobId = ulid(now.getTime());
  await deps.uploads.create({ blobId, ...input, createdAt: now.toISOString(), expiresAt: ttlFromNow(now, UNCLAIMED_UPLOAD_TTL_SECONDS) });
  const ticket = await deps.blobs.createUploadUrl({
    key: uploadBlobKey(blobId),
    contentType: input.contentType,
    size: input.size,
    sha256: input.sha256,
    expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
  });
  return { blobId, uploadUrl: ticket.uploadUrl, expiresAt: ticket.expiresAt.toISOString(), headers: ticket.headers };
}
