import type { Principal } from '../auth/principal.js';
import type { BlobStore } from '../ports/blob-store.js';
import { chinaDate } from '../workflow/working-calendar.js';
import type { UploadRepository } from '../uploads/upload-repository.js';
import { applicantCase, caseActorOf } from './case-access.js';
import { retryingRaces, transitionCase } from './case-changes.js';
import type { CasePublish, CaseStore } from './case-services.js';
import { claimMaterials, type MaterialReference } from './claim-materials.js';

export interface SupplementInput {
  readonly principal: Principal;
  readonly sourceIp?: string;
  readonly caseNo: string;
  readonly comment?: string;
  readonly materials: readonly MaterialReference[];
  /** fields of the application form to correct; they replace the fields of the same name */
  readonly form?: Readonly<Record<string, unknown>>;
}

/**
 * POST /v1/cases/{caseNo}/supplements: the applicant answers a request for correction (补正).
 * 1. the case must be the caller's (else 404) and waiting for a correction (else 409 illegal_transition);
 * 2. the new materials are checked and copied to the case;
 * 3. the `supplement` transition returns the case to the state it was in, its deadline moved by
 *    the working days the clock stood still; corrected form fields replace the old ones;
 * 4. written on top of the version read (a race reads again), then the applicant and the
 *    partner platform, if any, are told.
 */
export async function supplementCase(
  deps: CaseStore & { uploads: UploadRepository; blobs: BlobStore; publish: CasePublish },
  input: SupplementInput,
): Promise<{ caseNo: string; state: string; version: number; dueDate: string }> {
  const actor = caseActorOf(input.principal, input.sourceIp);
  const change = await retryingRaces(async () => {
    const record = applicantCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
    const at = deps.clock.now();
    const planned = transitionCase(deps.context, record, { action: 'supplement', role: 'applicant', actor, ...(input.comment ? { comment: input.comment } : {}) }, at);
    const added = await claimMaterials(deps, {
      caseNo: record.caseNo,
      owners: [input.principal.sub, ...(input.principal.actor ? [input.principal.actor.sub] : [])],
      materials: input.materials,
      attached: record.materials,
      fieldOf: (index) => `materials.${index}.blobId`,
    });
    const next = { ...planned.next, materials: [...record.materials, ...added], form: { ...record.form, ...input.form } };
    await deps.cases.save(next, record, { audit: planned.audit, ...(planned.event ? { event: planned.event } : {}) });
    return { ...planned, next };
  });
  if (change.event) await deps.publish(change.event, change.next.applicant);
  return { caseNo: change.next.caseNo, state: change.next.state, version: change.next.version, dueDate: chinaDate(new Date(change.next.clock.dueAt)) };
}
