import { discoveryFunction } from '../../infra/manifest.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { dynamoIdempotencyStore } from '../../shared/http/dynamo-idempotency-store.js';
import { openIdConfiguration } from '../../shared/auth/openid-configuration.js';
import { healthChecker } from '../../shared/platform/check-health.js';
import { platformHealthProbes } from '../../shared/platform/health-probes.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { createUpload } from '../../shared/uploads/create-upload.js';
import { getUpload } from '../../shared/uploads/get-upload.js';
import { uploadRepository } from '../../shared/uploads/upload-repository.js';
import { discoverySchemas } from './schemas.js';

/** Discovery, health and uploads. Built once per cold start from the dependencies of the runtime. */
export type DiscoveryDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault' | 'blobs'> & Partial<Pick<PlatformDependencies, 'search'>>;

export function createHandler(deps: DiscoveryDependencies): ApiHandler {
  const health = healthChecker({ probes: platformHealthProbes(deps), clock: deps.clock, cacheSeconds: deps.config.healthCacheSeconds });
  const uploads = uploadRepository(deps.tables);

  return createApiHandler(
    discoveryFunction,
    discoverySchemas,
    { ...deps, idempotency: dynamoIdempotencyStore(deps) },
    {
      getHealth: async () => {
        const report = await health.check();
        return { status: report.status === 'ok' ? 200 : 503, body: report };
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
