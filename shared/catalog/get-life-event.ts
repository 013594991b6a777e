import { invalidField, notFound } from '../errors.js';
import { regionTable } from '../regions/region-table.js';
import type { LifeEvent, Material } from './catalog-model.js';
import type { CatalogRepository } from './catalog-repository.js';
import { guideRegion, type GuideRegion } from '../regions/guide-region.js';
import { nearestImplementation } from './get-service-guide.js';
import { mergeGuide } from './service-guide.js';

export interface LifeEventStep {
  readonly order: number;
  readonly code: string;
  readonly name: string;
  readonly department: string;
  readonly promisedDays: number;
  readonly onlineApply: boolean;
  readonly region: GuideRegion;
  readonly implementationId?: string;
}

export interface LifeEventDetail extends Omit<LifeEvent, 'itemCodes'> {
  readonly region: GuideRegion;
  readonly items: readonly LifeEventStep[];
  /** the materials of every item, each named once: required when any item requires it */
  readonly materials: readonly (Material & { readonly usedBy: readonly string[] })[];
  /** promised days of all items added up: the longest the whole bundle may take when handled one after another */
  readonly totalPromisedDays: number;
}

/**
 * A life event with its chain of items as they apply in a region (item chain, GB/T 39047 6.2.2 c).
 * 1. the life event must be published (404); the region, when given, a GB/T 2260 code (422);
 * 2. each item in order, as the guide of the nearest implementation shows it (items no longer
 *    in the published catalog are left out);
 * 3. the combined materials, de-duplicated by name (required when any item requires it);
 * 4. the total of the promised days.
 */
export async function getLifeEvent(deps: { catalog: CatalogRepository }, input: { id: string; region?: string }): Promise<LifeEventDetail> {
  const event = (await deps.catalog.lifeEvents.head(input.id))?.published;
  if (!event) throw notFound(`No life event ${input.id}`, 'life_event_not_found');
  if (input.region !== undefined && !regionTable().get(input.region)) throw invalidField('query.region', 'is not a GB/T 2260 region code');
  const basics = new Map((await deps.catalog.basicItems.heads(event.itemCodes)).flatMap((head) => (head.published ? [[head.key, head.published] as const] : [])));
  const guides = await Promise.all(
    event.itemCodes.flatMap((code) => {
      const basic = basics.get(code);
      return basic ? [nearestImplementation(deps.catalog, code, input.region).then((found) => mergeGuide(basic, found?.content))] : [];
    }),
  );
  const materials = new Map<string, Material & { usedBy: string[] }>();
  for (const guide of guides) {
    for (const material of guide.materials) {
      const name = material.name.trim();
      const seen = materials.get(name);
      if (seen) {
        seen.usedBy.push(guide.code);
        if (material.required && !seen.required) materials.set(name, { ...seen, required: true });
      } else {
        materials.set(name, { ...material, name, usedBy: [guide.code] });
      }
    }
  }
  const { itemCodes: _itemCodes, ...described } = event;
  return {
    ...described,
    region: input.region === undefined ? guideRegion('national') : guideRegion(input.region),
    items: guides.map((guide, index) => ({
      order: index + 1,
      code: guide.code,
      name: guide.name,
      department: guide.department,
      promisedDays: guide.promisedDays,
      onlineApply: guide.onlineApply,
      region: guideRegion(guide.region),
      ...(guide.implementation ? { implementationId: guide.implementation.id } : {}),
    })),
    materials: [...materials.values()],
    totalPromisedDays: guides.reduce((sum, guide) => sum + guide.promisedDays, 0),
  };
}
