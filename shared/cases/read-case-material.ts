import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { conflict, notFound } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import { caseActorOf, visibleCase } from './case-access.js';
import { caseAuditEvent } from './case-changes.js';
import type { CaseStore } from './case-services.js';
import type { MaterialView } from './add-case-material.js';
import { materialFileName } from './material-file-name.js';

/** How long a download URL of a large material stays usable: enough to follow the redirect at once. */
export const MATERIAL_DOWNLOAD_URL_SECONDS = 60;

/** A material with what the case recorded about it, and either its bytes or a URL to fetch them from. */
export type MaterialFile =
  | { readonly material: MaterialView; readonly bytes: Uint8Array }
  | { readonly material: MaterialView; readonly downloadUrl: string };

/**
 * GET /v1/cases/{caseNo}/materials/{materialId}: the bytes of a material of a case.
 * 1. only the applicant (also through a delegated token), the delegate who submitted it, or staff
 *    of the handling agency; for anyone else the case does not exist (404), as for the case itself;
 * 2. the material must be on the case (404 material_not_found) and held here, not by the platform
 *    that forwarded the case (409 material_held_elsewhere);
 * 3. a material of at most `inlineFileBytes` (recorded size) is read and hashed: bytes that are
 *    missing or differ from the SHA-256 recorded when the material was attached are never served
 *    (an integrity failure, 500);
 * 4. a larger one is not read (it could not travel in the response anyway): the blob store's own
 *    SHA-256 of the object, computed and verified by the store when the bytes were written, must
 *    equal the recorded one, and the caller gets a download URL valid for
 *    MATERIAL_DOWNLOAD_URL_SECONDS. The bytes served are not hashed again: this relies on material
 *    objects never being rewritten after attachment (nothing writes a material key twice, and any
 *    rewrite changes the store's checksum, which the next read checks);
 * 5. the read is appended to the case's audit trail (who, when, from where, which material), so
 *    every reading of personal materials, by staff above all, is accountable.
 */
export async function readCaseMaterial(
  deps: CaseStore & { blobs: BlobStore; inlineFileBytes: number },
  input: { principal: Principal; sourceIp?: string; caseNo: string; materialId: string },
): Promise<MaterialFile> {
  const record = visibleCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
  const material = record.materials.find((candidate) => candidate.materialId === input.materialId);
  if (!material) throw notFound(`No material ${input.materialId} on case ${input.caseNo}`, 'material_not_found');
  const { blobKey, ...view } = material;
  if (!blobKey) throw conflict('The material is held by the platform the case came from', 'material_held_elsewhere');
  const integrityFailure = () => new Error(`material ${material.materialId} of case ${record.caseNo} is missing or does not match its recorded SHA-256`);
  let file: MaterialFile;
  if (material.size <= deps.inlineFileBytes) {
    const stored = await deps.blobs.get(blobKey);
    if (!stored || createHash('sha256').update(stored.bytes).digest('hex') !== material.sha256) throw integrityFailure();
    file = { material: view, bytes: stored.bytes };
  } else {
    const stored = await deps.blobs.head(blobKey);
    if (!stored || stored.sha256 !== material.sha256) throw integrityFailure();
    const { downloadUrl } = await deps.blobs.createDownloadUrl({
      key: blobKey,
      contentType: material.contentType,
      fileName: materialFileName(material),
      expiresInSeconds: MATERIAL_DOWNLOAD_URL_SECONDS,
    });
    file = { material: view, downloadUrl };
  }
  const actor = caseActorOf(input.principal, input.sourceIp);
  await deps.cases.appendAudit(record.caseNo, caseAuditEvent(record, record, 'read-material', actor, deps.clock.now().toISOString(), { materialId: material.materialId }));
  return file;
}
