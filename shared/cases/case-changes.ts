import { AppError } from '../errors.js';
import { planTransition } from '../workflow/workflow-engine.js';
import type { ActionRequirement, WorkflowRole } from '../workflow/workflow-definition.js';
import { advanceClock } from '../workflow/workflow-clock.js';
import type { WorkingCalendar } from '../workflow/working-calendar.js';
import { caseEventId, type CaseChangeEvent } from './case-events.js';
import type { CaseUpdated } from './case-exchange-messages.js';
import type { CaseActor, CaseRecord, CaseResult, TimelineEntry } from './case-model.js';
import type { CasePartners } from './case-partners.js';
import type { CaseAuditEvent } from './case-repository.js';
import { workflowById } from './case-workflows.js';

/** A change of a case ready to be written: the next record, its audit event and (for state changes) its change event. */
export interface CaseChange {
  readonly next: CaseRecord;
  readonly audit: CaseAuditEvent;
  readonly event?: CaseChangeEvent;
}

export interface TransitionRequest {
  readonly action: string;
  readonly role: WorkflowRole;
  readonly actor: CaseActor;
  readonly expectedVersion?: number;
  readonly comment?: string;
  readonly reason?: string;
  readonly result?: CaseResult;
  /** the request names a transfer target (checked by the caller) */
  readonly hasTarget?: boolean;
}

export interface ChangeContext {
  readonly calendar: WorkingCalendar;
  /** our id in exchange envelopes */
  readonly platformId: string;
  /** the outbound queue of each partner platform this function may write to */
  readonly partners: CasePartners;
}

/**
 * A workflow transition of a case, decided by the engine and applied to a copy of the record.
 * 1. plan it from the case's workflow definition (role, state, version, requirements);
 * 2. move the clock (pause, resume with the paused working days added, the new state's SLA);
 * 3. append the timeline entry; keep the decision (with its reason) and the result;
 * 4. remember the state a pause returns to, forget it on return;
 * 5. build the audit event and the change event, with the update for the partner platform when
 *    the case is exchanged with one.
 */
export function transitionCase(context: ChangeContext, record: CaseRecord, request: TransitionRequest, at: Date): CaseChange {
  const definition = workflowById(record.workflowId);
  const provided: ActionRequirement[] = [
    ...(request.comment ? (['comment'] as const) : []),
    ...(request.reason ? (['reason'] as const) : []),
    ...(request.result || record.result ? (['result'] as const) : []),
    ...(request.hasTarget ? (['target'] as const) : []),
  ];
  const plan = planTransition(
    definition,
    { state: record.state, version: record.version, ...(record.previousState ? { previousState: record.previousState } : {}) },
    { action: request.action, role: request.role, provided, ...(request.expectedVersion === undefined ? {} : { expectedVersion: request.expectedVersion }) },
  );
  const now = at.toISOString();
  const entry: TimelineEntry = {
    at: now,
    state: plan.to,
    action: plan.action,
    actor: request.actor.role,
    ...(request.comment || request.reason ? { comment: request.comment ?? request.reason } : {}),
  };
  const { previousState: _previous, ...rest } = record;
  const previousState = plan.previousState ?? (plan.returned ? undefined : record.previousState);
  const next: CaseRecord = {
    ...rest,
    state: plan.to,
    ...(previousState ? { previousState } : {}),
    version: plan.version,
    clock: advanceClock(context.calendar, record.clock, plan, at),
    timeline: [...record.timeline, entry],
    ...(plan.entered.decision && plan.from !== plan.to ? { decision: { outcome: plan.entered.decision, ...(request.reason ? { reason: request.reason } : {}), at: now } } : {}),
    ...(request.result ? { result: request.result } : {}),
    stateEnteredAt: plan.from === plan.to ? record.stateEnteredAt : now,
    lastActionAt: now,
  };
  return withEvents(context, record, next, entry, request.actor, request.reason);
}

/**
 * A change that is not a transition (a material added, express information, an evaluation): the
 * next version of the record and its audit event; a timeline entry when `timeline` names the action.
 */
