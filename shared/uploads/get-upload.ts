import { notFound } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import { isExpired } from '../tables/expiry.js';
import { uploadBlobKey, type UploadRepository } from './upload-repository.js';

export interface UploadStatus {
  readonly blobId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  /** pending until the bytes arrived and matched the declared hash */
  readonly state: 'pending' | 'stored';
  readonly createdAt: string;
}

/**
 * Tells the owner whether an upload's bytes have arrived.
 * 1. load the reservation; someone else's or an expired one is "not found";
 * 2. ask the blob store whether bytes with the declared hash are stored.
 */
export async function getUpload(
  deps: { uploads: UploadRepository; blobs: BlobStore; clock: Clock },
  input: { owner: string; blobId: string },
): Promise<UploadStatus> {
  const record = await deps.uploads.get(input.blobId);
  if (!record || record.owner !== input.owner || isExpired(record, 'expiresAt', deps.clock.now())) {
    throw notFound('No such upload', 'upload_not_found');
  }
  const stored = await deps.blobs.head(uploadBlobKey(record.blobId));
  const state = stored && stored.sha256 === record.sha256 && stored.size === record.size ? 'stored' : 'pending';
  const { blobId, fileName, contentType, size, sha256, createdAt } = record;
  return { blobId, fileName, contentType, size, sha256, state, createdAt };
}
