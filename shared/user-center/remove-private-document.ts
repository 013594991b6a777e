import { notFound } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import { privateDocumentBlobKey, requirePrivateSpace } from './private-space.js';
import type { UserCenterRepository } from './user-center-repository.js';

/**
 * Removes a document from the caller's private space.
 * 1. the private space must be on (409 private_space_off);
 * 2. the document must be the caller's (404, also for another user's id);
 * 3. the bytes go first, then the record, so a failure leaves nothing unreachable behind.
 */
export async function removePrivateDocument(deps: { userCenter: UserCenterRepository; blobs: BlobStore }, input: { sub: string; documentId: string }): Promise<void> {
  await requirePrivateSpace(deps.userCenter, input.sub);
  if (!(await deps.userCenter.privateDocument(input.sub, input.documentId))) throw notFound('No such document', 'document_not_found');
  await deps.blobs.delete(privateDocumentBlobKey(input.sub, input.documentId));
  await deps.userCenter.removePrivateDocument(input.sub, input.documentId);
}
