import type { Principal } from '../auth/principal.js';
import { conflict } from '../errors.js';
import { planTransition } from '../workflow/workflow-engine.js';
import type { WorkflowRole } from '../workflow/workflow-definition.js';
import { COMPLAINT_REOPENS, INTERACTION_FLOWS, MAX_STAFF_REPLIES } from './interaction-flows.js';
import type { InteractionRecord, InteractionReply } from './interaction-repository.js';
import { isStaffOf, requireResponsibleStaff, tellSubmitter, visibleInteraction, type InteractionDependencies } from './interaction-services.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/**
 * Moves an interaction along its kind's flow (the case workflow engine decides).
 * 1. the caller sees it (submitter or responsible staff, else 404) and acts in that role;
 * 2. a reopen must come within the confirmation window and only COMPLAINT_REOPENS times;
 * 3. the engine checks the action, role, state and the comment or reason it needs;
 * 4. the new state sets the clock: a state where the agency acts keeps the reply deadline (a
 *    reopen starts a new one), a state awaiting confirmation gets its window;
 * 5. store on top of the version read (409 when someone acted meanwhile), tell the submitter,
 *    and keep an answered consult of an item in the knowledge base.
 */
export async function actOnInteraction(
  deps: InteractionDependencies,
  input: { principal: Principal; id: string; action: string; comment?: string },
): Promise<InteractionRecord> {
  const record = await visibleInteraction(deps, input.id, input.principal);
  const role: WorkflowRole = isStaffOf(input.principal, record.agency) && record.submitter !== input.principal.sub ? 'staff' : 'applicant';
  return transition(deps, record, role, input.action, input.comment);
}

/**
 * A reply of the responsible agency: it answers a consult waiting for one (the consult's flow
 * moves to answered); on complaints and suggestions it is added to the conversation.
 */
export async function replyToInteraction(deps: InteractionDependencies, input: { principal: Principal; id: string; content: string }): Promise<InteractionRecord> {
  const record = await visibleInteraction(deps, input.id, input.principal);
  requireResponsibleStaff(input.principal, record);
  if (record.kind === 'consult' && record.state === 'submitted') return transition(deps, record, 'staff', 'answer', input.content);
  if (record.replies.filter((reply) => reply.action === undefined).length >= MAX_STAFF_REPLIES) throw conflict(`An interaction takes at most ${MAX_STAFF_REPLIES} replies`, 'too_many_replies');
  const now = deps.clock.now().toISOString();
  const replied: InteractionRecord = { ...record, version: record.version + 1, replies: [...record.replies, { by: 'staff', content: input.content, at: now }] };
  await save(deps, replied, record.version);
  await tellSubmitter(deps, { ...replied, stateEnteredAt: now }, '收到新的答复');
  return replied;
}

/** the platform's own action on an interaction (closing a complaint nobody confirmed in time) */
export function actAsSystem(deps: InteractionDependencies, record: InteractionRecord, action: string): Promise<InteractionRecord> {
  return transition(deps, record, 'system', action, undefined);
}

async function transition(deps: InteractionDependencies, record: InteractionRecord, role: WorkflowRole, action: string, comment: string | undefined): Promise<InteractionRecord> {
  const now = deps.clock.now();
  if (action === 'reopen') {
    if (record.reopens >= COMPLAINT_REOPENS) throw conflict('A complaint may be reopened once', 'reopened_already');
    if (record.confirmBy && now.toISOString() > record.confirmBy) throw conflict('The time to reopen has passed', 'reopen_window_closed');
  }
  const plan = planTransition(INTERACTION_FLOWS[record.kind], record, { action, role, provided: comment ? ['comment', 'reason'] : [] });
  const at = now.toISOString();
  const reopened = action === 'reopen';
  const dueAt = plan.entered.waitingFor !== 'agency' ? undefined : reopened ? deps.calendar.deadline(now, deps.deadlines[record.kind]).toISOString() : record.dueAt;
  const confirmBy = plan.entered.timeout ? deps.calendar.deadline(now, plan.entered.timeout.workingDays).toISOString() : undefined;
  const reply: InteractionReply | undefined = comment ? { by: role === 'staff' ? 'staff' : 'submitter', action, content: comment, at } : undefined;
  const { dueAt: _due, confirmBy: _confirm, watchAt: _watch, ...rest } = record;
  const next: InteractionRecord = {
    ...rest,
    state: plan.to,
    version: plan.version,
    stateEnteredAt: at,
    reopens: record.reopens + (reopened ? 1 : 0),
    replies: reply ? [...record.replies, reply] : record.replies,
    ...(dueAt ? { dueAt, watchAt: dueAt } : {}),
    ...(confirmBy ? { confirmBy, watchAt: confirmBy } : {}),
  };
  await save(deps, next, record.version);
  await tellSubmitter(deps, next, `${plan.entered.label}：${plan.action === 'answer' ? '您的咨询已答复' : INTERACTION_FLOWS[record.kind].actions[plan.action]!.label}`);
  if (record.kind === 'consult' && plan.to === 'answered' && record.itemCode && comment) {
    await deps.interactions.addAnswered({ id: record.id, itemCode: record.itemCode, question: `${record.title}\n${record.content}`, answer: comment, answeredAt: at });
  }
  return next;
}

async function save(deps: InteractionDependencies, record: InteractionRecord, previousVersion: number): Promise<void> {
  const written = await writtenIfCondition(deps.interactions.save(record, previousVersion));
  if (!written) throw conflict('Someone acted on it meanwhile; reload it', 'stale_version');
}
