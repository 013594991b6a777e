import type { Principal } from '../auth/principal.js';
import { notFound } from '../errors.js';
import type { CaseActor, CaseRecord } from './case-model.js';

/** The caller as an actor on cases: staff, a delegate acting under a delegated token, or the applicant. */
export function caseActorOf(principal: Principal, sourceIp?: string): CaseActor {
  const ip = sourceIp ? { sourceIp } : {};
  if (isStaff(principal)) return { sub: principal.sub, role: 'staff', ...ip };
  if (principal.actor) return { sub: principal.sub, role: 'delegate', delegate: principal.actor.sub, ...ip };
  return { sub: principal.sub, role: 'applicant', ...ip };
}

export function isStaff(principal: Principal): boolean {
  return principal.roles.includes('staff') && principal.agency !== undefined;
}

/** staff of the agency that handles the case */
export function isHandlingStaff(principal: Principal, record: CaseRecord): boolean {
  return isStaff(principal) && principal.agency === record.agency.uscc;
}

/** the applicant (directly or through a delegated token) or the delegate who submitted it */
export function isApplicantSide(principal: Principal, record: CaseRecord): boolean {
  if (isStaff(principal)) return false;
  return (record.applicant.accountId !== undefined && principal.sub === record.applicant.accountId) || (record.submittedBy !== undefined && principal.sub === record.submittedBy);
}

/** a case the caller may see, else "not found": nobody learns that a case number exists */
export function visibleCase(principal: Principal, record: CaseRecord | undefined, caseNo: string): CaseRecord {
  if (!record || !(isApplicantSide(principal, record) || isHandlingStaff(principal, record))) throw notFound(`No case ${caseNo}`, 'case_not_found');
  return record;
}

/** a case on which the caller is the applicant side, else "not found" */
export function applicantCase(principal: Principal, record: CaseRecord | undefined, caseNo: string): CaseRecord {
  if (!record || !isApplicantSide(principal, record)) throw notFound(`No case ${caseNo}`, 'case_not_found');
  return record;
}

/** a case the caller handles as staff of its agency, else "not found" */
export function handledCase(principal: Principal, record: CaseRecord | undefined, caseNo: string): CaseRecord {
  if (!record || !isHandlingStaff(principal, record)) throw notFound(`No case ${caseNo}`, 'case_not_found');
  return record;
}
