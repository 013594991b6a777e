import { chinaDate, type WorkingCalendar } from '../workflow/working-calendar.js';
import { remainingWorkingDays } from '../workflow/workflow-clock.js';
import type { CaseRecord, TimelineEntry } from './case-model.js';
import { workflowById } from './case-workflows.js';

/** A case as the applicant and the handling staff see it (GB/T 39047 6.1.7): personal data masked. */
export function caseView(record: CaseRecord, calendar: WorkingCalendar, now: Date) {
  const { applicantName: _name, ...summary } = caseSummary(record, calendar, now);
  return {
    ...summary,
    region: record.region,
    applicant: {
      name: record.applicant.name,
      subjectType: record.applicant.subjectType,
      ...(record.applicant.idMasked ? { idNumber: record.applicant.idMasked } : {}),
      ...(record.applicant.phoneMasked ? { phone: record.applicant.phoneMasked } : {}),
    },
    submittedByDelegate: record.submittedBy !== undefined,
    clockPaused: isPaused(record),
    timeline: [...record.timeline].sort(byTime).map(timelineView),
    materials: record.materials.map(({ materialId, name, contentType, size, sha256, status, addedAt }) => ({ materialId, name, contentType, size, sha256, status, addedAt })),
    form: record.form,
    delivery: record.delivery,
    ...(record.decision ? { decision: record.decision } : {}),
    ...(record.result ? { result: record.result } : {}),
    ...(record.express ? { express: record.express } : {}),
    ...(record.evaluation ? { evaluation: record.evaluation } : {}),
    ...(record.exchange ? { exchange: { partner: record.exchange.partner, role: record.exchange.role, originCaseNo: record.exchange.originCaseNo } } : {}),
  };
}

/** A line of a list of cases (the applicant's, an agency's queue): state, deadline and working days left (counted to the pause while the clock stands still). */
export function caseSummary(record: CaseRecord, calendar: WorkingCalendar, now: Date) {
  return {
    caseNo: record.caseNo,
    itemCode: record.itemCode,
    itemName: record.itemName,
    agency: record.agency,
    applicantName: record.applicant.name,
    state: record.state,
    stateLabel: workflowById(record.workflowId).states[record.state]?.label ?? record.state,
    version: record.version,
    submittedAt: record.submittedAt,
    dueDate: chinaDate(new Date(record.clock.dueAt)),
    dueAt: record.clock.dueAt,
    remainingWorkingDays: remainingWorkingDays(calendar, isPaused(record) && record.clock.pausedAt ? new Date(record.clock.pausedAt) : now, record.clock.dueAt),
  };
}

function isPaused(record: CaseRecord): boolean {
  return workflowById(record.workflowId).states[record.state]?.clockPaused === true;
}

/** timeline entries in the order they happened; entries of one moment keep their recorded order */
function byTime(a: TimelineEntry, b: TimelineEntry): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
}

function timelineView({ at, state, action, actor, comment }: TimelineEntry) {
  return { at, state, action, actor, ...(comment ? { comment } : {}) };
}

export type CaseView = ReturnType<typeof caseView>;
export type CaseSummary = ReturnType<typeof caseSummary>;
