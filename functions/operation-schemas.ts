import type { FunctionName, OperationIdOf } from '../infra/manifest.js';
import type { OperationSchemas } from '../shared/http/api-handler.js';
import { catalogAdminSchemas } from './catalog-admin/schemas.js';
import { caseHandlingSchemas } from './case-handling/schemas.js';
import { caseQuerySchemas } from './case-query/schemas.js';
import { certificateIssueSchemas } from './certificate-issue/schemas.js';
import { certificateQuerySchemas } from './certificate-query/schemas.js';
import { caseSubmissionSchemas } from './case-submission/schemas.js';
import { catalogSchemas } from './catalog/schemas.js';
import { dataReconciliationSchemas } from './data-reconciliation/schemas.js';
import { dataSharingSchemas } from './data-sharing/schemas.js';
import { apiDocsSchemas } from './api-docs/schemas.js';
import { discoverySchemas } from './discovery/schemas.js';
import { identitySchemas } from './identity/schemas.js';
import { sealAdminSchemas } from './seal-admin/schemas.js';
import { sealSignSchemas } from './seal-sign/schemas.js';
import { searchSchemas } from './search/schemas.js';
import { supervisionSchemas } from './supervision/schemas.js';
import { interactionSchemas } from './interaction/schemas.js';
import { userCenterSchemas } from './user-center/schemas.js';
import { accessEventsSchemas } from './access-events/schemas.js';
import { analyticsSchemas } from './analytics/schemas.js';

type FunctionWithRoutes = { [N in FunctionName]: [OperationIdOf<N>] extends [never] ? never : N }[FunctionName];

/** The schemas of every operation, by function: read by the OpenAPI document. */
export const operationSchemas: { readonly [N in FunctionWithRoutes]: OperationSchemas<N> } = {
  discovery: discoverySchemas,
  'api-docs': apiDocsSchemas,
  catalog: catalogSchemas,
  'catalog-admin': catalogAdminSchemas,
  search: searchSchemas,
  identity: identitySchemas,
  'data-reconciliation': dataReconciliationSchemas,
  'data-sharing': dataSharingSchemas,
  'seal-admin': sealAdminSchemas,
  'seal-sign': sealSignSchemas,
  'case-submission': caseSubmissionSchemas,
  'case-handling': caseHandlingSchemas,
  'case-query': caseQuerySchemas,
  supervision: supervisionSchemas,
  interaction: interactionSchemas,
  'user-center': userCenterSchemas,
  'access-events': accessEventsSchemas,
  'certificate-issue': certificateIssueSchemas,
  'certificate-query': certificateQuerySchemas,
  analytics: analyticsSchemas,
};
