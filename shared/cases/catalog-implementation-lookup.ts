import type { RealNameLevel } from '../auth/principal.js';
import type { Implementation } from '../catalog/catalog-model.js';
import { EVERY_PUBLISHED, type CatalogRepository } from '../catalog/catalog-repository.js';
import { nearestImplementation } from '../catalog/get-service-guide.js';
import { mergeGuide } from '../catalog/service-guide.js';
import type { ImplementationFacts, ImplementationLookup } from '../ports/implementation-lookup.js';

/** basic items whose implementations are listed at once (one query each) */
const LISTING_CONCURRENCY = 16;

/** real-name level an application needs when the implementation does not say (identity card checked) */
export const DEFAULT_MIN_LEVEL: RealNameLevel = 3;

/** The implementation lookup of cases, read from the catalog table (published versions only). */
export function catalogImplementationLookup(catalog: CatalogRepository): ImplementationLookup {
  const factsOf = (basic: Parameters<typeof mergeGuide>[0], implementation: Implementation): ImplementationFacts => {
    const guide = mergeGuide(basic, implementation);
    return {
      itemCode: guide.code,
      itemName: guide.name,
      itemKind: guide.kind,
      region: implementation.region,
      agency: { uscc: implementation.agency.uscc, name: implementation.agency.name },
      legalBasis: guide.legalBasis,
      legalDays: guide.legalDays,
      promisedDays: guide.promisedDays,
      onlineApply: guide.onlineApply,
      materials: guide.materials.map(({ name, required }) => ({ name, required })),
      minLevel: minLevelOf(implementation),
    };
  };
  return {
    async forItemInRegion(itemCode, region) {
      const [basic, implementation] = await Promise.all([catalog.basicItems.head(itemCode), nearestImplementation(catalog, itemCode, region)]);
      if (!basic?.published || !implementation) return undefined;
      return factsOf(basic.published, implementation.content);
    },
    async *listPublished() {
      const items = (await catalog.basicItems.listPublished(EVERY_PUBLISHED)).flatMap((head) => (head.published ? [head.published] : []));
      for (let start = 0; start < items.length; start += LISTING_CONCURRENCY) {
        const slice = items.slice(start, start + LISTING_CONCURRENCY);
        const implementations = await Promise.all(slice.map((item) => catalog.implementations.listPublished(item.code)));
        for (const [index, heads] of implementations.entries()) {
          for (const head of heads) if (head.published) yield factsOf(slice[index]!, head.published);
        }
      }
    },
  };
}

/** an implementation may demand a real-name level of its own (`minLevel`); otherwise the default */
function minLevelOf(implementation: Implementation): RealNameLevel {
  const own = (implementation as Implementation & { readonly minLevel?: unknown }).minLevel;
  return typeof own === 'number' && Number.isInteger(own) && own >= 1 && own <= 5 ? (own as RealNameLevel) : DEFAULT_MIN_LEVEL;
}
