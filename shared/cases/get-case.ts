import type { Principal } from '../auth/principal.js';
import { visibleCase } from './case-access.js';
import type { CaseStore } from './case-services.js';
import { caseView, type CaseView } from './case-view.js';

/**
 * GET /v1/cases/{caseNo}: progress of a case (办件查询, GB/T 39047 6.1.7).
 * 1. only the applicant (also through a delegated token), the delegate who submitted it, or staff
 *    of the handling agency; for anyone else the case does not exist (404);
 * 2. the case with its timeline in time order, due date and working days left (counted to the
 *    pause while the clock stands still), materials with their hashes, decision, result, express
 *    information and evaluation; personal data masked.
 */
export async function getCase(deps: CaseStore, input: { principal: Principal; caseNo: string }): Promise<CaseView> {
  const record = visibleCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
  return caseView(record, deps.calendar, deps.clock.now());
}
