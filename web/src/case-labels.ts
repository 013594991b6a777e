/** Names people read for case states and actions, from the workflow the platform runs (the API answers with names only in timelines). */
import { STANDARD_CASE_WORKFLOW } from '../../shared/cases/case-workflows.js';

/** A case state's label (the timeline carries only names). */
export function caseStateLabel(state: string): string {
  return STANDARD_CASE_WORKFLOW.states[state]?.label ?? state;
}

/** An action's label, including the steps outside the workflow's actions (submission, express record). */
export function caseActionLabel(action: string): string {
  return STANDARD_CASE_WORKFLOW.actions[action]?.label ?? CASE_EXTRA_ACTION_LABELS[action] ?? action;
}

const CASE_EXTRA_ACTION_LABELS: Record<string, string> = { submit: '提交申请', 'record-express': '登记快递' };
