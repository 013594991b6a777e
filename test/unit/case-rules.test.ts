import { describe, expect, it } from '@jest/globals';
import type { CaseRecord } from '../../shared/cases/case-model.js';
import { CASE_NO_PATTERN, newCaseNumber } from '../../shared/cases/case-number.js';
import { caseThresholds, inconsistencies, nextWatchAt } from '../../shared/cases/supervision-rules.js';
import { missingInformation } from '../../shared/cases/supervise-cases.js';
import { STANDARD_CASE_WORKFLOW } from '../../shared/cases/case-workflows.js';
import { startClock } from '../../shared/workflow/workflow-clock.js';
import { chinaDate, startOfChinaDay, workingCalendar } from '../../shared/workflow/working-calendar.js';

const calendar = workingCalendar();
const at = (day: string, hour = 10) => new Date(startOfChinaDay(day).getTime() + hour * 3600_000);

function caseIn(state: string, timelineStates: string[], submitted = at('2026-03-02')): CaseRecord {
  return {
    caseNo: newCaseNumber('330106', submitted),
    itemCode: 'SC-XK-0007',
    itemName: '食品经营许可',
    itemKind: '行政许可',
    region: '330106',
    agency: { uscc: '11330106MB1A2B3C46', name: '西湖区行政审批局' },
    applicant: { accountId: 'A1', subjectType: 'natural', name: '张测试' },
    form: {},
    materials: [],
    delivery: { method: 'pickup' },
    workflowId: STANDARD_CASE_WORKFLOW.id,
    state,
    version: timelineStates.length,
    promisedDays: 3,
    clock: startClock(calendar, submitted, 3, undefined),
    timeline: timelineStates.map((entryState, index) => ({ at: new Date(submitted.getTime() + index * 60_000).toISOString(), state: entryState, action: entryState, actor: 'staff' })),
    submittedAt: submitted.toISOString(),
    stateEnteredAt: submitted.toISOString(),
    lastActionAt: submitted.toISOString(),
  };
}

describe('case numbers', () => {
  it('name the region and the China day, sort by time within it, and are unique in practice', () => {
    const first = newCaseNumber('330106', new Date('2026-11-27T01:00:00Z'));
    const later = newCaseNumber('330106', new Date('2026-11-27T09:30:00Z'));
    expect(first).toMatch(CASE_NO_PATTERN);
    expect(first.startsWith('330106-20261127-')).toBe(true);
    expect(newCaseNumber('330106', new Date('2026-11-27T16:30:00Z')).startsWith('330106-20261128-')).toBe(true);
    expect(first < later).toBe(true);
    const sameMoment = new Set(Array.from({ length: 50 }, () => newCaseNumber('330106', new Date('2026-11-27T01:00:00Z'))));
    expect(sameMoment.size).toBeGreaterThan(40);
  });
});

describe('supervision rules', () => {
  it('watches an open case for nearing and passing its deadline and for being stuck', () => {
    const record = caseIn('accepted', ['submitted', 'accepted']);
    const kinds = caseThresholds(record, calendar).map((t) => [t.kind, chinaDate(t.at)]);
    expect(kinds).toEqual([
      ['due-soon', '2026-03-04'],
      ['overdue', '2026-03-06'],
      ['stuck', '2026-03-06'],
    ]);
    expect(nextWatchAt(record, calendar, undefined)).toBe(startOfChinaDay('2026-03-04').toISOString());
    expect(chinaDate(new Date(nextWatchAt(record, calendar, at('2026-03-04'))!))).toBe('2026-03-06');
  });

  it('stops the deadline checks while the applicant corrects, and closes delivered cases after the evaluation window', () => {
    expect(caseThresholds(caseIn('correction-requested', ['submitted', 'correction-requested']), calendar)).toEqual([]);
    const delivered = caseThresholds(caseIn('delivered', ['submitted', 'accepted', 'in-review', 'approved', 'delivered']), calendar);
    expect(delivered).toEqual([{ kind: 'timeout', action: 'close', at: expect.any(Date) }]);
    expect(chinaDate(delivered[0]!.at)).toBe('2026-03-17');
    expect(nextWatchAt(caseIn('closed', ['submitted', 'rejected', 'closed']), calendar, undefined)).toBeUndefined();
  });

  it('finds content that contradicts itself', () => {
    expect(inconsistencies(caseIn('approved', ['submitted', 'accepted', 'in-review', 'approved']))).toEqual([]);
    expect(inconsistencies(caseIn('approved', ['submitted', 'approved']))).toEqual(['a decision without an acceptance']);
    expect(inconsistencies(caseIn('delivered', ['submitted', 'delivered']))).toEqual(['a delivery without a decision']);
    const flagged = caseThresholds(caseIn('approved', ['submitted', 'approved']), calendar).find((t) => t.kind === 'inconsistent');
    expect(flagged).toMatchObject({ kind: 'inconsistent', detail: 'a decision without an acceptance' });
  });

  it('finds implementations whose guide lacks legal basis, time limit or materials', () => {
    const facts = {
      itemCode: 'SC-XK-0007',
      itemName: '食品经营许可',
      itemKind: '行政许可',
      region: '330106',
      agency: { uscc: 'X', name: 'Y' },
      legalBasis: '《中华人民共和国食品安全法》',
      legalDays: 10,
      promisedDays: 3,
      onlineApply: true,
      materials: [{ name: '申请书', required: true }],
      minLevel: 3 as const,
    };
    expect(missingInformation(facts)).toEqual([]);
    expect(missingInformation({ ...facts, legalBasis: ' ', legalDays: 0, materials: [] })).toEqual(['legal basis', 'legal time limit', 'materials']);
  });
});
