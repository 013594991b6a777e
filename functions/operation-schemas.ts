import type { FunctionName, OperationIdOf } from '../infra/manifest.js';
import type { OperationSchemas } from '../shared/http/api-handler.js';
import { discoverySchemas } from './discovery/schemas.js';
import { identitySchemas } from './identity/schemas.js';

type FunctionWithRoutes = { [N in FunctionName]: [OperationIdOf<N>] extends [never] ? never : N }[FunctionName];

/** The schemas of every operation, by function: read by the OpenAPI document. */
export const operationSchemas: { readonly [N in FunctionWithRoutes]: OperationSchemas<N> } = {
  discovery: discoverySchemas,
  identity: identitySchemas,
};
