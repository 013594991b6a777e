import { ulid } from 'ulid';
import type { Principal } from '../auth/principal.js';
import { forbidden, invalidField } from '../errors.js';
import { INTERACTION_FLOWS, type InteractionKind } from './interaction-flows.js';
import type { InteractionRecord } from './interaction-repository.js';
import { tellSubmitter, type InteractionDependencies } from './interaction-services.js';

export interface SubmitInteractionInput {
  readonly principal: Principal;
  readonly kind: InteractionKind;
  readonly title: string;
  readonly content: string;
  readonly itemCode?: string;
  readonly caseNo?: string;
  readonly agency?: string;
  readonly region?: string;
  readonly attachments?: readonly string[];
  readonly anonymous?: boolean;
}

/**
 * Submits a consult, complaint or suggestion (GB/T 39047 6.1.8).
 * 1. only suggestions may be anonymous (to the agency: the platform still knows the submitter);
 * 2. route it: a case goes to the agency handling it (the caller's own case only), an item to
 *    the agency implementing it in the region (given, else the caller's), else the chosen agency;
 * 3. start its kind's flow with the kind's reply deadline in working days;
 * 4. store it and tell the submitter in the inbox.
 */
export async function submitInteraction(deps: InteractionDependencies, input: SubmitInteractionInput): Promise<InteractionRecord> {
  if (input.anonymous && input.kind !== 'suggestion') throw invalidField('anonymous', 'only suggestions may be anonymous');
  const routed = await route(deps, input);
  const now = deps.clock.now();
  const at = now.toISOString();
  const dueAt = deps.calendar.deadline(now, deps.deadlines[input.kind]).toISOString();
  const record: InteractionRecord = {
    id: ulid(now.getTime()),
    kind: input.kind,
    state: INTERACTION_FLOWS[input.kind].initial,
    version: 1,
    submitter: input.principal.sub,
    anonymous: input.anonymous === true,
    ...routed,
    title: input.title,
    content: input.content,
    attachments: input.attachments ?? [],
    submittedAt: at,
    stateEnteredAt: at,
    dueAt,
    watchAt: dueAt,
    reopens: 0,
    replies: [],
  };
  await deps.interactions.save(record);
  await tellSubmitter(deps, record, `${kindLabel[input.kind]}已提交`);
  return record;
}

const kindLabel: Record<InteractionKind, string> = { consult: '咨询', complaint: '投诉', suggestion: '建议' };

async function route(deps: InteractionDependencies, input: SubmitInteractionInput): Promise<Pick<InteractionRecord, 'agency' | 'routedBy' | 'itemCode' | 'caseNo' | 'region'>> {
  if (input.caseNo) {
    const found = await deps.cases.get(input.caseNo);
    if (!found || found.applicant.accountId !== input.principal.sub) throw forbidden('You may refer only to your own cases', 'not_your_case');
    return { agency: found.agency.uscc, routedBy: 'case', caseNo: found.caseNo, itemCode: found.itemCode, region: found.region };
  }
  if (input.itemCode) {
    const region = input.region ?? input.principal.region;
    if (!region) throw invalidField('region', 'is required to find the agency of the item');
    const implementation = await deps.implementations.forItemInRegion(input.itemCode, region);
    if (!implementation) throw invalidField('itemCode', `no agency implements ${input.itemCode} in ${region}`);
    return { agency: implementation.agency.uscc, routedBy: 'item', itemCode: input.itemCode, region: implementation.region };
  }
  if (input.agency) return { agency: input.agency, routedBy: 'agency', ...(input.region ? { region: input.region } : {}) };
  throw invalidField('agency', 'give an itemCode, a caseNo or an agency');
}
