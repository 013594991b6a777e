import { SEARCH_LIMITS, type SearchBoost, type SearchQuery } from '../ports/search-index.js';

/**
 * A search query with every bound applied, read the same way by the local index and the
 * OpenSearch adapter so both page, clamp and filter alike.
 */
export interface NormalizedSearchQuery {
  /** well-formed, trimmed, at most SEARCH_LIMITS.maxQueryChars long; '' means "list by filters" */
  readonly text: string;
  /** facet field → accepted values; fields without values are left out */
  readonly filters: Readonly<Record<string, readonly string[]>>;
  /** true when a filter names a field that cannot exist, so nothing can match */
  readonly matchesNothing: boolean;
  readonly facets: readonly string[];
  /** well-formed boosts only (facet name, string value, factor clamped to the limits), at most SEARCH_LIMITS.maxBoosts */
  readonly boosts: readonly SearchBoost[];
  /** the grouping facet field, when it is a facet name */
  readonly collapse: string | undefined;
  readonly from: number;
  readonly size: number;
}

/** Facet names become field paths in OpenSearch, so only plain identifiers are accepted. */
const FACET_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function isFacetName(name: string): boolean {
  return FACET_NAME.test(name);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces unpaired surrogates (which tokenizers and JSON parsers reject or mangle) with U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Cuts user text to `maxChars` UTF-16 units without leaving half a surrogate pair behind. */
export function boundedText(text: string, maxChars: number): string {
  return wellFormed(String(text ?? '').slice(0, maxChars)).trim();
}

export function normalizeSearchQuery(query: SearchQuery): NormalizedSearchQuery {
  const size = clampInteger(query.size, SEARCH_LIMITS.defaultPageSize, 0, SEARCH_LIMITS.maxPageSize);
  const from = clampInteger(query.from, 0, 0, SEARCH_LIMITS.maxResultWindow - size);
  const filters: Record<string, readonly string[]> = {};
  let matchesNothing = false;
  for (const [field, accepted] of Object.entries(query.filters ?? {})) {
    const values = (typeof accepted === 'string' ? [accepted] : [...accepted]).filter((value) => typeof value === 'string');
    if (values.length === 0) continue;
    if (isFacetName(field)) filters[field] = [...new Set(values)];
    else matchesNothing = true;
  }
  const facets = [...new Set((query.facets ?? []).filter(isFacetName))];
  const boosts = (query.boosts ?? [])
    .filter((boost) => isFacetName(boost.field) && typeof boost.value === 'string' && Number.isFinite(boost.factor))
    .slice(0, SEARCH_LIMITS.maxBoosts)
    .map((boost) => ({ field: boost.field, value: boost.value, factor: Math.max(SEARCH_LIMITS.minBoostFactor, Math.min(SEARCH_LIMITS.maxBoostFactor, boost.factor)) }));
  const collapse = query.collapse !== undefined && isFacetName(query.collapse) ? query.collapse : undefined;
  return { text: boundedText(query.text, SEARCH_LIMITS.maxQueryChars), filters, matchesNothing, facets, boosts, collapse, from, size };
}

/** The product of the factors of the boosts a document's facets match (1 when none). */
export function boostFactor(facets: Readonly<Record<string, string | readonly string[]>>, boosts: readonly SearchBoost[]): number {
  let factor = 1;
  for (const boost of boosts) {
    const value = facets[boost.field];
    if (value === boost.value || (Array.isArray(value) && value.includes(boost.value))) factor *= boost.factor;
  }
  return factor;
}

/** Number of suggestions to return: the default when absent, at most SEARCH_LIMITS.maxSuggestions. */
export function suggestionLimit(limit: number | undefined): number {
  return clampInteger(limit, SEARCH_LIMITS.defaultSuggestions, 1, SEARCH_LIMITS.maxSuggestions);
}

function clampInteger(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return Math.max(min, Math.min(max, fallback));
  return Math.max(min, Math.min(max, Math.floor(value)));
}
