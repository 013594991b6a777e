import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { createBasicItem } from '../../shared/catalog/create-basic-item.js';
import { createImplementation } from '../../shared/catalog/create-implementation.js';
import { createPolicy, updatePolicy } from '../../shared/catalog/create-policy.js';
import { hallRepository } from '../../shared/catalog/hall-repository.js';
import { publishBasicItem } from '../../shared/catalog/publish-basic-item.js';
import { publishImplementation } from '../../shared/catalog/publish-implementation.js';
import { createHall, updateHall } from '../../shared/catalog/save-hall.js';
import { updateBasicItem } from '../../shared/catalog/update-basic-item.js';
import { updateImplementation } from '../../shared/catalog/update-implementation.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { dynamoIdempotencyStore } from '../../shared/http/dynamo-idempotency-store.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { catalogAdminSchemas } from './schemas.js';
import { catalogAdminFunction } from '../../infra/manifest.js';

/**
 * Editing the service catalog (GB/T 39047 6.2.2): every change a version, publications announced
 * to the indexer. Apart from the reading function so public reads hold no write or queue access.
 */
export type CatalogAdminDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues'>;

export function createHandler(deps: CatalogAdminDependencies): ApiHandler {
  const catalog = catalogRepository(deps.tables);
  const halls = hallRepository(deps.tables);
  const writes = { catalog, queues: deps.queues, clock: deps.clock };

  return createApiHandler(catalogAdminFunction, catalogAdminSchemas, { ...deps, idempotency: dynamoIdempotencyStore(deps) }, {
    createBasicItem: async ({ body, principal }) => ({ body: await createBasicItem(writes, { principal, item: body }) }),
    updateBasicItem: async ({ params, body, principal }) => {
      const { expectedVersion, ...item } = body;
      return { body: await updateBasicItem(writes, { principal, code: params.code, item, expectedVersion }) };
    },
    publishBasicItem: async ({ params, body, principal }) => ({
      body: await publishBasicItem(writes, { principal, code: params.code, ...(body.version ? { version: body.version } : {}) }),
    }),
    createImplementation: async ({ body, principal }) => {
      const { itemCode, region, agencyUscc, ...fields } = body;
      return { body: await createImplementation(writes, { principal, itemCode, region, fields, ...(agencyUscc ? { agencyUscc } : {}) }) };
    },
    updateImplementation: async ({ params, body, principal }) => {
      const { expectedVersion, ...fields } = body;
      return { body: await updateImplementation(writes, { principal, id: params.id, fields, expectedVersion }) };
    },
    publishImplementation: async ({ params, body, principal }) => ({
      body: await publishImplementation(writes, { principal, id: params.id, ...(body.version ? { version: body.version } : {}) }),
    }),
    createPolicy: async ({ body, principal }) => ({ body: await createPolicy(writes, { principal, fields: body }) }),
    updatePolicy: async ({ params, body, principal }) => {
      const { expectedVersion, ...fields } = body;
      return { body: await updatePolicy(writes, { principal, id: params.id, fields, expectedVersion }) };
    },
    createHall: async ({ body, principal }) => ({ body: await createHall({ halls, catalog, clock: deps.clock }, { principal, fields: body }) }),
    updateHall: async ({ params, body, principal }) => {
      const { expectedVersion, ...fields } = body;
      return { body: await updateHall({ halls, catalog, clock: deps.clock }, { principal, id: params.id, fields, expectedVersion }) };
    },
  });
}
