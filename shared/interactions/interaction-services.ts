import type { Principal } from '../auth/principal.js';
import type { AlertRepository } from '../cases/alert-repository.js';
import type { CaseRecord } from '../cases/case-model.js';
import { forbidden, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ImplementationLookup } from '../ports/implementation-lookup.js';
import type { UserCenterRepository } from '../user-center/user-center-repository.js';
import type { WorkingCalendar } from '../workflow/working-calendar.js';
import type { ReplyDeadlines } from './interaction-flows.js';
import type { InteractionRecord, InteractionRepository } from './interaction-repository.js';

/** What the interaction use cases read and write. */
export interface InteractionDependencies {
  readonly clock: Clock;
  readonly calendar: WorkingCalendar;
  readonly deadlines: ReplyDeadlines;
  readonly interactions: InteractionRepository;
  readonly implementations: ImplementationLookup;
  readonly cases: { get(caseNo: string): Promise<CaseRecord | undefined> };
  readonly inbox: Pick<UserCenterRepository, 'deliver'>;
  readonly alerts: AlertRepository;
}

export const isStaffOf = (principal: Principal, agency: string) => principal.roles.includes('staff') && principal.agency === agency;

/** an interaction the caller may see: the submitter's own, or one routed to the caller's agency (404 otherwise, so ids reveal nothing) */
export async function visibleInteraction(deps: Pick<InteractionDependencies, 'interactions'>, id: string, principal: Principal): Promise<InteractionRecord> {
  const record = await deps.interactions.get(id);
  if (!record || (record.submitter !== principal.sub && !isStaffOf(principal, record.agency))) throw notFound('No such interaction', 'interaction_not_found');
  return record;
}

/** tells the submitter in the in-app inbox what happened to an interaction (one message per version) */
export async function tellSubmitter(deps: Pick<InteractionDependencies, 'inbox'>, record: InteractionRecord, title: string): Promise<void> {
  await deps.inbox.deliver(record.submitter, {
    messageId: `interaction-${record.id}-${record.version}`,
    source: 'interaction',
    title,
    body: record.title,
    ref: record.id,
    createdAt: record.stateEnteredAt,
  });
}

/** the staff member must belong to the responsible agency */
export function requireResponsibleStaff(principal: Principal, record: InteractionRecord): void {
  if (!isStaffOf(principal, record.agency)) throw forbidden('Only staff of the responsible agency may act on it', 'not_responsible_agency');
}
