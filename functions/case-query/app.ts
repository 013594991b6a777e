import { invalidField } from '../../shared/errors.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { caseStore } from '../../shared/cases/case-services.js';
import { satisfactionStatistics } from '../../shared/cases/evaluate-case.js';
import { evaluationRepository } from '../../shared/cases/evaluation-repository.js';
import { getCase } from '../../shared/cases/get-case.js';
import { listMyCases } from '../../shared/cases/list-cases.js';
import { materialFileName } from '../../shared/cases/material-file-name.js';
import { readCaseMaterial } from '../../shared/cases/read-case-material.js';
import { attachmentDisposition } from '../../shared/ports/blob-store.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { caseQuerySchemas } from './schemas.js';
import { caseQueryFunction } from '../../infra/manifest.js';

/** Progress and express query (GB/T 39047 6.1.7) with the materials' files, the caller's cases, satisfaction statistics (6.1.9). */
export type CaseQueryDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'blobs'>;

const DEFAULT_PAGE = 20;

export function createHandler(deps: CaseQueryDependencies): ApiHandler {
  const store = caseStore(deps, caseQueryFunction);
  const evaluations = evaluationRepository(deps.tables);
  return createApiHandler(caseQueryFunction, caseQuerySchemas, deps, {
    getCase: async ({ params, principal }) => ({ body: await getCase(store, { principal: principal!, caseNo: params.caseNo }) }),
    getCaseMaterial: async ({ params, principal, sourceIp }) => {
      const file = await readCaseMaterial({ ...store, blobs: deps.blobs, inlineFileBytes: deps.config.inlineFileBytes }, { principal: principal!, sourceIp, ...params });
      // a file too large for a Lambda response: See Other at its short-lived download URL, which must not be cached either
      if ('downloadUrl' in file) return { status: 303, raw: '', contentType: 'text/plain; charset=utf-8', headers: { location: file.downloadUrl, 'cache-control': 'no-store' } };
      const headers = { 'content-disposition': attachmentDisposition(materialFileName(file.material)), 'cache-control': 'private, no-store' };
      return { raw: file.bytes, contentType: file.material.contentType, headers };
    },
    listMyCases: async ({ query, principal }) => ({
      body: await listMyCases(store, {
        principal: principal!,
        limit: query.limit ? Number(query.limit) : DEFAULT_PAGE,
        ...(query.state ? { state: query.state } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    }),
    getSatisfactionStatistics: async ({ query }) => {
      if (query.agency) return { body: await satisfactionStatistics({ evaluations }, { agency: query.agency, ...(query.itemCode ? { itemCode: query.itemCode } : {}) }) };
      if (query.itemCode) return { body: await satisfactionStatistics({ evaluations }, { itemCode: query.itemCode }) };
      throw invalidField('query', 'name an agency, an item code, or both');
    },
  });
}
