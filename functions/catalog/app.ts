import { analyzeItem } from '../../shared/catalog/analyze-item.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { findHalls } from '../../shared/catalog/find-halls.js';
import { getLifeEvent } from '../../shared/catalog/get-life-event.js';
import { getServiceGuide } from '../../shared/catalog/get-service-guide.js';
import { hallRepository } from '../../shared/catalog/hall-repository.js';
import { listItemVersions } from '../../shared/catalog/list-item-versions.js';
import { listLifeEvents } from '../../shared/catalog/list-life-events.js';
import { getPolicy, listPolicies } from '../../shared/catalog/list-policies.js';
import { negativeListRepository } from '../../shared/catalog/negative-list-repository.js';
import { popularityRepository } from '../../shared/catalog/popularity-repository.js';
import { getNegativeList, prejudgeNegativeList } from '../../shared/catalog/prejudge-negative-list.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { getRegion } from '../../shared/regions/get-region.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { catalogSchemas } from './schemas.js';
import { catalogFunction } from '../../infra/manifest.js';

/** Reading the service catalog (GB/T 39047 6.1.4, 6.2.2) and the region and hall map service (6.3.6). */
export type CatalogDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables'>;

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const pageSize = (size: string | undefined) => Math.min(Number(size ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);

/** the region a guide is read for: the one asked, else the caller's registered one */
const regionOf = (asked: string | undefined, principal: { region?: string } | undefined) => asked ?? principal?.region;

export function createHandler(deps: CatalogDependencies): ApiHandler {
  const catalog = catalogRepository(deps.tables);
  const halls = hallRepository(deps.tables);
  const negativeList = negativeListRepository(deps.tables);
  const popularity = popularityRepository(deps.tables);

  return createApiHandler(catalogFunction, catalogSchemas, deps, {
    getServiceGuide: async ({ params, query, principal }) => {
      const region = regionOf(query.region, principal);
      return { body: await getServiceGuide({ catalog, halls, popularity, logger: deps.logger }, { itemCode: params.code, ...(region ? { region } : {}) }) };
    },
    listItemVersions: async ({ params, query }) => ({
      body: await listItemVersions({ catalog }, { itemCode: params.code, ...(query.region ? { region: query.region } : {}) }),
    }),
    analyzeItem: async ({ query }) => ({ body: await analyzeItem({ catalog }, { itemCode: query.code }) }),
    listLifeEvents: async () => ({ body: { lifeEvents: await listLifeEvents({ catalog }) } }),
    getLifeEvent: async ({ params, query, principal }) => {
      const region = regionOf(query.region, principal);
      return { body: await getLifeEvent({ catalog }, { id: params.id, ...(region ? { region } : {}) }) };
    },
    listPolicies: async ({ query }) => {
      const page = Number(query.page ?? 1);
      const size = pageSize(query.size);
      const found = await listPolicies({ catalog }, { page, size, ...(query.region ? { region: query.region } : {}), ...(query.theme ? { theme: query.theme } : {}) });
      return { body: { ...found, page, size } };
    },
    getPolicy: async ({ params }) => ({ body: await getPolicy({ catalog }, { id: params.id }) }),
    getRegion: async ({ params }) => ({ body: getRegion({ code: params.code }), headers: { 'cache-control': 'public, max-age=86400' } }),
    findHalls: async ({ query }) => {
      const near = query.near?.split(',').map(Number);
      const found = await findHalls(
        { halls },
        {
          limit: pageSize(query.size),
          ...(query.item ? { itemCode: query.item } : {}),
          ...(query.region ? { region: query.region } : {}),
          ...(near ? { near: { lat: near[0]!, lng: near[1]! } } : {}),
        },
      );
      return { body: { halls: found } };
    },
    getNegativeList: async () => ({ body: await getNegativeList({ negativeList }) }),
    prejudgeNegativeList: async ({ body }) => ({ body: await prejudgeNegativeList({ catalog, negativeList }, body) }),
  });
}
