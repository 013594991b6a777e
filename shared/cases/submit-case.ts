import type { Principal } from '../auth/principal.js';
import { AppError, forbidden, invalidField, notFound, ValidationError } from '../errors.js';
import type { ApplicantDirectory } from '../ports/applicant-directory.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { DelegationCheck } from '../ports/delegation-check.js';
import type { ImplementationLookup } from '../ports/implementation-lookup.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import { maskPhone } from '../codes/masking.js';
import { chinaDate } from '../workflow/working-calendar.js';
import type { UploadRepository } from '../uploads/upload-repository.js';
import { caseActorOf } from './case-access.js';
import { withEvents } from './case-changes.js';
import type { CaseActor, CaseApplicant, CaseRecord } from './case-model.js';
import type { CasePublish, CaseStore } from './case-services.js';
import { claimMaterials, type MaterialReference } from './claim-materials.js';
import { caseBasics, openCase } from './open-case.js';

export interface SubmitCaseInput {
  readonly principal: Principal;
  readonly sourceIp?: string;
  readonly itemCode: string;
  readonly region: string;
  /** contact for this application instead of the account's phone */
  readonly applicant?: { readonly contactPhone?: string };
  /** the principal a delegate applies for (needs an accepted delegation covering the item) */
  readonly onBehalfOf?: string;
  readonly form: Readonly<Record<string, unknown>>;
  readonly materials: readonly MaterialReference[];
  readonly delivery: { readonly method: 'pickup' | 'express'; readonly address?: string };
  /** the client the application came from (service evaluation: online and mobile shares) */
  readonly channel: 'web' | 'mobile';
}

export interface SubmitCaseDependencies extends CaseStore {
  readonly implementations: ImplementationLookup;
  readonly delegations: DelegationCheck;
  readonly applicants: ApplicantDirectory;
  readonly uploads: UploadRepository;
  readonly blobs: BlobStore;
  readonly personalData: Pick<PersonalDataProtector, 'seal'>;
  readonly publish: CasePublish;
}

/** X-Channel values of mobile clients (app, mini-programs, mobile web) */
const MOBILE_CHANNELS: readonly string[] = ['mobile', 'app', 'mini-program', 'miniprogram', 'wechat', 'alipay', 'h5'];

/** the channel of a submission from the client's X-Channel header: a mobile client, else the web portal */
export const submissionChannel = (header: string | undefined): 'web' | 'mobile' => (header && MOBILE_CHANNELS.includes(header.trim().toLowerCase()) ? 'mobile' : 'web');

/**
 * Online submission (网上申报, GB/T 39047 6.1.6); the HTTP layer makes it idempotent per Idempotency-Key.
 * 1. who applies: the caller; the principal of a delegated token; or `onBehalfOf`, for whom the
 *    caller needs an accepted delegation covering the item (403 delegation_required);
 * 2. the item must be published for the region (404 item_not_published) and open to online
 *    application (422 online_application_unavailable);
 * 3. the caller's real-name level must reach the implementation's minimum (403 level_too_low);
 * 4. express delivery needs an address; every required material must be named (422 listing the missing);
 * 5. the uploads are checked and copied to the case (422 per bad material);
 * 6. the case starts in the workflow of the item's kind, due after the promised working days;
 *    it is written with its audit and change events under a fresh case number;
 * 7. the applicant is told (SMS, inbox) and the case is returned with its number and due date.
 */
