import { apiDocsFunction, manifest } from '../../infra/manifest.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import type { CoreDependencies } from '../../shared/runtime/platform-dependencies.js';
import { operationSchemas } from '../operation-schemas.js';
import { apiDocsSchemas } from './schemas.js';

/**
 * The OpenAPI document. Its own function because it is the one place that needs every route and
 * every schema: every other bundle carries only its own function's.
 */
export function createHandler(deps: CoreDependencies): ApiHandler {
  let document: Record<string, unknown> | undefined;
  return createApiHandler(apiDocsFunction, apiDocsSchemas, deps, {
    getOpenApi: async () => {
      document ??= buildOpenApiDocument(manifest, operationSchemas, {
        title: '政务服务平台 API (GB/T 39047-2020)',
        version: '1',
        serverUrl: deps.config.issuer,
      });
      return { body: document, headers: { 'cache-control': 'public, max-age=300' } };
    },
  });
}
