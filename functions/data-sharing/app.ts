import type { Principal } from '../../shared/auth/principal.js';
import { exchangeCaller } from '../../shared/exchange/exchange-access.js';
import { exchangeServices } from '../../shared/exchange/exchange-services.js';
import { getPlatform, registerPlatform } from '../../shared/exchange/platform-cases.js';
import { exportDatasetFile, listSharedDataAccess, readSharedData } from '../../shared/exchange/share-data.js';
import { submitExchangeFile } from '../../shared/exchange/submit-exchange-file.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { uploadRepository } from '../../shared/uploads/upload-repository.js';
import { dataSharingSchemas } from './schemas.js';
import { dataSharingFunction } from '../../infra/manifest.js';

/** Data sharing (GB/T 39047 §6.3.5 a): interface sharing, file exchange in and out, and the platform registry. */
export type DataSharingDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues' | 'vault' | 'blobs'>;

export function createHandler(deps: DataSharingDependencies): ApiHandler {
  const services = exchangeServices(deps);
  const files = { ...services, uploads: uploadRepository(deps.tables), blobs: deps.blobs };
  const callerOf = (principal: Principal | undefined) => exchangeCaller(services, principal!);

  return createApiHandler(dataSharingFunction, dataSharingSchemas, deps, {
    getSharedData: async ({ params, query, principal, requestId }) => ({
      body: await readSharedData(services, await callerOf(principal), {
        dataset: params.dataset,
        source: query.source,
        limit: query.limit ?? 100,
        requestId,
        ...(query.id ? { id: query.id } : {}),
        ...(query.updatedSince ? { updatedSince: query.updatedSince } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    }),
    submitExchangeFile: async ({ body, principal }) => {
      const { submittedBy: _submittedBy, issues: _issues, ...file } = await submitExchangeFile(files, await callerOf(principal), body);
      return { body: file };
    },
    exportExchangeFile: async ({ params, query, principal, requestId }) => {
      const exported = await exportDatasetFile(services, await callerOf(principal), {
        dataset: params.dataset,
        source: query.source,
        format: query.format ?? 'csv',
        requestId,
        ...(query.updatedSince ? { updatedSince: query.updatedSince } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return {
        raw: exported.content,
        contentType: exported.contentType,
        headers: { 'content-disposition': `attachment; filename="${exported.fileName}"`, ...(exported.nextCursor ? { 'x-next-cursor': exported.nextCursor } : {}) },
      };
    },
    putExchangePlatform: async ({ params, body, principal }) => ({
      body: await registerPlatform(services, await callerOf(principal), { platformId: params.platformId, registration: body }),
    }),
    getExchangePlatform: async ({ params, principal }) => ({ body: await getPlatform(services, await callerOf(principal), params.platformId) }),
    listSharedDataAccess: async ({ query, principal }) => ({
      body: await listSharedDataAccess(services, await callerOf(principal), {
        date: query.date,
        limit: query.limit ?? 100,
        ...(query.consumer ? { consumer: query.consumer } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    }),
  });
}
