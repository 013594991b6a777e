import type { ItemKind } from '../catalog/catalog-model.js';
import { RETURN_TO_PREVIOUS, STAY, type WorkflowDefinition } from '../workflow/workflow-definition.js';

/** working days an applicant may evaluate a delivered case before it closes by itself */
export const EVALUATION_WINDOW_WORKING_DAYS = 10;

/**
 * The flow of an application (GB/T 39047 6.1.6, 6.2.3): submitted → accepted (受理) or rejected
 * (不予受理); correction (补正) from submitted, accepted or in review, with the clock stopped, back
 * to where it came from once the applicant supplements; accepted → in review → approved (准予)
 * or denied (不予); either delivered (送达: certificate or document, by express or pickup), then
 * closed (by staff, or by the platform when the evaluation window ends). A transfer hands the case
 * to another agency or platform without changing its state.
 */
export const STANDARD_CASE_WORKFLOW: WorkflowDefinition = {
  id: 'standard-v1',
  initial: 'submitted',
  states: {
    submitted: { label: '已提交', slaWorkingDays: 2, waitingFor: 'agency' },
    accepted: { label: '已受理', slaWorkingDays: 1, waitingFor: 'agency' },
    'in-review': { label: '审查中', waitingFor: 'agency' },
    'correction-requested': { label: '待补正', clockPaused: true, waitingFor: 'applicant' },
    rejected: { label: '不予受理', terminal: true, waitingFor: 'nobody', decision: 'rejected' },
    approved: { label: '准予办理', slaWorkingDays: 2, waitingFor: 'agency', decision: 'approved' },
    denied: { label: '不予办理', slaWorkingDays: 2, waitingFor: 'agency', decision: 'denied' },
    delivered: { label: '已送达', waitingFor: 'nobody', timeout: { workingDays: EVALUATION_WINDOW_WORKING_DAYS, action: 'close' } },
    closed: { label: '已办结', terminal: true, waitingFor: 'nobody' },
  },
  actions: {
    accept: { label: '受理', from: ['submitted'], to: 'accepted', roles: ['staff'] },
    reject: { label: '不予受理', from: ['submitted'], to: 'rejected', roles: ['staff'], requires: ['reason'] },
    'request-correction': { label: '要求补正', from: ['submitted', 'accepted', 'in-review'], to: 'correction-requested', roles: ['staff'], requires: ['comment'] },
    supplement: { label: '补正材料', from: ['correction-requested'], to: RETURN_TO_PREVIOUS, roles: ['applicant'] },
    handle: { label: '审查', from: ['accepted'], to: 'in-review', roles: ['staff'] },
    approve: { label: '准予', from: ['in-review'], to: 'approved', roles: ['staff'] },
    deny: { label: '不予', from: ['in-review'], to: 'denied', roles: ['staff'], requires: ['reason'] },
    deliver: { label: '送达', from: ['approved', 'denied'], to: 'delivered', roles: ['staff'], requires: ['result'] },
    close: { label: '办结', from: ['delivered'], to: 'closed', roles: ['staff', 'system'] },
    transfer: { label: '转办', from: ['submitted', 'accepted', 'in-review'], to: STAY, roles: ['staff'], requires: ['target'] },
  },
};

/**
 * The workflow of each kind of item. Every kind follows the standard flow today; a kind that
 * needs its own (e.g. 行政裁决 with a hearing) gets a definition here and nothing else changes.
 */
export const WORKFLOW_BY_ITEM_KIND: Readonly<Record<ItemKind, WorkflowDefinition>> = {
  行政许可: STANDARD_CASE_WORKFLOW,
  行政确认: STANDARD_CASE_WORKFLOW,
  行政给付: STANDARD_CASE_WORKFLOW,
  行政征收: STANDARD_CASE_WORKFLOW,
  行政裁决: STANDARD_CASE_WORKFLOW,
  行政奖励: STANDARD_CASE_WORKFLOW,
  行政检查: STANDARD_CASE_WORKFLOW,
  其他行政权力: STANDARD_CASE_WORKFLOW,
  公共服务: STANDARD_CASE_WORKFLOW,
};

/** every definition in use, by id; test/unit/workflow-engine.test.ts checks each is sound (definitionProblems) */
export const CASE_WORKFLOWS: ReadonlyMap<string, WorkflowDefinition> = new Map(Object.values(WORKFLOW_BY_ITEM_KIND).map((definition) => [definition.id, definition]));

export function workflowForItemKind(kind: string): WorkflowDefinition {
  return WORKFLOW_BY_ITEM_KIND[kind as ItemKind] ?? STANDARD_CASE_WORKFLOW;
}

/** the definition a case was started with (cases keep their flow when a newer one is introduced) */
export function workflowById(id: string): WorkflowDefinition {
  const definition = CASE_WORKFLOWS.get(id);
  if (!definition) throw new Error(`no workflow ${id}`);
  return definition;
}
