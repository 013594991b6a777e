/**
 * What the staff workbench reads and writes, all through the public API: the shapes of the
 * answers it uses, and the flows (shared with the platform, so the buttons offered are the
 * actions the workflow engine will accept).
 */
import { STANDARD_CASE_WORKFLOW } from '../../../../shared/cases/case-workflows.js';
import { INTERACTION_FLOWS, type InteractionKind } from '../../../../shared/interactions/interaction-flows.js';
import type { AlertKind } from '../../../../shared/cases/supervision-rules.js';
import type { ActionRequirement, ActionSpec } from '../../../../shared/workflow/workflow-definition.js';

export interface CaseSummary {
  caseNo: string;
  itemCode: string;
  itemName: string;
  agency: { uscc: string; name: string };
  applicantName: string;
  state: string;
  stateLabel: string;
  version: number;
  submittedAt: string;
  dueDate: string;
  dueAt: string;
  remainingWorkingDays: number;
}

export interface CaseList {
  cases: CaseSummary[];
  nextCursor?: string;
}

export interface CaseResult {
  kind: 'certificate' | 'document';
  title: string;
  number?: string;
}

export interface CaseDetail extends Omit<CaseSummary, 'applicantName'> {
  region: string;
  applicant: { name: string; subjectType: string; idNumber?: string; phone?: string };
  submittedByDelegate: boolean;
  clockPaused: boolean;
  timeline: { at: string; state: string; action: string; actor: string; comment?: string }[];
  materials: { materialId: string; name: string; contentType: string; size: number; sha256: string; status: 'received' | 'referenced'; addedAt: string }[];
  form: Record<string, unknown>;
  delivery: { method: 'pickup' | 'express'; address?: string };
  decision?: { outcome: 'approved' | 'denied' | 'rejected'; reason?: string; at: string };
  result?: CaseResult;
  express?: { carrier: string; trackingNo: string; events: { at: string; description: string; location?: string }[]; updatedAt: string };
  exchange?: { partner: string; role: 'origin' | 'handler'; originCaseNo: string };
}

export interface Interaction {
  id: string;
  kind: InteractionKind;
  state: string;
  stateLabel: string;
  agency: string;
  routedBy: 'item' | 'case' | 'agency';
  itemCode?: string;
  caseNo?: string;
  title: string;
  content: string;
  attachments: string[];
  anonymous: boolean;
  submittedAt: string;
  dueAt?: string;
  replies: { by: 'staff' | 'submitter' | 'system'; action?: string; content: string; at: string }[];
}

export interface SupervisionAlert {
  alertId: string;
  kind: AlertKind;
  agency: string;
  caseNo?: string;
  itemCode: string;
  region: string;
  detail: string;
  raisedAt: string;
}

export interface FlowAction {
  name: string;
  label: string;
  requires: readonly ActionRequirement[];
}

function staffActionsOf(actions: Readonly<Record<string, ActionSpec>>, state: string): FlowAction[] {
  return Object.entries(actions)
    .filter(([, spec]) => spec.roles.includes('staff') && spec.from.includes(state))
    .map(([name, spec]) => ({ name, label: spec.label, requires: spec.requires ?? [] }));
}

/** The staff actions the case workflow allows in a state, in the workflow's order. */
export function caseActionsIn(state: string): FlowAction[] {
  return staffActionsOf(STANDARD_CASE_WORKFLOW.actions, state);
}

/** The states a case can be in that still need the agency, for the queue's filter. */
export const OPEN_CASE_STATES: readonly { value: string; label: string }[] = Object.entries(STANDARD_CASE_WORKFLOW.states)
  .filter(([, spec]) => !spec.terminal)
  .map(([value, spec]) => ({ value, label: spec.label }));

/** Whether express information can be recorded: the case is decided (or delivered) and goes by express. */
export function expressAllowed(detail: CaseDetail): boolean {
  const state = STANDARD_CASE_WORKFLOW.states[detail.state];
  return detail.delivery.method === 'express' && (state?.decision === 'approved' || state?.decision === 'denied' || detail.state === 'delivered');
}

/** Staff actions on an interaction besides the reply (a reply answers a waiting consult by itself). */
export function interactionActionsIn(kind: InteractionKind, state: string): FlowAction[] {
  return staffActionsOf(INTERACTION_FLOWS[kind].actions, state).filter((action) => action.name !== 'answer');
}

/** Whether the agency still owes the interaction something (its reply deadline runs). */
export function interactionWaitsForAgency(item: Pick<Interaction, 'kind' | 'state'>): boolean {
  return INTERACTION_FLOWS[item.kind].states[item.state]?.waitingFor === 'agency';
}

/** Whether the interaction is in a final state (no reply or action any more). */
export function interactionClosed(item: Pick<Interaction, 'kind' | 'state'>): boolean {
  return INTERACTION_FLOWS[item.kind].states[item.state]?.terminal === true;
}


export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  'due-soon': '即将到期',
  overdue: '办件超期',
  'state-overdue': '环节超时',
  stuck: '办件停滞',
  inconsistent: '数据不一致',
  'incomplete-item': '事项要素不全',
  'rectification-overdue': '整改超期',
  'interaction-overdue': '咨询投诉超期',
};

/** How the deadline of a case reads in the queue: overdue, due today, or working days left. */
export function deadlineStatus(remainingWorkingDays: number): { overdue: boolean; dueSoon: boolean; text: string } {
  if (remainingWorkingDays < 0) return { overdue: true, dueSoon: false, text: `已超期 ${-remainingWorkingDays} 个工作日` };
  if (remainingWorkingDays === 0) return { overdue: false, dueSoon: true, text: '今日到期' };
  return { overdue: false, dueSoon: remainingWorkingDays <= 1, text: `剩余 ${remainingWorkingDays} 个工作日` };
}
