import type { Clock } from '../ports/clock.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { BasicItem, Hall, Implementation, LifeEvent, NegativeList, Policy } from './catalog-model.js';
import { implementationId } from './catalog-model.js';
import type { CatalogRepository } from './catalog-repository.js';
import type { HallRepository } from './hall-repository.js';
import type { NegativeListRepository } from './negative-list-repository.js';
import { rebuildSearchIndex } from './rebuild-search-index.js';
import type { Actor } from './versioned-store.js';

/** A whole catalog to load at once. */
export interface CatalogImport {
  readonly basicItems: readonly BasicItem[];
  readonly implementations: readonly Implementation[];
  readonly lifeEvents: readonly LifeEvent[];
  readonly policies: readonly Policy[];
  readonly halls: readonly Hall[];
  readonly negativeList: NegativeList;
}

/**
 * Loads a catalog into an empty catalog table and indexes it (the local demo seed; a first load).
 * 1. every basic item, implementation, life event and policy as published version 1;
 * 2. halls at version 1 (a hall already there is kept) and the negative list in force;
 * 3. the search index rebuilt from the table, so everything is searchable when this returns.
 */
export async function importCatalog(
  deps: { catalog: CatalogRepository; halls: HallRepository; negativeList: NegativeListRepository; search: SearchIndex; clock: Clock },
  input: { data: CatalogImport; actor: Actor },
): Promise<{ documents: number }> {
  const now = deps.clock.now();
  const { data, actor } = input;
  await deps.catalog.basicItems.importPublished(data.basicItems.map((item) => ({ key: item.code, content: item })), actor, now);
  await deps.catalog.implementations.importPublished(
    data.implementations.map((implementation) => ({ key: implementationId(implementation.itemCode, implementation.region), content: implementation, owner: implementation.agency.uscc })),
    actor,
    now,
  );
  await deps.catalog.lifeEvents.importPublished(data.lifeEvents.map((event) => ({ key: event.id, content: event })), actor, now);
  await deps.catalog.policies.importPublished(data.policies.map((policy) => ({ key: policy.id, content: policy })), actor, now);
  for (const hall of data.halls) {
    if (!(await deps.halls.get(hall.id))) await deps.halls.save(hall, 0, now);
  }
  await deps.negativeList.publish(data.negativeList, now);
  return rebuildSearchIndex(deps);
}
