import { notFound } from '../errors.js';
import { implementationId } from './catalog-model.js';
import type { CatalogRepository } from './catalog-repository.js';
import type { VersionedHead, VersionRecord } from './versioned-store.js';

export interface VersionHistory {
  readonly key: string;
  readonly latestVersion: number;
  readonly publishedVersion?: number;
  readonly versions: readonly (VersionRecord<Record<string, unknown>> & { readonly current: boolean })[];
}

/**
 * The version history of a basic item, or with a region of its implementation there.
 * 1. 404 when the item (or the implementation in that region) does not exist;
 * 2. every version, oldest first, with who changed which fields when, its content, and whether
 *    it is the published (current) one.
 */
export async function listItemVersions(deps: { catalog: CatalogRepository }, input: { itemCode: string; region?: string }): Promise<VersionHistory> {
  const store = input.region === undefined ? deps.catalog.basicItems : deps.catalog.implementations;
  const key = input.region === undefined ? input.itemCode : implementationId(input.itemCode, input.region);
  const head: VersionedHead<object> | undefined = await store.head(key);
  if (!head) throw notFound(`No ${input.region === undefined ? 'basic item' : 'implementation'} ${key}`, 'item_not_found');
  const versions: VersionRecord<object>[] = await store.versions(key);
  return {
    key,
    latestVersion: head.latestVersion,
    ...(head.publishedVersion === undefined ? {} : { publishedVersion: head.publishedVersion }),
    versions: versions.map((record) => ({ ...record, content: { ...record.content }, current: record.version === head.publishedVersion })),
  };
}
