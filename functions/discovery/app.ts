import { manifest } from '../../infra/manifest.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { dynamoIdempotencyStore } from '../../shared/http/idempotency.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { openIdConfiguration } from '../../shared/auth/openid-configuration.js';
import { healthChecker } from '../../shared/platform/check-health.js';
import { platformHealthProbes } from '../../shared/platform/health-probes.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { createUpload } from '../../shared/uploads/create-upload.js';
import { getUpload } from '../../shared/uploads/get-upload.js';
import { uploadRepository } from '../../shared/uploads/upload-repository.js';
import { operationSchemas } from '../operation-schemas.js';
import { discoverySchemas } from './schemas.js';

/** Discovery, health and uploads. Built once per cold start from the dependencies of the runtime. */
export type DiscoveryDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault' | 'blobs'> & Partial<Pick<PlatformDependencies, 'search'>>;

export function createHandler(deps: DiscoveryDependencies): ApiHandler {
  const health = healthChecker({ probes: platformHealthProbes(deps), clock: deps.clock, cacheSeconds: deps.config.healthCacheSeconds });
  const uploads = uploadRepository(deps.tables);
  let openApi: Record<string, unknown> | undefined;

  return createApiHandler(
    'discovery',
    discoverySchemas,
    { ...deps, idempotency: dynamoIdempotencyStore(deps) },
    {
      getHealth: async () => {
        const report = await health.check();
        return { status: report.status === 'ok' ? 200 : 503, body: report };
      },
      getOpenApi: async () => {
        openApi ??= buildOpenApiDocument(manifest, operationSchemas, {
          title: '政务服务平台 API (GB/T 39047-2020)',
          version: '1',
          serverUrl: deps.config.issuer,
        });
        return { body: openApi, headers: { 'cache-control': 'public, max-age=300' } };
      },
      getOpenIdConfiguration: async () => ({
        body: openIdConfiguration(deps.config.issuer),
        headers: { 'cache-control': 'public, max-age=3600' },
      }),
      getJwks: async () => ({ body: await deps.tokenKeys.jwks(), headers: { 'cache-control': 'public, max-age=300' } }),
      createUpload: async ({ body, principal }) => ({
        body: await createUpload({ uploads, blobs: deps.blobs, clock: deps.clock }, { owner: principal!.sub, ...body }),
      }),
      getUpload: async ({ params, principal }) => ({
        body: await getUpload({ uploads, blobs: deps.blobs, clock: deps.clock }, { owner: principal!.sub, blobId: params.blobId }),
      }),
    },
  );
}