export async function submitCase(deps: SubmitCaseDependencies, input: SubmitCaseInput): Promise<{ caseNo: string; state: string; dueDate: string }> {
  const { principal } = input;
  const delegation = await applicantFor(deps, input);
  const [facts, profile] = await Promise.all([deps.implementations.forItemInRegion(input.itemCode, input.region), deps.applicants.profile(delegation.applicant)]);
  if (!facts) throw notFound(`${input.itemCode} is not offered in region ${input.region}`, 'item_not_published');
  if (!facts.onlineApply) throw new AppError('invalid', 'online_application_unavailable', `${facts.itemName} cannot be applied for online in region ${input.region}`);
  if (principal.level < facts.minLevel) {
    throw forbidden(`${facts.itemName} needs real-name level ${facts.minLevel}; yours is ${principal.level}`, 'level_too_low');
  }
  if (input.delivery.method === 'express' && !input.delivery.address) throw invalidField('delivery.address', 'is required for express delivery');
  const named = new Set(input.materials.map((material) => material.name));
  const missing = facts.materials.filter((material) => material.required && !named.has(material.name));
  if (missing.length > 0) throw new ValidationError(missing.map((material) => ({ field: 'materials', message: `missing required material: ${material.name}` })), 'Required materials are missing');
  if (!profile) throw notFound('The applicant has no account here', 'applicant_not_found');
  const contactPhone = input.applicant?.contactPhone;
  const applicant: CaseApplicant = {
    accountId: profile.accountId,
    subjectType: profile.subjectType,
    name: profile.name,
    ...(profile.idType ? { idType: profile.idType } : {}),
    ...(profile.idMasked ? { idMasked: profile.idMasked } : {}),
    ...(profile.idSealed ? { idSealed: profile.idSealed } : {}),
    ...(contactPhone
      ? { phoneSealed: await deps.personalData.seal(contactPhone), phoneMasked: maskPhone(contactPhone) }
      : { ...(profile.phoneSealed ? { phoneSealed: profile.phoneSealed } : {}), ...(profile.phoneMasked ? { phoneMasked: profile.phoneMasked } : {}) }),
  };

  const actor: CaseActor = delegation.submittedBy
    ? { sub: delegation.applicant, role: 'delegate', delegate: delegation.submittedBy, ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}) }
    : caseActorOf(principal, input.sourceIp);
  const owners = [principal.sub, ...(principal.actor ? [principal.actor.sub] : [])];
  const change = await openCase(deps, facts.region, async (caseNo, now) => {
    const materials = await claimMaterials(deps, { caseNo, owners, materials: input.materials, attached: [], fieldOf: (index) => `materials.${index}.blobId` });
    const draft: CaseRecord = {
      ...caseBasics(deps.calendar, facts, caseNo, now),
      applicant,
      ...(delegation.submittedBy ? { submittedBy: delegation.submittedBy } : {}),
      ...(delegation.delegationId ? { delegationId: delegation.delegationId } : {}),
      form: input.form,
      materials,
      delivery: input.delivery,
      channel: input.channel,
      timeline: [],
      submittedAt: now.toISOString(),
    };
    const entry = { at: now.toISOString(), state: draft.state, action: 'submit', actor: actor.role };
    return { change: withEvents(deps.context, draft, { ...draft, version: 1, timeline: [entry] }, entry, actor) };
  });
  if (change.event) await deps.publish(change.event, applicant);
  return { caseNo: change.next.caseNo, state: change.next.state, dueDate: chinaDate(new Date(change.next.clock.dueAt)) };
}

/** whose case it is, and the delegate and delegation when someone applies for another */
async function applicantFor(
  deps: Pick<SubmitCaseDependencies, 'delegations'>,
  input: SubmitCaseInput,
): Promise<{ applicant: string; submittedBy?: string; delegationId?: string }> {
  const { principal } = input;
  if (principal.subjectType === 'staff') throw forbidden('Staff apply through the applicant, not for themselves', 'staff_cannot_apply');
  const delegate = principal.actor?.sub ?? (input.onBehalfOf !== undefined ? principal.sub : undefined);
  const applicant = principal.actor ? principal.sub : (input.onBehalfOf ?? principal.sub);
  if (principal.actor && input.onBehalfOf !== undefined && input.onBehalfOf !== principal.sub) {
    throw forbidden('A delegated token applies for its own principal only', 'delegation_required');
  }
  if (delegate === undefined || delegate === applicant) return { applicant };
  const active = await deps.delegations.isActive({ principal: applicant, delegate, itemCode: input.itemCode, scope: 'cases:submit' });
  if (!active) throw forbidden('No accepted delegation lets you apply for this principal and item', 'delegation_required');
  return { applicant, submittedBy: delegate, delegationId: active.delegationId };
}
