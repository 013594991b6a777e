import type { SearchDocument } from '../ports/search-index.js';
import { NATIONAL } from '../regions/region-codes.js';
import type { BasicItem, Implementation, LifeEvent, Policy } from './catalog-model.js';
import { COLLAPSE_FIELD, guideDocumentId, itemDocumentId, lifeEventDocumentId, policyDocumentId, type SearchPayload } from './search-document-ids.js';
import { guideRegion } from '../regions/guide-region.js';
import { mergeGuide, type MergedGuide } from './service-guide.js';

/**
 * How catalog content becomes search documents (the index is a projection of the catalog table):
 * - a published basic item → `item:<code>`, region 'national';
 * - a published implementation → `guide:<code>:<region>`, the guide as it reads in that region;
 * - a published policy → `policy:<id>`; a published life event → `life-event:<id>`.
 * Every document carries the facet COLLAPSE_FIELD: an item's code for items and guides (so a
 * search shows each item once, in its most local form), its own id for the rest.
 * Versions are publish counts; a guide's combines both sources, the basic item's count first, so
 * it grows whenever either is published again (at most 999,999 publications of one implementation).
 */
const GUIDE_VERSION_FACTOR = 1_000_000;

function guideFacets(guide: MergedGuide): SearchDocument['facets'] {
  return {
    [COLLAPSE_FIELD]: guide.code,
    type: guide.implementation ? 'guide' : 'item',
    region: guide.region,
    department: guide.department,
    kind: guide.kind,
    audience: [...guide.audience],
    theme: [...guide.themes],
    online: guide.onlineApply ? 'yes' : 'no',
  };
}

function guideDocument(id: string, type: 'item' | 'guide', guide: MergedGuide, version: number): SearchDocument {
  const region = guideRegion(guide.region);
  const agency = guide.implementation?.agency.name;
  const payload: SearchPayload = {
    code: guide.code,
    region: guide.region,
    regionName: region.fullName,
    department: guide.department,
    ...(agency ? { agency } : {}),
    promisedDays: guide.promisedDays,
    onlineDepth: guide.onlineDepth,
  };
  return {
    id,
    type,
    title: guide.name,
    aliases: [...guide.aliases],
    body: [...guide.themes, ...guide.lifeEvents, guide.kind, guide.department, ...(agency ? [agency, region.fullName] : [])].join(' '),
    facets: guideFacets(guide),
    version,
    payload: { ...payload },
  };
}

export function itemDocument(item: BasicItem, publishCount: number): SearchDocument {
  return guideDocument(itemDocumentId(item.code), 'item', mergeGuide(item), publishCount);
}

export function implementationDocument(item: BasicItem, basicPublishCount: number, implementation: Implementation, publishCount: number): SearchDocument {
  const id = guideDocumentId(item.code, implementation.region);
  return guideDocument(id, 'guide', mergeGuide(item, implementation), basicPublishCount * GUIDE_VERSION_FACTOR + publishCount);
}

/** A policy, also found by the names and aliases of the items it relates to. */
export function policyDocument(policy: Policy, publishCount: number, relatedItems: readonly BasicItem[]): SearchDocument {
  const region = guideRegion(policy.region);
  const payload: SearchPayload = { id: policy.id, region: policy.region, regionName: region.fullName, department: policy.issuer, issuedOn: policy.issuedOn };
  return {
    id: policyDocumentId(policy.id),
    type: 'policy',
    title: policy.title,
    aliases: [],
    body: [policy.body, policy.issuer, ...relatedItems.flatMap((item) => [item.name, ...item.aliases])].join(' '),
    facets: { [COLLAPSE_FIELD]: policyDocumentId(policy.id), type: 'policy', region: policy.region, department: policy.issuer, kind: '政策文件', theme: [...policy.themes] },
    version: publishCount,
    payload: { ...payload },
  };
}

/** A life event, found by its own words and the names of its items. */
export function lifeEventDocument(event: LifeEvent, publishCount: number, items: readonly BasicItem[]): SearchDocument {
  const payload: SearchPayload = { id: event.id, region: NATIONAL, regionName: guideRegion(NATIONAL).fullName };
  return {
    id: lifeEventDocumentId(event.id),
    type: 'life-event',
    title: event.name,
    aliases: [...event.aliases],
    body: [event.description, ...items.map((item) => item.name)].join(' '),
    facets: {
      [COLLAPSE_FIELD]: lifeEventDocumentId(event.id),
      type: 'life-event',
      region: NATIONAL,
      kind: '一件事',
      audience: [...new Set(items.flatMap((item) => item.audience))],
      theme: [...new Set(items.flatMap((item) => item.themes))],
    },
    version: publishCount,
    payload: { ...payload },
  };
}
