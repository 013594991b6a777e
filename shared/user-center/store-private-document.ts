import { invalidField } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import { getUpload } from '../uploads/get-upload.js';
import { uploadBlobKey, type UploadRepository } from '../uploads/upload-repository.js';
import { privateDocumentBlobKey, requirePrivateSpace } from './private-space.js';
import type { PrivateDocument } from './user-center-model.js';
import type { UserCenterRepository } from './user-center-repository.js';

/**
 * Keeps an upload of the caller as a document of their private space (GB/T 39047 6.1.10 i).
 * 1. the private space must be on (409 private_space_off);
 * 2. the upload must be the caller's (404) and its bytes stored with the declared hash (422);
 * 3. the bytes are copied under the user's private-space key (the upload itself expires);
 * 4. the document (id = the upload's id, so storing it again replaces it) is recorded.
 */
export async function storePrivateDocument(
  deps: { userCenter: UserCenterRepository; uploads: UploadRepository; blobs: BlobStore; clock: Clock },
  input: { sub: string; blobId: string; title: string },
): Promise<PrivateDocument> {
  await requirePrivateSpace(deps.userCenter, input.sub);
  const upload = await getUpload(deps, { owner: input.sub, blobId: input.blobId });
  const source = upload.state === 'stored' ? await deps.blobs.get(uploadBlobKey(upload.blobId)) : undefined;
  if (!source) throw invalidField('blobId', 'has not been uploaded yet');
  const copy = await deps.blobs.put(privateDocumentBlobKey(input.sub, upload.blobId), source.bytes, upload.contentType);
  const document: PrivateDocument = {
    documentId: upload.blobId,
    title: input.title,
    fileName: upload.fileName,
    contentType: upload.contentType,
    size: copy.size,
    sha256: copy.sha256,
    storedAt: deps.clock.now().toISOString(),
  };
  await deps.userCenter.addPrivateDocument(input.sub, document);
  return document;
}
