import { maskIdNumber } from '../codes/masking.js';
import { AppError, forbidden, notFound } from '../errors.js';
import type { ImplementationLookup } from '../ports/implementation-lookup.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import { TransactionConflictError } from '../tables/transactions.js';
import { caseAuditEvent, transitionCase, withEvents, type CaseChange } from './case-changes.js';
import type { CaseExchangeMessage, CaseForwarded, CaseUpdated } from './case-exchange-messages.js';
import type { CaseActor, CaseRecord, TimelineEntry } from './case-model.js';
import type { CasePublish, CaseStore } from './case-services.js';
import { workflowById } from './case-workflows.js';
import { caseBasics, openCase } from './open-case.js';

export interface ReceiveCaseDependencies extends CaseStore {
  readonly implementations: ImplementationLookup;
  readonly personalData: Pick<PersonalDataProtector, 'seal'>;
  readonly queues: QueuePublisher;
  readonly publish: CasePublish;
}

export type ReceiveOutcome = 'created' | 'applied' | 'recorded' | 'duplicate' | 'refused';

/**
 * A message of another platform on the case-exchange queue (GB/T 39047 6.2.3), idempotently.
 * 1. the sender must be a partner (it has an outbound queue here) and the message addressed to us;
 * 2. a forwarded case becomes a case here, handled by the agency implementing the item (refused
 *    with a `reject` update when none does); a forward seen before is a duplicate;
 * 3. an update is matched to its case by the origin's case number; a sequence number seen before
 *    is a duplicate; one below the newest applied only adds its timeline entry (out of order);
 *    a newer one moves the case: to the partner's state when the partner handles it, through the
 *    workflow (as the applicant's action) when we handle it for the partner;
 * 4. each change is written with its audit and change events, then the applicant is told.
 */
export async function receiveCaseMessage(deps: ReceiveCaseDependencies, message: CaseExchangeMessage): Promise<ReceiveOutcome> {
  if (!deps.context.partners(message.source)) throw forbidden(`${message.source} is not a platform cases are exchanged with`, 'unknown_partner');
  if (message.target !== deps.context.platformId) throw forbidden(`the message is for ${message.target}, not for us`, 'wrong_target');
  return message.kind === 'case-forwarded' ? receiveForwarded(deps, message) : receiveUpdate(deps, message);
}

async function receiveForwarded(deps: ReceiveCaseDependencies, message: CaseForwarded): Promise<ReceiveOutcome> {
  if (await deps.cases.findByOrigin(message.source, message.originCaseNo)) return 'duplicate';
  const facts = await deps.implementations.forItemInRegion(message.case.itemCode, message.case.region);
  if (!facts) {
    await refuse(deps, message, `${message.case.itemCode} is not offered in region ${message.case.region} on this platform`);
    return 'refused';
  }
  const { applicant } = message.case;
  const system: CaseActor = { sub: 'system', role: 'system' };
  const history: TimelineEntry[] = message.case.timeline.map(({ at, state, action, comment }) => ({ at, state, action, actor: `platform:${message.source}`, ...(comment ? { comment } : {}) }));
  const sealedId = applicant.idNumber ? { idMasked: maskIdNumber(applicant.idNumber), idSealed: await deps.personalData.seal(applicant.idNumber) } : {};
  let change: CaseChange;
  try {
    change = await openCase(deps, facts.region, async (caseNo, now) => {
      const draft: CaseRecord = {
        ...caseBasics(deps.calendar, facts, caseNo, now),
        applicant: { subjectType: applicant.subjectType, name: applicant.name, ...(applicant.idType ? { idType: applicant.idType } : {}), ...sealedId },
        form: message.case.form,
        materials: message.case.materials.map((material, index) => ({ materialId: `${message.originCaseNo}-${index + 1}`, ...material, status: 'referenced', addedAt: now.toISOString() })),
        delivery: message.case.delivery,
        timeline: history,
        exchange: { partner: message.source, role: 'handler', originCaseNo: message.originCaseNo, sentSeq: 0, receivedSeq: message.seq, receivedSeqs: [message.seq] },
        submittedAt: message.case.submittedAt,
        channel: 'partner',
      };
      const entry: TimelineEntry = { at: now.toISOString(), state: draft.state, action: 'receive', actor: system.role, comment: `received from ${message.source}` };
      return {
        change: withEvents(deps.context, draft, { ...draft, version: 1, timeline: [...history, entry] }, entry, system),
        alsoWrite: [deps.cases.originPointer(message.source, message.originCaseNo, caseNo)],
      };
    });
  } catch (error) {
    // the pointer exists: a copy of this forward was taken meanwhile
    if (error instanceof TransactionConflictError && !error.failed.includes(0)) return 'duplicate';
    throw error;
  }
  if (change.event) await deps.publish(change.event, change.next.applicant);
  return 'created';
}

