import type { CaseRecord } from '../../shared/cases/case-model.js';

/** the case record of case `index`: submitted by applicant `index` (a legal person) on 2026-03-(index + 1), as the case repository stores it */
export function submittedCaseRecord(index: number, handling: { region: string; agency: string; itemCode?: string }): CaseRecord {
  const submittedAt = `2026-03-${String(index + 1).padStart(2, '0')}T02:00:00.000Z`;
  return {
    caseNo: `330106-202603-${index}`,
    itemCode: handling.itemCode ?? 'SC-XK-0001',
    itemName: '企业设立登记',
    itemKind: '行政许可',
    region: handling.region,
    agency: { uscc: handling.agency, name: '审批局' },
    applicant: { accountId: `applicant-${index}`, subjectType: 'legal', name: '企业' },
    form: {},
    materials: [],
    delivery: { method: 'pickup' },
    workflowId: 'standard-v1',
    state: 'submitted',
    version: 1,
    promisedDays: 1,
    clock: { dueAt: '2026-04-30T00:00:00.000Z' },
    timeline: [{ at: submittedAt, state: 'submitted', action: 'submit', actor: 'applicant' }],
    submittedAt,
    stateEnteredAt: submittedAt,
    lastActionAt: submittedAt,
  };
}
