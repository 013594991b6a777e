import { notFound } from '../errors.js';
import type { CatalogRepository } from './catalog-repository.js';
import { guideRegion, type GuideRegion } from '../regions/guide-region.js';
import { mergeGuide } from './service-guide.js';

export interface ImplementationComparison {
  readonly id: string;
  readonly region: GuideRegion;
  readonly agency: string;
  readonly promisedDays: number;
  /** promised days saved against the legal limit, as a share of it */
  readonly compression: number;
  readonly materialsCount: number;
  readonly requiredMaterialsCount: number;
  readonly onlineDepth: number;
  readonly fee: boolean;
}

export interface ItemAnalysis {
  readonly code: string;
  readonly name: string;
  readonly legalDays: number;
  readonly national: { readonly promisedDays: number; readonly materialsCount: number; readonly onlineDepth: number; readonly fee: boolean };
  readonly implementations: readonly ImplementationComparison[];
  readonly summary: {
    readonly regions: number;
    readonly promisedDays: { readonly min: number; readonly max: number; readonly average: number } | null;
    readonly fullyOnline: number;
    readonly charging: number;
  };
}

/**
 * Compares the implementations of one basic item across regions (事项分析, GB/T 39047 6.2.2 b).
 * 1. the item must be published (404);
 * 2. each published implementation merged with the basic item: promised days and their
 *    compression against the legal limit, materials, online depth, fee;
 * 3. the fastest first, with a summary (range and average of promised days, how many regions
 *    serve it fully online, how many charge).
 */
export async function analyzeItem(deps: { catalog: CatalogRepository }, input: { itemCode: string }): Promise<ItemAnalysis> {
  const head = await deps.catalog.basicItems.head(input.itemCode);
  const item = head?.published;
  if (!item) throw notFound(`No published item ${input.itemCode}`, 'item_not_found');
  const implementations = (await deps.catalog.implementations.listPublished(input.itemCode))
    .flatMap((implementation) => (implementation.published ? [implementation.published] : []))
    .map((implementation): ImplementationComparison => {
      const guide = mergeGuide(item, implementation);
      return {
        id: guide.implementation!.id,
        region: guideRegion(implementation.region),
        agency: implementation.agency.name,
        promisedDays: guide.promisedDays,
        compression: item.legalDays === 0 ? 0 : Math.round((1 - guide.promisedDays / item.legalDays) * 100) / 100,
        materialsCount: guide.materials.length,
        requiredMaterialsCount: guide.materials.filter((material) => material.required).length,
        onlineDepth: guide.onlineDepth,
        fee: guide.fee,
      };
    })
    .sort((a, b) => a.promisedDays - b.promisedDays || a.materialsCount - b.materialsCount || a.id.localeCompare(b.id));
  const days = implementations.map((implementation) => implementation.promisedDays);
  return {
    code: item.code,
    name: item.name,
    legalDays: item.legalDays,
    national: { promisedDays: item.promisedDays, materialsCount: item.materials.length, onlineDepth: item.onlineDepth, fee: item.fee },
    implementations,
    summary: {
      regions: implementations.length,
      promisedDays: days.length === 0 ? null : { min: Math.min(...days), max: Math.max(...days), average: Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10 },
      fullyOnline: implementations.filter((implementation) => implementation.onlineDepth === 4).length,
      charging: implementations.filter((implementation) => implementation.fee).length,
    },
  };
}
