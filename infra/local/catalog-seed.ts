import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { hallRepository } from '../../shared/catalog/hall-repository.js';
import { importCatalog } from '../../shared/catalog/import-catalog.js';
import { negativeListRepository } from '../../shared/catalog/negative-list-repository.js';
import { rebuildSearchIndex } from '../../shared/catalog/rebuild-search-index.js';
import type { PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import type { DemoAgency } from './demo-seed.js';
import { demoCatalog } from './seed-data/demo-catalog.js';

/** Loads the demo catalog (seed-data/demo-catalog.ts) for the demo agencies and indexes it; part of the first-start seed. */
export async function seedDemoCatalog(deps: Pick<PlatformDependencies, 'tables' | 'search' | 'clock'>, agencies: { readonly a: DemoAgency; readonly b: DemoAgency }): Promise<void> {
  await importCatalog(
    {
      catalog: catalogRepository(deps.tables),
      halls: hallRepository(deps.tables),
      negativeList: negativeListRepository(deps.tables),
      search: deps.search,
      clock: deps.clock,
    },
    { data: demoCatalog(agencies), actor: { sub: 'demo-seed' } },
  );
}

/** The local index lives in memory: every start projects the catalog table into it again. */
export async function rebuildCatalogSearchIndex(deps: Pick<PlatformDependencies, 'tables' | 'search'>): Promise<void> {
  await rebuildSearchIndex({ catalog: catalogRepository(deps.tables), search: deps.search });
}
