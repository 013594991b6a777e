import { interactionFunction } from '../../infra/manifest.js';
import { alertRepository } from '../../shared/cases/alert-repository.js';
import { caseRepository } from '../../shared/cases/case-repository.js';
import { loadCaseSettings } from '../../shared/cases/case-settings.js';
import { catalogImplementationLookup } from '../../shared/cases/catalog-implementation-lookup.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { createApiHandler } from '../../shared/http/api-handler.js';
import { actOnInteraction, replyToInteraction } from '../../shared/interactions/act-on-interaction.js';
import { findAnsweredConsults } from '../../shared/interactions/find-answered-consults.js';
import { INTERACTION_FLOWS, loadReplyDeadlines } from '../../shared/interactions/interaction-flows.js';
import { interactionRepository, type InteractionRecord } from '../../shared/interactions/interaction-repository.js';
import type { InteractionDependencies } from '../../shared/interactions/interaction-services.js';
import { submitInteraction } from '../../shared/interactions/submit-interaction.js';
import { superviseInteractions } from '../../shared/interactions/supervise-interactions.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { withSchedule } from '../../shared/runtime/scheduled-event.js';
import { userCenterRepository } from '../../shared/user-center/user-center-repository.js';
import { workingCalendar } from '../../shared/workflow/working-calendar.js';
import { interactionSchemas } from './schemas.js';

/** Consults, complaints and suggestions (GB/T 39047 6.1.8), and their supervision on a schedule. */
export type InteractionFunctionDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables'>;

const DEFAULT_PAGE = 50;

/** what a caller reads of an interaction: everything but who submitted it */
function view(record: InteractionRecord) {
  const { submitter: _submitter, version: _version, stateEnteredAt: _entered, watchAt: _watch, ...shown } = record;
  return { ...shown, stateLabel: INTERACTION_FLOWS[record.kind].states[record.state]?.label ?? record.state };
}

export function createHandler(deps: InteractionFunctionDependencies) {
  const services: InteractionDependencies = {
    clock: deps.clock,
    calendar: workingCalendar(loadCaseSettings().calendar),
    deadlines: loadReplyDeadlines(process.env),
    interactions: interactionRepository(deps.tables),
    implementations: catalogImplementationLookup(catalogRepository(deps.tables)),
    cases: caseRepository({ tables: deps.tables }),
    inbox: userCenterRepository(deps.tables),
    alerts: alertRepository(deps.tables),
  };
  const api = createApiHandler(interactionFunction, interactionSchemas, deps, {
    submitInteraction: async ({ body, principal }) => ({ body: view(await submitInteraction(services, { ...body, principal: principal! })) }),
    findAnsweredConsults: async ({ query }) => ({
      body: { consults: await findAnsweredConsults(services, { itemCode: query.itemCode, limit: query.limit ?? 10, ...(query.q ? { question: query.q } : {}) }) },
    }),
    listMyInteractions: async ({ query, principal }) => ({
      body: { interactions: (await services.interactions.listBySubmitter(principal!.sub, query.limit ?? DEFAULT_PAGE)).map(view) },
    }),
    listAgencyInteractions: async ({ query, principal }) => ({
      body: { interactions: (await services.interactions.listByAgency(principal!.agency!, query.limit ?? DEFAULT_PAGE)).map(view) },
    }),
    replyToInteraction: async ({ params, body, principal }) => ({ body: view(await replyToInteraction(services, { principal: principal!, id: params.id, content: body.content })) }),
    actOnInteraction: async ({ params, body, principal }) => ({
      body: view(await actOnInteraction(services, { principal: principal!, id: params.id, action: body.action, ...(body.comment ? { comment: body.comment } : {}) })),
    }),
  });
  return withSchedule(api, async () => {
    const run = await superviseInteractions(services);
    deps.logger.info('interaction supervision run', { ...run });
  });
}
