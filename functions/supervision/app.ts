import { createApiHandler } from '../../shared/http/api-handler.js';
import { alertRepository } from '../../shared/cases/alert-repository.js';
import { casePersonalData, casePublisher, caseStore } from '../../shared/cases/case-services.js';
import { catalogImplementationLookup } from '../../shared/cases/catalog-implementation-lookup.js';
import { listAlerts, superviseCases } from '../../shared/cases/supervise-cases.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { withSchedule } from '../../shared/runtime/scheduled-event.js';
import { supervisionSchemas } from './schemas.js';
import { supervisionFunction } from '../../infra/manifest.js';

/** E-supervision (GB/T 39047 6.2.5): the scheduled run over cases and items, and the alerts for supervisors. */
export type SupervisionDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues' | 'vault'>;

const DEFAULT_PAGE = 50;

export function createHandler(deps: SupervisionDependencies) {
  const store = caseStore(deps, supervisionFunction);
  const alerts = alertRepository(deps.tables);
  const supervising = {
    ...store,
    alerts,
    implementations: catalogImplementationLookup(catalogRepository(deps.tables)),
    publish: casePublisher(store, { queues: deps.queues, personalData: casePersonalData(deps), logger: deps.logger }),
  };
  const api = createApiHandler(supervisionFunction, supervisionSchemas, deps, {
    listSupervisionAlerts: async ({ query, principal }) => ({
      body: await listAlerts({ alerts }, {
        principal: principal!,
        limit: query.limit ? Number(query.limit) : DEFAULT_PAGE,
        ...(query.agency ? { agency: query.agency } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    }),
  });
  return withSchedule(api, async () => {
    const run = await superviseCases(supervising);
    deps.logger.info('supervision run', { ...run });
  });
}
