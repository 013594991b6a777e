import type { Principal } from '../auth/principal.js';
import { conflict, invalidField } from '../errors.js';
import type { ImplementationLookup } from '../ports/implementation-lookup.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import { caseActorOf, handledCase } from './case-access.js';
import { transitionCase, type CaseChange } from './case-changes.js';
import type { CaseForwarded } from './case-exchange-messages.js';
import type { CaseRecord, CaseResult } from './case-model.js';
import type { CasePublish, CaseStore } from './case-services.js';
import { caseView, type CaseView } from './case-view.js';

/** where a transfer sends a case: the agency implementing the item in another region, or another platform */
export type TransferTarget = { readonly region: string } | { readonly platform: string };

export interface ActOnCaseInput {
  readonly principal: Principal;
  readonly sourceIp?: string;
  readonly caseNo: string;
  readonly action: string;
  readonly comment?: string;
  readonly reason?: string;
  readonly result?: CaseResult;
  readonly target?: TransferTarget;
  readonly expectedVersion?: number;
}

export interface ActOnCaseDependencies extends CaseStore {
  readonly implementations: ImplementationLookup;
  readonly personalData: Pick<PersonalDataProtector, 'open'>;
  readonly publish: CasePublish;
}

/**
 * POST /v1/cases/{caseNo}/actions: staff of the handling agency move a case (GB/T 39047 6.1.6, 6.2.3).
 * 1. the case must be handled by the caller's agency (else 404) and not by another platform
 *    (409 handled_elsewhere);
 * 2. the workflow engine decides the transition: action allowed for staff, legal in the current
 *    state (409 illegal_transition), `expectedVersion` current (409 stale_version), required
 *    reason, comment, result or target present (422);
 * 3. a delivery by express needs the express information first (409 express_required);
 * 4. a transfer to a region hands the case to the agency implementing the item there; a transfer
 *    to a platform forwards it in the exchange envelope on that platform's queue;
 * 5. written conditionally on the state and version read (a concurrent action: 409
 *    concurrent_change), with its audit and change events; then published.
 */
export async function actOnCase(deps: ActOnCaseDependencies, input: ActOnCaseInput): Promise<CaseView> {
  const record = handledCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
  if (record.exchange?.role === 'origin') throw conflict(`The case is handled by platform ${record.exchange.partner}`, 'handled_elsewhere');
  if (input.action === 'deliver' && record.delivery.method === 'express' && !record.express) {
    throw conflict('Record the express information (PUT /v1/cases/{caseNo}/express) before delivering by express', 'express_required');
  }
  const at = deps.clock.now();
  const planned = transitionCase(
    deps.context,
    record,
    {
      action: input.action,
      role: 'staff',
      actor: caseActorOf(input.principal, input.sourceIp),
      hasTarget: input.target !== undefined,
      ...(input.expectedVersion === undefined ? {} : { expectedVersion: input.expectedVersion }),
      ...(input.comment ? { comment: input.comment } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.result ? { result: input.result } : {}),
    },
    at,
  );
  const change = input.action === 'transfer' && input.target ? await transfer(deps, record, planned, input.target) : planned;
  await deps.cases.save(change.next, record, { audit: change.audit, ...(change.event ? { event: change.event } : {}) });
  if (change.event) await deps.publish(change.event, change.next.applicant);
  return caseView(change.next, deps.calendar, at);
}

async function transfer(deps: ActOnCaseDependencies, record: CaseRecord, change: CaseChange, target: TransferTarget): Promise<CaseChange> {
  if ('region' in target) {
    const facts = await deps.implementations.forItemInRegion(record.itemCode, target.region);
    if (!facts) throw invalidField('target.region', `no agency implements ${record.itemCode} there`);
    if (facts.agency.uscc === record.agency.uscc) throw invalidField('target.region', 'is served by the agency handling the case already');
    const next = { ...change.next, agency: facts.agency, region: facts.region };
    return { next, audit: { ...change.audit, details: { toAgency: facts.agency.uscc } }, ...(change.event ? { event: { ...change.event, agency: facts.agency.uscc } } : {}) };
  }
  const queue = deps.context.partners(target.platform);
  if (!queue) throw invalidField('target.platform', 'is not a platform cases are exchanged with');
  if (record.exchange) throw conflict(`The case came from platform ${record.exchange.partner}; it cannot be forwarded again`, 'already_exchanged');
  const next: CaseRecord = {
    ...change.next,
    exchange: { partner: target.platform, role: 'origin', originCaseNo: record.caseNo, sentSeq: 1, receivedSeq: 0, receivedSeqs: [] },
  };
  const message = await forwardMessage(deps, next, target.platform);
  return { next, audit: { ...change.audit, details: { toPlatform: target.platform } }, ...(change.event ? { event: { ...change.event, outbound: { queue, message } } } : {}) };
}

/** the case in the exchange envelope, with the applicant's ID number and phone opened for the handling platform */
async function forwardMessage(deps: ActOnCaseDependencies, record: CaseRecord, partner: string): Promise<CaseForwarded> {
  const { applicant } = record;
  const subjectType = applicant.subjectType === 'legal' || applicant.subjectType === 'organization' ? applicant.subjectType : 'natural';
  return {
    schema: 'case-exchange/1',
    kind: 'case-forwarded',
    messageId: `${deps.context.platformId}:${record.caseNo}:1`,
    source: deps.context.platformId,
    target: partner,
    originCaseNo: record.caseNo,
    seq: 1,
    sentAt: record.lastActionAt,
    case: {
      itemCode: record.itemCode,
      itemName: record.itemName,
      region: record.region,
      applicant: {
        subjectType,
        name: applicant.name,
        ...(applicant.idType ? { idType: applicant.idType } : {}),
        ...(applicant.idSealed ? { idNumber: await deps.personalData.open(applicant.idSealed) } : {}),
        ...(applicant.phoneSealed ? { phone: await deps.personalData.open(applicant.phoneSealed) } : {}),
      },
      form: { ...record.form },
      materials: record.materials.map(({ name, contentType, size, sha256 }) => ({ name, contentType, size, sha256 })),
      delivery: { ...record.delivery },
      submittedAt: record.submittedAt,
      timeline: record.timeline.map(({ at, state, action, actor, comment }) => ({ at, state, action, actor, ...(comment ? { comment } : {}) })),
    },
  };
}
