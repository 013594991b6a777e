import { ValidationError, type FieldIssue } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import { isExpired } from '../tables/expiry.js';
import { MAX_UPLOAD_BYTES } from '../uploads/upload-policy.js';
import { uploadBlobKey, type UploadRecord, type UploadRepository } from '../uploads/upload-repository.js';
import type { CaseMaterial } from './case-model.js';

/** The formats of application materials (PDF, JPEG, PNG, OFD), each at most 20 MiB. */
export const MATERIAL_CONTENT_TYPES: readonly string[] = ['application/pdf', 'image/jpeg', 'image/png', 'application/ofd'];
export const MAX_MATERIAL_BYTES = MAX_UPLOAD_BYTES;

export interface MaterialReference {
  readonly name: string;
  readonly blobId: string;
}

/** where a case keeps the bytes of a material: outside uploads/, whose unclaimed objects expire */
export const materialBlobKey = (caseNo: string, blobId: string) => `cases/${caseNo}/${blobId}`;

/**
 * Checks uploads named as materials and copies their bytes to the case.
 * 1. each upload must be the caller's (one of `owners`), not expired, not attached to this case
 *    already, of a material format and size, and its bytes stored with the declared SHA-256;
 *    every failure is one 422 issue naming the material;
 * 2. copy the bytes to the case's own key (the copy is hashed again by the store);
 * 3. return the materials with type, size and SHA-256 as recorded.
 */
export async function claimMaterials(
  deps: { uploads: UploadRepository; blobs: BlobStore; clock: Clock },
  input: { caseNo: string; owners: readonly string[]; materials: readonly MaterialReference[]; attached: readonly CaseMaterial[]; fieldOf: (index: number) => string },
): Promise<CaseMaterial[]> {
  const now = deps.clock.now();
  const issues: FieldIssue[] = [];
  const duplicates = new Set(input.attached.map((material) => material.materialId));
  const checked = await Promise.all(
    input.materials.map(async (material, index) => {
      const attachedAlready = duplicates.has(material.blobId);
      duplicates.add(material.blobId);
      const upload = await deps.uploads.get(material.blobId);
      const problem = await uploadProblem(deps.blobs, upload, { owners: input.owners, now, attachedAlready });
      if (problem) issues.push({ field: input.fieldOf(index), message: problem });
      return { material, upload: upload! };
    }),
  );
  if (issues.length > 0) throw new ValidationError(issues);

  return Promise.all(
    checked.map(async ({ material, upload }, index) => {
      const source = await deps.blobs.get(uploadBlobKey(upload.blobId));
      if (!source) throw new ValidationError([{ field: input.fieldOf(index), message: `${material.name} has not been uploaded yet` }]);
      const key = materialBlobKey(input.caseNo, upload.blobId);
      const copy = await deps.blobs.put(key, source.bytes, upload.contentType);
      return {
        materialId: upload.blobId,
        name: material.name,
        contentType: upload.contentType,
        size: copy.size,
        sha256: copy.sha256,
        status: 'received' as const,
        blobKey: key,
        addedAt: now.toISOString(),
      };
    }),
  );
}

async function uploadProblem(
  blobs: BlobStore,
  upload: UploadRecord | undefined,
  context: { owners: readonly string[]; now: Date; attachedAlready: boolean },
): Promise<string | undefined> {
  if (!upload || !context.owners.includes(upload.owner) || isExpired(upload, 'expiresAt', context.now)) return 'is not an upload of yours';
  if (context.attachedAlready) return 'is attached to the case already';
  if (!MATERIAL_CONTENT_TYPES.includes(upload.contentType)) return 'must be a PDF, JPEG, PNG or OFD file';
  if (upload.size > MAX_MATERIAL_BYTES) return 'must be at most 20 MiB';
  const stored = await blobs.head(uploadBlobKey(upload.blobId));
  if (!stored || stored.sha256 !== upload.sha256 || stored.size !== upload.size) return 'has not been uploaded yet';
  return undefined;
}
