import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { conflict, notFound } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import { caseActorOf, visibleCase } from './case-access.js';
import { caseAuditEvent } from './case-changes.js';
import type { CaseStore } from './case-services.js';
import type { MaterialView } from './add-case-material.js';

/** The bytes of a material with what the case recorded about them. */
export interface MaterialFile {
  readonly material: MaterialView;
  readonly bytes: Uint8Array;
}

/**
 * GET /v1/cases/{caseNo}/materials/{materialId}: the bytes of a material of a case.
 * 1. only the applicant (also through a delegated token), the delegate who submitted it, or staff
 *    of the handling agency; for anyone else the case does not exist (404), as for the case itself;
 * 2. the material must be on the case (404 material_not_found) and held here, not by the platform
 *    that forwarded the case (409 material_held_elsewhere);
 * 3. the bytes are read and hashed: bytes that are missing or differ from the SHA-256 recorded when
 *    the material was attached are never served (an integrity failure, 500);
 * 4. the read is appended to the case's audit trail (who, when, from where, which material), so
 *    every reading of personal materials, by staff above all, is accountable.
 */
export async function readCaseMaterial(
  deps: CaseStore & { blobs: BlobStore },
  input: { principal: Principal; sourceIp?: string; caseNo: string; materialId: string },
): Promise<MaterialFile> {
  const record = visibleCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
  const material = record.materials.find((candidate) => candidate.materialId === input.materialId);
  if (!material) throw notFound(`No material ${input.materialId} on case ${input.caseNo}`, 'material_not_found');
  if (!material.blobKey) throw conflict('The material is held by the platform the case came from', 'material_held_elsewhere');
  const stored = await deps.blobs.get(material.blobKey);
  if (!stored || createHash('sha256').update(stored.bytes).digest('hex') !== material.sha256) {
    throw new Error(`material ${material.materialId} of case ${record.caseNo} is missing or does not match its recorded SHA-256`);
  }
  const actor = caseActorOf(input.principal, input.sourceIp);
  await deps.cases.appendAudit(record.caseNo, caseAuditEvent(record, record, 'read-material', actor, deps.clock.now().toISOString(), { materialId: material.materialId }));
  const { blobKey: _key, ...view } = material;
  return { material: view, bytes: stored.bytes };
}
