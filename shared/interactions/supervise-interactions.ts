import { actAsSystem } from './act-on-interaction.js';
import { INTERACTION_FLOWS } from './interaction-flows.js';
import type { InteractionDependencies } from './interaction-services.js';

/** interactions looked at in one run; the rest wait for the next run */
const PER_RUN = 200;

/**
 * Supervision of interactions, on a schedule, through the e-supervision alerts of cases:
 * 1. an interaction still waiting for its agency after the reply deadline raises one
 *    `interaction-overdue` alert for the agency (one per deadline: a reopen brings a new one);
 * 2. a resolved or rejected complaint nobody confirmed or reopened in time is closed;
 * 3. either way supervision stops watching it until its next change.
 */
export async function superviseInteractions(deps: InteractionDependencies): Promise<{ alertsRaised: number; closed: number }> {
  const now = deps.clock.now();
  let alertsRaised = 0;
  let closed = 0;
  for (const record of await deps.interactions.dueForSupervision(now, PER_RUN)) {
    const state = INTERACTION_FLOWS[record.kind].states[record.state];
    if (state?.timeout) {
      await actAsSystem(deps, record, state.timeout.action);
      closed++;
      continue;
    }
    if (state?.waitingFor === 'agency' && record.dueAt) {
      const raised = await deps.alerts.raise({
        alertId: `${record.id}#interaction-overdue#${record.reopens}`,
        kind: 'interaction-overdue',
        agency: record.agency,
        ...(record.caseNo ? { caseNo: record.caseNo } : {}),
        itemCode: record.itemCode ?? '',
        region: record.region ?? '',
        detail: `${record.kind} ${record.id} was due ${record.dueAt}`,
        raisedAt: now.toISOString(),
      });
      if (raised) alertsRaised++;
    }
    const { watchAt: _watch, ...unwatched } = record;
    await deps.interactions.save({ ...unwatched, version: record.version + 1 }, record.version);
  }
  return { alertsRaised, closed };
}
