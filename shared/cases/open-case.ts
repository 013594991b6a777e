import type { ImplementationFacts } from '../ports/implementation-lookup.js';
import { TransactionConflictError, type TransactionItem } from '../tables/transactions.js';
import { startClock } from '../workflow/workflow-clock.js';
import type { WorkingCalendar } from '../workflow/working-calendar.js';
import type { CaseChange } from './case-changes.js';
import type { CaseRecord } from './case-model.js';
import { newCaseNumber } from './case-number.js';
import type { CaseStore } from './case-services.js';
import { workflowForItemKind } from './case-workflows.js';

/** draws of a new case number before giving up (a collision needs two new cases in one millisecond and region) */
const NUMBER_ATTEMPTS = 5;

export type CaseBasics = Pick<
  CaseRecord,
  'caseNo' | 'itemCode' | 'itemName' | 'itemKind' | 'region' | 'agency' | 'workflowId' | 'state' | 'version' | 'promisedDays' | 'clock' | 'stateEnteredAt' | 'lastActionAt'
>;

/** What every new case starts with: the item and agency, the first state of the workflow of the item's kind, the clock of the promised days. */
export function caseBasics(calendar: WorkingCalendar, facts: ImplementationFacts, caseNo: string, now: Date): CaseBasics {
  const workflow = workflowForItemKind(facts.itemKind);
  return {
    caseNo,
    itemCode: facts.itemCode,
    itemName: facts.itemName,
    itemKind: facts.itemKind,
    region: facts.region,
    agency: facts.agency,
    workflowId: workflow.id,
    state: workflow.initial,
    version: 0,
    promisedDays: facts.promisedDays,
    clock: startClock(calendar, now, facts.promisedDays, workflow.states[workflow.initial]!.slaWorkingDays),
    stateEnteredAt: now.toISOString(),
    lastActionAt: now.toISOString(),
  };
}

/**
 * Writes a new case under a fresh case number of its region: `build` makes the case (with its
 * audit and change events, and writes that must succeed with it) for a number; when the number is
 * taken, a new one is drawn and `build` runs again. A failed condition of `alsoWrite` is thrown as
 * TransactionConflictError with its position within `alsoWrite`.
 */
export async function openCase(
  deps: Pick<CaseStore, 'cases' | 'clock'>,
  region: string,
  build: (caseNo: string, now: Date) => Promise<{ change: CaseChange; alsoWrite?: readonly TransactionItem[] }>,
): Promise<CaseChange> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const { change, alsoWrite } = await build(newCaseNumber(region, now), now);
    try {
      await deps.cases.create(change.next, { audit: change.audit, ...(change.event ? { event: change.event } : {}), ...(alsoWrite ? { alsoWrite } : {}) });
      return change;
    } catch (error) {
      if (error instanceof TransactionConflictError && error.failed.includes(0) && attempt < NUMBER_ATTEMPTS) continue;
      throw error;
    }
  }
}
