import type { Tables } from '../ports/tables.js';
import type { BasicItem, Implementation, LifeEvent, Policy } from './catalog-model.js';
import { versionedStore } from './versioned-store.js';

/** partition of the listings that hold every published entity of a kind */
const EVERY = 'ALL';

/**
 * The versioned entities of the catalog table and how each is listed once published:
 * basic items and life events by code, implementations under their item by region (the guide
 * and the item analysis read them so), policies by date.
 */
export function catalogRepository(tables: Tables) {
  return {
    basicItems: versionedStore<BasicItem>(tables, 'BASIC', (item) => ({ partition: EVERY, sort: item.code })),
    implementations: versionedStore<Implementation>(tables, 'IMPL', (implementation) => ({ partition: implementation.itemCode, sort: implementation.region })),
    policies: versionedStore<Policy>(tables, 'POLICY', (policy) => ({ partition: EVERY, sort: `${policy.issuedOn}#${policy.id}` })),
    lifeEvents: versionedStore<LifeEvent>(tables, 'LIFE', (event) => ({ partition: EVERY, sort: event.id })),
  };
}

export type CatalogRepository = ReturnType<typeof catalogRepository>;

/** the listing partition of every published basic item, policy or life event */
export const EVERY_PUBLISHED = EVERY;
