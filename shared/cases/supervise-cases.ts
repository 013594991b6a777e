import { AppError, forbidden, invalidField } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type { ImplementationFacts, ImplementationLookup } from '../ports/implementation-lookup.js';
import type { AlertPage, AlertRepository, SupervisionAlert } from './alert-repository.js';
import { transitionCase } from './case-changes.js';
import type { CaseActor, CaseRecord } from './case-model.js';
import type { CasePublish, CaseStore } from './case-services.js';
import { caseThresholds, nextWatchAt, type AlertKind } from './supervision-rules.js';

export interface SuperviseDependencies extends CaseStore {
  readonly alerts: AlertRepository;
  readonly implementations: ImplementationLookup;
  readonly publish: CasePublish;
}

export interface SupervisionRun {
  readonly alertsRaised: number;
  readonly casesClosed: number;
  readonly changesRepublished: number;
  readonly itemsChecked: number;
}

/** a change event still unsent after this long is taken to have failed its publication */
const REPUBLISH_AFTER_MS = 60_000;
/** cases per index shard looked at in one run; the rest wait for the next run */
const CASES_PER_SHARD = 100;
const SYSTEM: CaseActor = { sub: 'system', role: 'system' };

/**
 * The e-supervision run (电子监察, GB/T 39047 6.2.5), on a schedule:
 * 1. publish again the case changes whose publication failed (consumers drop duplicates by id);
 * 2. for each case whose next threshold has come: raise an alert per finding (nearing or past its
 *    deadline, past its state's deadline, stuck without action, inconsistent content, rectification
 *    overdue), each once per case and kind; take the state's timeout action (closing a delivered
 *    case when its evaluation window ends); set when to look at the case next (its first threshold
 *    after now; a case changed meanwhile is due again anyway);
 * 3. check every published implementation for incomplete information (legal basis, time limits,
 *    materials), one alert per implementation.
 */
export async function superviseCases(deps: SuperviseDependencies): Promise<SupervisionRun> {
  const now = deps.clock.now();
  let changesRepublished = 0;
  for (const event of await deps.cases.unsentEvents(new Date(now.getTime() - REPUBLISH_AFTER_MS), CASES_PER_SHARD)) {
    const record = await deps.cases.get(event.caseNo);
    if (record && (await deps.publish(event, record.applicant))) changesRepublished++;
  }

  let alertsRaised = 0;
  let casesClosed = 0;
  for (const record of await deps.cases.dueForSupervision(now, CASES_PER_SHARD)) {
    let current = record;
    for (const threshold of caseThresholds(record, deps.calendar).filter((t) => t.at <= now)) {
      if (threshold.kind === 'timeout') {
        const closed = await takeTimeoutAction(deps, record, threshold.action, now);
        if (closed) {
          current = closed;
          casesClosed++;
        }
        continue;
      }
      const alert: SupervisionAlert = {
        alertId: `${record.caseNo}#${threshold.kind}${threshold.key ? `#${threshold.key}` : ''}`,
        kind: threshold.kind,
        agency: record.agency.uscc,
        caseNo: record.caseNo,
        itemCode: record.itemCode,
        region: record.region,
        detail: threshold.detail,
        raisedAt: now.toISOString(),
      };
      if (await deps.alerts.raise(alert)) alertsRaised++;
    }
    await deps.cases.markSupervised(current, nextWatchAt(current, deps.calendar, now));
  }

  let itemsChecked = 0;
  for await (const facts of deps.implementations.listPublished()) {
    itemsChecked++;
    const missing = missingInformation(facts);
    if (missing.length === 0) continue;
    const raised = await deps.alerts.raise({
      alertId: `${facts.itemCode}@${facts.region}#incomplete-item`,
      kind: 'incomplete-item',
      agency: facts.agency.uscc,
      itemCode: facts.itemCode,
      region: facts.region,
      detail: `missing: ${missing.join(', ')}`,
      raisedAt: now.toISOString(),
    });
    if (raised) alertsRaised++;
  }
  return { alertsRaised, casesClosed, changesRepublished, itemsChecked };
}

/** what a published implementation lacks of the information a guide must give */
export function missingInformation(facts: ImplementationFacts): string[] {
  return [
    ...(facts.legalBasis.trim() === '' ? ['legal basis'] : []),
    ...(facts.legalDays <= 0 ? ['legal time limit'] : []),
    ...(facts.materials.length === 0 ? ['materials'] : []),
  ];
}

async function takeTimeoutAction(deps: SuperviseDependencies, record: CaseRecord, action: string, now: Date): Promise<CaseRecord | undefined> {
  try {
    const change = transitionCase(deps.context, record, { action, role: 'system', actor: SYSTEM, comment: 'evaluation window ended' }, now);
    await deps.cases.save(change.next, record, { audit: change.audit, ...(change.event ? { event: change.event } : {}) });
    if (change.event) await deps.publish(change.event, change.next.applicant);
    return change.next;
  } catch (error) {
    // someone acted on the case meanwhile: the next run sees it as it is now
    if (error instanceof AppError && error.kind === 'conflict') return undefined;
    throw error;
  }
}

/**
 * GET /v1/supervision/alerts: supervisors and administrators see every agency's alerts (filtered
 * by agency or kind); staff see their own agency's only.
 */
export async function listAlerts(
  deps: { alerts: AlertRepository },
  input: { principal: Principal; agency?: string; kind?: AlertKind; limit: number; cursor?: string },
): Promise<AlertPage> {
  const { principal } = input;
  const overseer = principal.roles.includes('supervisor') || principal.roles.includes('admin');
  const ownAgency = principal.roles.includes('staff') ? principal.agency : undefined;
  if (!overseer && !ownAgency) throw forbidden('Supervisors, administrators and agency staff only');
  if (!overseer && input.agency !== undefined && input.agency !== ownAgency) throw forbidden('Staff see the alerts of their own agency only');
  const agency = overseer ? input.agency : ownAgency;
  if (agency === undefined && input.kind === undefined) throw invalidField('query', 'name an agency or a kind of alert');
  return deps.alerts.list({
    limit: input.limit,
    ...(agency !== undefined ? { agency } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
}
