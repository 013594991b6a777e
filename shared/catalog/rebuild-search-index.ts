import type { SearchDocument, SearchIndex } from '../ports/search-index.js';
import type { BasicItem } from './catalog-model.js';
import { EVERY_PUBLISHED, type CatalogRepository } from './catalog-repository.js';
import { implementationDocument, itemDocument, lifeEventDocument, policyDocument } from './search-documents.js';

const UPSERT_CHUNK = 500;
/** implementation listings read at once (one query per basic item) */
const PARALLEL_LISTINGS = 25;

/**
 * Rebuilds the search index from the catalog table, its source of truth: the local runtime does
 * it at every start (its index lives in memory), and an operator can do it after restoring a table.
 * 1. every published basic item, with the guide of each of its published implementations;
 * 2. every published policy and life event;
 * 3. upserted at their current versions in chunks (a document already there at that version is left alone).
 */
export async function rebuildSearchIndex(deps: { catalog: CatalogRepository; search: SearchIndex }): Promise<{ documents: number }> {
  const basics = (await deps.catalog.basicItems.listPublished(EVERY_PUBLISHED)).filter((head) => head.published);
  const items = new Map<string, BasicItem>(basics.map((head) => [head.key, head.published!]));
  const documents: SearchDocument[] = [];
  for (let i = 0; i < basics.length; i += PARALLEL_LISTINGS) {
    const chunk = basics.slice(i, i + PARALLEL_LISTINGS);
    const implementations = await Promise.all(chunk.map((head) => deps.catalog.implementations.listPublished(head.key)));
    chunk.forEach((head, j) => {
      documents.push(itemDocument(head.published!, head.publishCount));
      for (const implementation of implementations[j]!) {
        if (implementation.published) documents.push(implementationDocument(head.published!, head.publishCount, implementation.published, implementation.publishCount));
      }
    });
  }
  const known = (codes: readonly string[]) => codes.flatMap((code) => items.get(code) ?? []);
  for (const head of await deps.catalog.policies.listPublished(EVERY_PUBLISHED)) {
    if (head.published) documents.push(policyDocument(head.published, head.publishCount, known(head.published.relatedItems)));
  }
  for (const head of await deps.catalog.lifeEvents.listPublished(EVERY_PUBLISHED)) {
    if (head.published) documents.push(lifeEventDocument(head.published, head.publishCount, known(head.published.itemCodes)));
  }
  for (let i = 0; i < documents.length; i += UPSERT_CHUNK) await deps.search.upsert(documents.slice(i, i + UPSERT_CHUNK));
  return { documents: documents.length };
}
