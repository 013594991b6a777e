import { EVERY_PUBLISHED, type CatalogRepository } from './catalog-repository.js';

export interface LifeEventSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly itemCount: number;
}

/** The published life events (one-thing bundles), by id. */
export async function listLifeEvents(deps: { catalog: CatalogRepository }): Promise<LifeEventSummary[]> {
  const heads = await deps.catalog.lifeEvents.listPublished(EVERY_PUBLISHED);
  return heads.flatMap((head) =>
    head.published ? [{ id: head.published.id, name: head.published.name, description: head.published.description, itemCount: head.published.itemCodes.length }] : [],
  );
}
