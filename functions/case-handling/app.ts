import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { actOnCase } from '../../shared/cases/act-on-case.js';
import { casePersonalData, casePublisher, caseStore } from '../../shared/cases/case-services.js';
import { catalogImplementationLookup } from '../../shared/cases/catalog-implementation-lookup.js';
import { completeRectification, listRectifications } from '../../shared/cases/evaluate-case.js';
import { evaluationRepository } from '../../shared/cases/evaluation-repository.js';
import { listAgencyCases } from '../../shared/cases/list-cases.js';
import { recordExpress } from '../../shared/cases/record-express.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { caseHandlingSchemas } from './schemas.js';
import { caseHandlingFunction } from '../../infra/manifest.js';

/** What agency staff do with cases (GB/T 39047 6.1.6, 6.2.3): their queue, workflow actions, express, rectifications. */
export type CaseHandlingDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues' | 'vault'>;

const DEFAULT_PAGE = 50;

export function createHandler(deps: CaseHandlingDependencies): ApiHandler {
  const store = caseStore(deps, caseHandlingFunction);
  const personalData = casePersonalData(deps);
  const handling = {
    ...store,
    implementations: catalogImplementationLookup(catalogRepository(deps.tables)),
    personalData,
    publish: casePublisher(store, { queues: deps.queues, personalData, logger: deps.logger }),
  };
  const evaluations = { ...store, evaluations: evaluationRepository(deps.tables) };

  return createApiHandler(caseHandlingFunction, caseHandlingSchemas, deps, {
    listStaffCases: async ({ query, principal }) => ({
      body: await listAgencyCases(store, {
        principal: principal!,
        limit: query.limit ? Number(query.limit) : DEFAULT_PAGE,
        ...(query.state ? { state: query.state } : {}),
        ...(query.dueBefore ? { dueBefore: query.dueBefore } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    }),
    actOnCase: async ({ params, body, principal, sourceIp }) => ({
      body: await actOnCase(handling, {
        principal: principal!,
        sourceIp,
        caseNo: params.caseNo,
        action: body.action,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.reason ? { reason: body.reason } : {}),
        ...(body.result ? { result: body.result } : {}),
        ...(body.target ? { target: body.target } : {}),
        ...(body.expectedVersion === undefined ? {} : { expectedVersion: body.expectedVersion }),
      }),
    }),
    recordCaseExpress: async ({ params, body, principal, sourceIp }) => ({
      body: await recordExpress(store, { principal: principal!, sourceIp, caseNo: params.caseNo, express: body }),
    }),
    listRectifications: async ({ query, principal }) => ({
      body: { rectifications: await listRectifications(evaluations, { principal: principal!, state: query.state, limit: query.limit ? Number(query.limit) : DEFAULT_PAGE }) },
    }),
    completeRectification: async ({ params, body, principal, sourceIp }) => ({
      body: await completeRectification(evaluations, { principal: principal!, sourceIp, caseNo: params.caseNo, outcome: body.outcome }),
    }),
  });
}