async function receiveUpdate(deps: ReceiveCaseDependencies, message: CaseUpdated): Promise<ReceiveOutcome> {
  const mirrored = await deps.cases.findByOrigin(message.source, message.originCaseNo);
  const record = await deps.cases.get(mirrored ?? message.originCaseNo);
  if (!record?.exchange || record.exchange.partner !== message.source) {
    throw notFound(`No case ${message.originCaseNo} exchanged with ${message.source} (yet)`, 'case_not_found');
  }
  const exchange = record.exchange;
  if (exchange.receivedSeqs.includes(message.seq)) return 'duplicate';
  const { update } = message;
  const actor: CaseActor = { sub: `platform:${message.source}`, role: `platform:${message.source}` };
  const entry: TimelineEntry = { at: update.at, state: update.state, action: update.action, actor: actor.role, seq: message.seq, ...(update.comment || update.reason ? { comment: update.comment ?? update.reason } : {}) };
  const received = { ...exchange, receivedSeq: Math.max(exchange.receivedSeq, message.seq), receivedSeqs: [...exchange.receivedSeqs, message.seq].sort((a, b) => a - b) };
  const now = deps.clock.now();

  let change: CaseChange;
  let outcome: ReceiveOutcome = 'applied';
  if (message.seq < exchange.receivedSeq) {
    outcome = 'recorded';
    change = recordOnly(record, entry, received, actor, now);
  } else if (exchange.role === 'origin') {
    change = withEvents(deps.context, record, mirrorUpdate(record, message, entry, received, now), entry, actor, update.reason);
  } else {
    try {
      const planned = transitionCase(deps.context, record, { action: update.action, role: 'applicant', actor, ...(update.comment ? { comment: update.comment } : {}) }, new Date(update.at));
      change = { ...planned, next: { ...planned.next, exchange: received, lastActionAt: now.toISOString() } };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome = 'recorded';
      change = recordOnly(record, entry, received, actor, now);
    }
  }
  await deps.cases.save(change.next, record, { audit: change.audit, ...(change.event ? { event: change.event } : {}) });
  if (change.event) await deps.publish(change.event, change.next.applicant);
  return outcome;
}

/** the partner handles the case: take its state, decision, result and express information as ours */
function mirrorUpdate(record: CaseRecord, message: CaseUpdated, entry: TimelineEntry, exchange: CaseRecord['exchange'], now: Date): CaseRecord {
  const { update } = message;
  const states = workflowById(record.workflowId).states;
  const entering = states[update.state]!;
  const leaving = states[record.state];
  const { previousState: _previous, ...rest } = record;
  const previousState = entering.clockPaused ? (leaving?.clockPaused ? record.previousState : record.state) : undefined;
  return {
    ...rest,
    state: update.state,
    ...(previousState ? { previousState } : {}),
    version: record.version + 1,
    timeline: [...record.timeline, entry],
    ...(entering.decision && update.state !== record.state ? { decision: { outcome: entering.decision, ...(update.reason ? { reason: update.reason } : {}), at: update.at } } : {}),
    ...(update.result ? { result: update.result } : {}),
    ...(update.express ? { express: { ...update.express, updatedAt: now.toISOString() } } : {}),
    ...(exchange ? { exchange } : {}),
    stateEnteredAt: update.state === record.state ? record.stateEnteredAt : update.at,
    lastActionAt: now.toISOString(),
  };
}

/** older news: the entry joins the timeline, the case stays as the newer update left it; nobody is told again */
function recordOnly(record: CaseRecord, entry: TimelineEntry, exchange: CaseRecord['exchange'], actor: CaseActor, now: Date): CaseChange {
  const next: CaseRecord = { ...record, version: record.version + 1, timeline: [...record.timeline, entry], ...(exchange ? { exchange } : {}), lastActionAt: now.toISOString() };
  return { next, audit: caseAuditEvent(record, next, `record-${entry.action}`, actor, now.toISOString()) };
}

/** tells the sender we do not handle the item: a `reject` update with the reason, as the first message about its case */
async function refuse(deps: ReceiveCaseDependencies, message: CaseForwarded, reason: string): Promise<void> {
  const queue = deps.context.partners(message.source)!;
  const at = deps.clock.now().toISOString();
  const refusal: CaseUpdated = {
    schema: 'case-exchange/1',
    kind: 'case-updated',
    messageId: `${deps.context.platformId}:refusal:${message.originCaseNo}`,
    source: deps.context.platformId,
    target: message.source,
    originCaseNo: message.originCaseNo,
    seq: 1,
    sentAt: at,
    update: { at, action: 'reject', state: 'rejected', actor: 'system', reason },
  };
  await deps.queues.send(queue, [{ body: refusal }]);
}
