import type { SearchDocument, SearchIndex } from '../ports/search-index.js';
import type { BasicItem } from './catalog-model.js';
import type { CatalogChange } from './catalog-changes.js';
import type { CatalogRepository } from './catalog-repository.js';
import { implementationDocument, itemDocument, lifeEventDocument, policyDocument } from './search-documents.js';

export interface IndexOutcome {
  readonly indexed: readonly string[];
  /** documents the index already holds at a newer version: left alone */
  readonly stale: readonly string[];
  /** why nothing was indexed (the version or its basic item is missing) */
  readonly skipped?: string;
}

async function publishedItems(catalog: CatalogRepository, codes: readonly string[]): Promise<BasicItem[]> {
  const heads = await catalog.basicItems.heads(codes);
  const byCode = new Map(heads.flatMap((head) => (head.published ? [[head.key, head.published] as const] : [])));
  return codes.flatMap((code) => byCode.get(code) ?? []);
}

/**
 * Projects one catalog publication into the search index (catalog-indexer).
 * 1. read the version the message names (immutable, so a repeated message projects the same);
 * 2. build its documents: a basic item → its item document and the guide of every published
 *    implementation; an implementation → its guide over the current basic item; a policy or a
 *    life event → its document;
 * 3. upsert them with their versions: the index keeps whichever is newer, so messages may arrive
 *    late, twice or out of order and a stale one never overwrites a newer document.
 * A message naming a version that does not exist is skipped (retrying cannot help).
 */
export async function indexCatalogChange(deps: { catalog: CatalogRepository; search: SearchIndex }, change: CatalogChange): Promise<IndexOutcome> {
  const documents = await documentsOf(deps.catalog, change);
  if (typeof documents === 'string') return { indexed: [], stale: [], skipped: documents };
  const { stale } = await deps.search.upsert(documents);
  const staleIds = new Set(stale);
  return { indexed: documents.map((doc) => doc.id).filter((id) => !staleIds.has(id)), stale };
}

async function documentsOf(catalog: CatalogRepository, change: CatalogChange): Promise<SearchDocument[] | string> {
  switch (change.kind) {
    case 'basic-item': {
      const record = await catalog.basicItems.version(change.key, change.version);
      if (!record) return `basic item ${change.key} has no version ${change.version}`;
      const implementations = await catalog.implementations.listPublished(change.key);
      return [
        itemDocument(record.content, change.publishCount),
        ...implementations.flatMap((head) => (head.published ? [implementationDocument(record.content, change.publishCount, head.published, head.publishCount)] : [])),
      ];
    }
    case 'implementation': {
      const record = await catalog.implementations.version(change.key, change.version);
      if (!record) return `implementation ${change.key} has no version ${change.version}`;
      const basic = await catalog.basicItems.head(record.content.itemCode);
      if (!basic?.published) return `basic item ${record.content.itemCode} is not published`;
      return [implementationDocument(basic.published, basic.publishCount, record.content, change.publishCount)];
    }
    case 'policy': {
      const record = await catalog.policies.version(change.key, change.version);
      if (!record) return `policy ${change.key} has no version ${change.version}`;
      return [policyDocument(record.content, change.publishCount, await publishedItems(catalog, record.content.relatedItems))];
    }
    case 'life-event': {
      const record = await catalog.lifeEvents.version(change.key, change.version);
      if (!record) return `life event ${change.key} has no version ${change.version}`;
      return [lifeEventDocument(record.content, change.publishCount, await publishedItems(catalog, record.content.itemCodes))];
    }
  }
}
