import { notFound } from '../errors.js';
import { NATIONAL, structuralRegionChain } from '../regions/region-codes.js';
import type { Policy } from './catalog-model.js';
import { EVERY_PUBLISHED, type CatalogRepository } from './catalog-repository.js';

/**
 * Published policies that apply in a region (its own, its enclosing regions' and national ones)
 * and to a theme, newest first, one page at a time.
 */
export async function listPolicies(
  deps: { catalog: CatalogRepository },
  input: { region?: string; theme?: string; page: number; size: number },
): Promise<{ policies: Policy[]; total: number }> {
  const applies = input.region === undefined ? undefined : new Set([...structuralRegionChain(input.region), NATIONAL]);
  const policies = (await deps.catalog.policies.listPublished(EVERY_PUBLISHED))
    .flatMap((head) => (head.published ? [head.published] : []))
    .filter((policy) => (applies === undefined || applies.has(policy.region)) && (input.theme === undefined || policy.themes.includes(input.theme)))
    .reverse();
  const start = (input.page - 1) * input.size;
  return { policies: policies.slice(start, start + input.size), total: policies.length };
}

/** A published policy document; 404 when there is none. */
export async function getPolicy(deps: { catalog: CatalogRepository }, input: { id: string }): Promise<Policy> {
  const policy = (await deps.catalog.policies.head(input.id))?.published;
  if (!policy) throw notFound(`No policy ${input.id}`, 'policy_not_found');
  return policy;
}
