import type { WorkflowDefinition } from '../workflow/workflow-definition.js';

/** The channels of GB/T 39047 6.1.8. */
export const INTERACTION_KINDS = ['consult', 'complaint', 'suggestion'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const INTERACTION_ACTIONS = ['answer', 'accept', 'investigate', 'resolve', 'reject', 'acknowledge', 'adopt', 'note', 'confirm', 'reopen'] as const;

/** working days the complainant has to confirm or reopen a resolved or rejected complaint; then it closes by itself */
export const COMPLAINT_CONFIRM_WORKING_DAYS = 5;
/** a complaint may be reopened this many times */
export const COMPLAINT_REOPENS = 1;
/** the most characters of a title, a content or a reply */
export const MAX_CONTENT_CHARS = 5000;
/** replies of the agency to one interaction: with the flow's comments they keep the record within DynamoDB's 400 KB item size */
export const MAX_STAFF_REPLIES = 16;

/**
 * One flow per kind, run by the case workflow engine. `waitingFor: 'agency'` marks the states in
 * which the reply deadline runs: an item still in one of them after its deadline is overdue.
 */
export const INTERACTION_FLOWS: Readonly<Record<InteractionKind, WorkflowDefinition>> = {
  consult: {
    id: 'consult/1',
    initial: 'submitted',
    states: {
      submitted: { label: '待答复', waitingFor: 'agency' },
      answered: { label: '已答复', waitingFor: 'nobody', terminal: true },
    },
    actions: { answer: { label: '答复', from: ['submitted'], to: 'answered', roles: ['staff'], requires: ['comment'] } },
  },
  complaint: {
    id: 'complaint/1',
    initial: 'submitted',
    states: {
      submitted: { label: '待受理', waitingFor: 'agency' },
      accepted: { label: '已受理', waitingFor: 'agency' },
      investigating: { label: '调查中', waitingFor: 'agency' },
      resolved: { label: '已办结', waitingFor: 'applicant', timeout: { workingDays: COMPLAINT_CONFIRM_WORKING_DAYS, action: 'confirm' } },
      rejected: { label: '不予受理', waitingFor: 'applicant', timeout: { workingDays: COMPLAINT_CONFIRM_WORKING_DAYS, action: 'confirm' } },
      closed: { label: '已确认', waitingFor: 'nobody', terminal: true },
    },
    actions: {
      accept: { label: '受理', from: ['submitted'], to: 'accepted', roles: ['staff'] },
      investigate: { label: '调查', from: ['accepted'], to: 'investigating', roles: ['staff'] },
      resolve: { label: '办结', from: ['accepted', 'investigating'], to: 'resolved', roles: ['staff'], requires: ['comment'] },
      reject: { label: '驳回', from: ['submitted', 'accepted', 'investigating'], to: 'rejected', roles: ['staff'], requires: ['reason'] },
      confirm: { label: '确认', from: ['resolved', 'rejected'], to: 'closed', roles: ['applicant', 'system'] },
      reopen: { label: '重新处理', from: ['resolved', 'rejected'], to: 'investigating', roles: ['applicant'], requires: ['comment'] },
    },
  },
  suggestion: {
    id: 'suggestion/1',
    initial: 'submitted',
    states: {
      submitted: { label: '待处理', waitingFor: 'agency' },
      acknowledged: { label: '已收到', waitingFor: 'agency' },
      adopted: { label: '已采纳', waitingFor: 'nobody', terminal: true },
      noted: { label: '已记录', waitingFor: 'nobody', terminal: true },
    },
    actions: {
      acknowledge: { label: '确认收到', from: ['submitted'], to: 'acknowledged', roles: ['staff'] },
      adopt: { label: '采纳', from: ['submitted', 'acknowledged'], to: 'adopted', roles: ['staff'], requires: ['comment'] },
      note: { label: '记录', from: ['submitted', 'acknowledged'], to: 'noted', roles: ['staff'], requires: ['comment'] },
    },
  },
};

/** Reply deadlines in working days per kind (INTERACTION_REPLY_DAYS, e.g. `consult=3,complaint=10,suggestion=15`). */
export type ReplyDeadlines = Readonly<Record<InteractionKind, number>>;

const DEFAULT_REPLY_DAYS: ReplyDeadlines = { consult: 3, complaint: 10, suggestion: 15 };

/** Reads the deadlines from the environment the caller passes (this module is also bundled into the web portal, which has no `process`). */
export function loadReplyDeadlines(env: Readonly<Record<string, string | undefined>>): ReplyDeadlines {
  const deadlines: Record<InteractionKind, number> = { ...DEFAULT_REPLY_DAYS };
  for (const pair of (env.INTERACTION_REPLY_DAYS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [kind, days] = pair.split('=');
    if (!INTERACTION_KINDS.includes(kind as InteractionKind) || !/^\d{1,3}$/.test(days ?? '')) {
      throw new Error(`configuration: INTERACTION_REPLY_DAYS holds ${pair}; write kind=days for consult, complaint, suggestion`);
    }
    deadlines[kind as InteractionKind] = Number(days);
  }
  return deadlines;
}