export function amendCase(record: CaseRecord, patch: Partial<CaseRecord>, audit: { action: string; actor: CaseActor; at: Date; timeline?: boolean; comment?: string }): CaseChange {
  const now = audit.at.toISOString();
  const entry: TimelineEntry = { at: now, state: record.state, action: audit.action, actor: audit.actor.role, ...(audit.comment ? { comment: audit.comment } : {}) };
  const next: CaseRecord = {
    ...record,
    ...patch,
    version: record.version + 1,
    ...(audit.timeline ? { timeline: [...record.timeline, entry] } : {}),
  };
  return { next, audit: caseAuditEvent(record, next, audit.action, audit.actor, now) };
}

/** the audit and change events of a state change made here, with the update message for the partner platform */
export function withEvents(context: ChangeContext, record: CaseRecord, next: CaseRecord, entry: TimelineEntry, actor: CaseActor, reason?: string): CaseChange {
  const exchange = next.exchange;
  const fromPartner = exchange !== undefined && actor.role === `platform:${exchange.partner}`;
  const queue = exchange && !fromPartner ? context.partners(exchange.partner) : undefined;
  const seq = exchange && queue ? exchange.sentSeq + 1 : undefined;
  const withSeq: CaseRecord = exchange && seq !== undefined ? { ...next, exchange: { ...exchange, sentSeq: seq } } : next;
  const outbound =
    exchange && queue && seq !== undefined
      ? { queue, message: updateMessage(context.platformId, withSeq, entry, seq, reason) }
      : undefined;
  return {
    next: withSeq,
    audit: caseAuditEvent(record, withSeq, entry.action, actor, entry.at),
    event: changeEvent(withSeq, record.state, entry, outbound),
  };
}

function updateMessage(platformId: string, record: CaseRecord, entry: TimelineEntry, seq: number, reason: string | undefined): CaseUpdated {
  const exchange = record.exchange!;
  return {
    schema: 'case-exchange/1',
    kind: 'case-updated',
    messageId: `${platformId}:${record.caseNo}:${seq}`,
    source: platformId,
    target: exchange.partner,
    originCaseNo: exchange.originCaseNo,
    seq,
    sentAt: entry.at,
    ...(exchange.role === 'handler' ? { handlerCaseNo: record.caseNo } : {}),
    update: {
      at: entry.at,
      action: entry.action,
      state: entry.state,
      actor: entry.actor,
      ...(entry.comment && entry.comment !== reason ? { comment: entry.comment } : {}),
      ...(reason ? { reason } : {}),
      ...(record.result && entry.state === 'delivered' ? { result: record.result } : {}),
      ...(record.express && entry.state === 'delivered' ? { express: { carrier: record.express.carrier, trackingNo: record.express.trackingNo, events: [...record.express.events] } } : {}),
    },
  };
}

function changeEvent(next: CaseRecord, previousState: string, entry: TimelineEntry, outbound: CaseChangeEvent['outbound']): CaseChangeEvent {
  return {
    eventId: caseEventId(next.caseNo, next.version),
    caseNo: next.caseNo,
    version: next.version,
    itemCode: next.itemCode,
    itemName: next.itemName,
    agency: next.agency.uscc,
    state: next.state,
    stateLabel: workflowById(next.workflowId).states[next.state]?.label ?? next.state,
    ...(previousState !== next.state ? { previousState } : {}),
    action: entry.action,
    actor: entry.actor,
    at: entry.at,
    ...(entry.comment ? { comment: entry.comment } : {}),
    ...(next.applicant.accountId ? { recipient: next.applicant.accountId } : {}),
    region: next.region,
    applicantType: next.applicant.subjectType,
    ...(outbound ? { outbound } : {}),
  };
}

/** the audit event of a change from `record` to `next` */
export function caseAuditEvent(record: CaseRecord, next: CaseRecord, action: string, actor: CaseActor, at: string, details?: CaseAuditEvent['details']): CaseAuditEvent {
  return {
    action,
    actor: actor.sub,
    actorRole: actor.role,
    ...(actor.delegate ? { delegate: actor.delegate } : {}),
    at,
    ...(actor.sourceIp ? { sourceIp: actor.sourceIp } : {}),
    ...(record.version > 0 ? { fromState: record.state } : {}),
    toState: next.state,
    version: next.version,
    ...(details ? { details } : {}),
  };
}

/**
 * Runs a read-decide-write of a case again when another write won the race (409
 * concurrent_change), so a caller who sent no expected version is not refused for a change they
 * never saw; the decision is taken again on the fresh case, and may then refuse.
 */
export async function retryingRaces<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'concurrent_change') || attempt >= attempts) throw error;
    }
  }
}
