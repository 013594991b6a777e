import type { Principal } from '../auth/principal.js';
import { conflict } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { UploadRepository } from '../uploads/upload-repository.js';
import { applicantCase, caseActorOf } from './case-access.js';
import { amendCase, retryingRaces } from './case-changes.js';
import type { CaseMaterial, CaseRecord } from './case-model.js';
import type { CaseStore } from './case-services.js';
import { workflowById } from './case-workflows.js';
import { claimMaterials, type MaterialReference } from './claim-materials.js';

export type MaterialView = Omit<CaseMaterial, 'blobKey'>;

/** the case still takes materials: no decision yet, someone still has to act */
export function takesMaterials(record: CaseRecord): boolean {
  const state = workflowById(record.workflowId).states[record.state];
  return state !== undefined && !state.decision && !state.terminal && state.waitingFor !== 'nobody';
}

/**
 * POST /v1/cases/{caseNo}/materials: the applicant adds a material to their case.
 * 1. the case must be the caller's (else 404) and still take materials (409 materials_closed);
 * 2. the upload is checked (format, size, stored bytes and hash) and copied to the case;
 * 3. the material and a timeline entry are written on top of the version read; a race reads again.
 */
export async function addCaseMaterial(
  deps: CaseStore & { uploads: UploadRepository; blobs: BlobStore },
  input: { principal: Principal; sourceIp?: string; caseNo: string; material: MaterialReference },
): Promise<MaterialView> {
  const actor = caseActorOf(input.principal, input.sourceIp);
  return retryingRaces(async () => {
    const record = applicantCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
    if (!takesMaterials(record)) throw conflict(`The case is ${record.state} and takes no more materials`, 'materials_closed');
    const [material] = await claimMaterials(deps, {
      caseNo: record.caseNo,
      owners: [input.principal.sub, ...(input.principal.actor ? [input.principal.actor.sub] : [])],
      materials: [input.material],
      attached: record.materials,
      fieldOf: () => 'blobId',
    });
    const change = amendCase(record, { materials: [...record.materials, material!], lastActionAt: deps.clock.now().toISOString() }, {
      action: 'add-material',
      actor,
      at: deps.clock.now(),
      timeline: true,
      comment: material!.name,
    });
    await deps.cases.save(change.next, record, { audit: change.audit });
    const { blobKey: _key, ...view } = material!;
    return view;
  });
}
