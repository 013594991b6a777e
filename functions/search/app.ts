import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { popularityRepository } from '../../shared/catalog/popularity-repository.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { noPersonalSignals, type PersonalSignals } from '../../shared/search/personal-signals.js';
import { recommendServices } from '../../shared/search/recommend-services.js';
import { searchServices, suggestSearchTerms } from '../../shared/search/search-services.js';
import { searchSchemas } from './schemas.js';
import { searchFunction } from '../../infra/manifest.js';

/** Unified search (GB/T 39047 6.1.5): the search index, and the catalog table for popularity and recommendations. */
export type SearchDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'search'> & { readonly personalSignals?: PersonalSignals };

const DEFAULT_PAGE_SIZE = 10;
const DEFAULT_SUGGESTIONS = 10;
const DEFAULT_RECOMMENDATIONS = 10;

export function createHandler(deps: SearchDependencies): ApiHandler {
  const catalog = catalogRepository(deps.tables);
  const popularity = popularityRepository(deps.tables);
  const signals = deps.personalSignals ?? noPersonalSignals;

  return createApiHandler(searchFunction, searchSchemas, deps, {
    searchServices: async ({ query, principal }) => {
      const region = query.region ?? principal?.region;
      const { q, page, size, online, region: _region, ...filters } = query;
      return {
        body: await searchServices(
          { search: deps.search, popularity, logger: deps.logger },
          {
            ...filters,
            q: q ?? '',
            page: Number(page ?? 1),
            size: Number(size ?? DEFAULT_PAGE_SIZE),
            ...(region ? { region } : {}),
            ...(online ? { online: online === 'true' } : {}),
          },
        ),
      };
    },
    suggestSearchTerms: async ({ query }) => ({
      body: { suggestions: await suggestSearchTerms({ search: deps.search }, { prefix: query.prefix, limit: Number(query.limit ?? DEFAULT_SUGGESTIONS) }) },
    }),
    recommendServices: async ({ query, principal }) => {
      const region = query.region ?? principal?.region;
      return {
        body: await recommendServices(
          { catalog, popularity, signals },
          { limit: Number(query.limit ?? DEFAULT_RECOMMENDATIONS), ...(region ? { region } : {}), ...(principal ? { subject: principal.sub } : {}) },
        ),
      };
    },
  });
}
