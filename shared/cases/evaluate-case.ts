import { ulid } from 'ulid';
import type { Principal } from '../auth/principal.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { applicantCase, caseActorOf, handledCase } from './case-access.js';
import { amendCase, retryingRaces } from './case-changes.js';
import type { CaseEvaluation, Rectification } from './case-model.js';
import type { CaseStore } from './case-services.js';
import type { EvaluationRepository, RectificationTask, SatisfactionCounters, SatisfactionScope } from './evaluation-repository.js';

/** a review at or below this score is bad (差评) and opens a rectification task */
export const BAD_REVIEW_MAX_SCORE = 2;
/** working days an agency has to rectify after a bad review */
export const RECTIFICATION_WORKING_DAYS = 5;

export interface EvaluationInput {
  readonly score: number;
  readonly dimensions: CaseEvaluation['dimensions'];
  readonly comment?: string;
}

/**
 * POST /v1/cases/{caseNo}/evaluations: the applicant rates how the case was handled (好差评, GB/T 39047 6.1.9).
 * 1. only the applicant themselves: the case must be theirs (else 404) and not rated through a
 *    delegate (403 applicant_only);
 * 2. only after a decision (409 not_decided), only once (409 already_evaluated);
 * 3. a bad review (score ≤ 2) opens a rectification task for the agency, due in 5 working days;
 * 4. the evaluation, the agency's and item's counters and the task are one transaction with the
 *    case's audit event (a race with another change reads the case again).
 */
export async function evaluateCase(
  deps: CaseStore & { evaluations: EvaluationRepository },
  input: { principal: Principal; sourceIp?: string; caseNo: string; evaluation: EvaluationInput },
): Promise<CaseEvaluation> {
  if (input.principal.actor) throw forbidden('Only the applicant rates a case, not a delegate', 'applicant_only');
  const actor = caseActorOf(input.principal, input.sourceIp);
  return retryingRaces(async () => {
    const record = applicantCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
    if (record.submittedBy === input.principal.sub) throw forbidden('Only the applicant rates a case, not a delegate', 'applicant_only');
    if (!record.decision) throw conflict('The case can be rated once it is decided', 'not_decided');
    if (record.evaluation) throw conflict('The case has been rated already', 'already_evaluated');
    const at = deps.clock.now();
    const bad = input.evaluation.score <= BAD_REVIEW_MAX_SCORE;
    const task: RectificationTask | undefined = bad
      ? {
          rectificationId: ulid(at.getTime()),
          caseNo: record.caseNo,
          agency: record.agency.uscc,
          itemCode: record.itemCode,
          itemName: record.itemName,
          score: input.evaluation.score,
          ...(input.evaluation.comment ? { comment: input.evaluation.comment } : {}),
          deadline: deps.calendar.deadline(at, RECTIFICATION_WORKING_DAYS).toISOString(),
          state: 'open',
          createdAt: at.toISOString(),
        }
      : undefined;
    const evaluation: CaseEvaluation = {
      score: input.evaluation.score,
      dimensions: input.evaluation.dimensions,
      ...(input.evaluation.comment ? { comment: input.evaluation.comment } : {}),
      at: at.toISOString(),
      ...(task ? { rectification: { rectificationId: task.rectificationId, state: 'open', deadline: task.deadline } } : {}),
    };
    const change = amendCase(record, { evaluation }, { action: 'evaluate', actor, at, timeline: true, comment: `${evaluation.score}/5` });
    await deps.cases.save(change.next, record, {
      audit: { ...change.audit, details: { score: evaluation.score } },
      alsoWrite: [...deps.evaluations.counted(record.agency.uscc, record.itemCode, evaluation), ...(task ? [deps.evaluations.opened(task)] : [])],
    });
    return evaluation;
  });
}

/**
 * POST /v1/cases/{caseNo}/rectification: the agency reports what it changed after a bad review;
 * the applicant sees the outcome with the case.
 * 1. staff of the handling agency only (else 404); the case must have an open task (409 no_open_rectification);
 * 2. the task is done with its outcome, the case shows it, the counters count it, in one transaction.
 */
export async function completeRectification(
  deps: CaseStore & { evaluations: EvaluationRepository },
  input: { principal: Principal; sourceIp?: string; caseNo: string; outcome: string },
): Promise<Rectification> {
  const record = handledCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
  const open = record.evaluation?.rectification;
  if (!record.evaluation || open?.state !== 'open') throw conflict('The case has no open rectification', 'no_open_rectification');
  const task = await deps.evaluations.get(open.rectificationId);
  if (!task) throw notFound('No such rectification', 'rectification_not_found');
  const at = deps.clock.now();
  const rectification: Rectification = { ...open, state: 'done', outcome: input.outcome, completedAt: at.toISOString() };
  const change = amendCase(record, { evaluation: { ...record.evaluation, rectification } }, { action: 'rectify', actor: caseActorOf(input.principal, input.sourceIp), at, timeline: true });
  await deps.cases.save(change.next, record, {
    audit: change.audit,
    alsoWrite: [deps.evaluations.completed({ ...task, state: 'done', outcome: input.outcome, completedAt: at.toISOString() }), ...deps.evaluations.rectifiedCounted(record.agency.uscc, record.itemCode)],
  });
  return rectification;
}

/** GET /v1/staff/rectifications: the caller's agency's rectification tasks in one state, the earliest deadline first. */
export async function listRectifications(
  deps: { evaluations: EvaluationRepository },
  input: { principal: Principal; state: RectificationTask['state']; limit: number },
): Promise<RectificationTask[]> {
  if (!input.principal.agency || !input.principal.roles.includes('staff')) throw forbidden('Agency staff only');
  return deps.evaluations.listForAgency(input.principal.agency, input.state, input.limit);
}

/** Satisfaction (满意度) of an agency, an item, or an item at an agency: averages, distribution, bad reviews and rectifications. */
export async function satisfactionStatistics(deps: { evaluations: EvaluationRepository }, scope: SatisfactionScope) {
  const counters: SatisfactionCounters = await deps.evaluations.counters(scope);
  const average = (sum: number) => (counters.count === 0 ? null : Math.round((sum / counters.count) * 100) / 100);
  return {
    ...(scope.agency ? { agency: scope.agency } : {}),
    ...(scope.itemCode ? { itemCode: scope.itemCode } : {}),
    evaluations: counters.count,
    averageScore: average(counters.scoreSum),
    dimensions: { process: average(counters.processSum), result: average(counters.resultSum), efficiency: average(counters.efficiencySum) },
    distribution: counters.distribution,
    badReviews: counters.badReviews,
    rectified: counters.rectified,
    satisfactionRate: counters.count === 0 ? null : Math.round(((counters.count - counters.badReviews) / counters.count) * 10000) / 10000,
  };
}
