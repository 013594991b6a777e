import type { Principal } from '../auth/principal.js';
import { forbidden } from '../errors.js';
import { startOfChinaDay } from '../workflow/working-calendar.js';
import type { CaseStore } from './case-services.js';
import { caseSummary, type CaseSummary } from './case-view.js';

export interface CaseList {
  readonly cases: CaseSummary[];
  readonly nextCursor?: string;
}

/** GET /v1/me/cases: the caller's own cases, newest first, optionally in one state, a page at a time. */
export async function listMyCases(deps: CaseStore, input: { principal: Principal; state?: string; limit: number; cursor?: string }): Promise<CaseList> {
  const page = await deps.cases.listByApplicant(input.principal.sub, {
    limit: input.limit,
    ...(input.state ? { state: input.state } : {}),
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  const now = deps.clock.now();
  return { cases: page.cases.map((record) => caseSummary(record, deps.calendar, now)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/**
 * GET /v1/staff/cases: the queue of the caller's agency (GB/T 39047 6.1.6): open cases, the
 * earliest deadline first, optionally in one state and due before a day (YYYY-MM-DD, China time)
 * or an instant.
 */
export async function listAgencyCases(deps: CaseStore, input: { principal: Principal; state?: string; dueBefore?: string; limit: number; cursor?: string }): Promise<CaseList> {
  const agency = input.principal.agency;
  if (!agency || !input.principal.roles.includes('staff')) throw forbidden('Agency staff only');
  const dueBefore = input.dueBefore === undefined ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(input.dueBefore) ? startOfChinaDay(input.dueBefore).toISOString() : new Date(input.dueBefore).toISOString();
  const page = await deps.cases.listByAgency(agency, {
    limit: input.limit,
    ...(input.state ? { state: input.state } : {}),
    ...(dueBefore ? { dueBefore } : {}),
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  const now = deps.clock.now();
  return { cases: page.cases.map((record) => caseSummary(record, deps.calendar, now)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
