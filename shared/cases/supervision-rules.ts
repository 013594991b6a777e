import type { WorkingCalendar } from '../workflow/working-calendar.js';
import type { CaseRecord } from './case-model.js';
import { workflowById } from './case-workflows.js';

/** The kinds of e-supervision alerts (GB/T 39047 6.2.5). */
export const ALERT_KINDS = ['due-soon', 'overdue', 'state-overdue', 'stuck', 'inconsistent', 'incomplete-item', 'rectification-overdue', 'interaction-overdue'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** how close to its deadline a case is "nearing due": from the start of this many working days before its last day */
export const DUE_SOON_WORKING_DAYS = 1;
/** a case where the agency must act and nobody acted for this many working days is stuck */
export const STUCK_WORKING_DAYS = 3;

/** A moment at which supervision must look at a case again, and why. */
export type CaseThreshold =
  | { readonly at: Date; readonly kind: Exclude<AlertKind, 'incomplete-item'>; readonly detail: string; readonly key?: string }
  | { readonly at: Date; readonly kind: 'timeout'; readonly action: string };

/**
 * Every threshold of a case in its current state, passed or not:
 * - nearing and past the overall deadline, while the agency has not decided and the clock runs;
 * - past the deadline of the current state (its SLA), one alert per state;
 * - no action for STUCK_WORKING_DAYS while the agency is to act;
 * - content that contradicts itself (checked now: its threshold is the last action);
 * - an open rectification past its deadline;
 * - the timeout action of the state (closing after the evaluation window).
 */
export function caseThresholds(record: CaseRecord, calendar: WorkingCalendar): CaseThreshold[] {
  const state = workflowById(record.workflowId).states[record.state];
  const thresholds: CaseThreshold[] = [];
  const after = (instant: string | Date) => new Date(new Date(instant).getTime() + 1);
  if (state && !state.clockPaused && record.exchange?.role !== 'origin') {
    if (state.waitingFor === 'agency' && !state.decision) {
      thresholds.push({ at: calendar.startBefore(new Date(record.clock.dueAt), DUE_SOON_WORKING_DAYS), kind: 'due-soon', detail: `due ${record.clock.dueAt}` });
      thresholds.push({ at: after(record.clock.dueAt), kind: 'overdue', detail: `was due ${record.clock.dueAt}` });
    }
    if (record.clock.stateDueAt) {
      thresholds.push({ at: after(record.clock.stateDueAt), kind: 'state-overdue', key: record.state, detail: `${record.state} was due ${record.clock.stateDueAt}` });
    }
    if (state.waitingFor === 'agency') {
      thresholds.push({ at: after(calendar.deadline(new Date(record.lastActionAt), STUCK_WORKING_DAYS)), kind: 'stuck', key: record.state, detail: `no action since ${record.lastActionAt}` });
    }
  }
  if (state?.timeout) thresholds.push({ at: after(calendar.deadline(new Date(record.stateEnteredAt), state.timeout.workingDays)), kind: 'timeout', action: state.timeout.action });
  const contradictions = inconsistencies(record);
  if (contradictions.length > 0) thresholds.push({ at: new Date(record.lastActionAt), kind: 'inconsistent', detail: contradictions.join('; ') });
  const rectification = record.evaluation?.rectification;
  if (rectification?.state === 'open') thresholds.push({ at: after(rectification.deadline), kind: 'rectification-overdue', detail: `rectification was due ${rectification.deadline}` });
  return thresholds;
}

/** the first threshold after `after` (the supervision pass), or undefined when nothing is left to watch */
export function nextWatchAt(record: CaseRecord, calendar: WorkingCalendar, after: Date | undefined): string | undefined {
  const upcoming = caseThresholds(record, calendar)
    .map((threshold) => threshold.at.getTime())
    .filter((at) => after === undefined || at > after.getTime());
  return upcoming.length === 0 ? undefined : new Date(Math.min(...upcoming)).toISOString();
}

/**
 * Content that contradicts itself, as sentences: a decision without an acceptance before it, a
 * delivery without a decision, a state the case's workflow does not know. The engine cannot
 * produce these; updates from other platforms and repairs of data can.
 */
export function inconsistencies(record: CaseRecord): string[] {
  const definition = workflowById(record.workflowId);
  const problems: string[] = [];
  const reached = new Set(record.timeline.map((entry) => entry.state));
  if (!definition.states[record.state]) problems.push(`unknown state ${record.state}`);
  const decided = ['approved', 'denied'].some((state) => reached.has(state));
  if (decided && !reached.has('accepted')) problems.push('a decision without an acceptance');
  if (reached.has('delivered') && !decided) problems.push('a delivery without a decision');
  return problems;
}
