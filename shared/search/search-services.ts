import { COLLAPSE_FIELD, catalogKeyOf, type SearchPayload } from '../catalog/search-document-ids.js';
import { trackPopularity, type PopularityRepository, type WarningLog } from '../catalog/popularity-repository.js';
import type { SearchBoost, SearchHit, SearchIndex, Suggestion } from '../ports/search-index.js';
import { NATIONAL, structuralRegionChain } from '../regions/region-codes.js';

export const SEARCH_FACETS = ['department', 'kind', 'theme', 'audience', 'region', 'type'] as const;

/** the more local an implementation, the higher it ranks: county, city, province, national */
const LOCALITY_FACTORS = [1.3, 1.2, 1.1] as const;
const SUGGESTIONS_WITH_RESULTS = 5;

export interface ServiceSearch {
  readonly q: string;
  /** GB/T 2260 code; absent: the national catalog only */
  readonly region?: string;
  readonly department?: string;
  readonly kind?: string;
  readonly audience?: string;
  readonly theme?: string;
  /** true: only what can be applied for online */
  readonly online?: boolean;
  readonly type?: SearchHit['type'];
  readonly page: number;
  readonly size: number;
}

export interface ServiceHit extends SearchPayload {
  readonly type: SearchHit['type'];
  readonly name: string;
  /** the name with matched words in <em>, HTML-escaped */
  readonly highlight: string;
  readonly score: number;
}

export interface TermSuggestion {
  readonly text: string;
  readonly type: SearchHit['type'];
  readonly code?: string;
  readonly id?: string;
}

export interface ServiceSearchResult {
  readonly hits: readonly ServiceHit[];
  readonly total: number;
  readonly page: number;
  readonly size: number;
  readonly region: string;
  readonly facets: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly suggestions: readonly TermSuggestion[];
}

/** A completion as the API shows it: the item code of items and guides, the id of the rest. */
export function termSuggestion(suggestion: Suggestion): TermSuggestion {
  return { text: suggestion.text, type: suggestion.type, ...catalogKeyOf(suggestion.id, suggestion.type) };
}

/**
 * Unified search over items, guides, policies and life events (GB/T 39047 6.1.5).
 * 1. region matching: with a region, what is available there (its own, its city's and province's
 *    implementations and policies, and national content), each item once in its most local
 *    form, ranked up by locality; without one, the national catalog;
 * 2. multi-condition filters (department, kind, audience, theme, online, type) with facet counts
 *    over every match;
 * 3. the text is analysed by the index (segmentation, traditional → simplified, filler words,
 *    synonyms and aliases); odd text is plain words, never an error;
 * 4. suggestions for the text (completions, or a typo's correction);
 * 5. the top item counts as searched in the region (best effort), feeding recommendations.
 */
export async function searchServices(
  deps: { search: SearchIndex; popularity: PopularityRepository; logger: WarningLog },
  input: ServiceSearch,
): Promise<ServiceSearchResult> {
  const regions = input.region === undefined ? [NATIONAL] : [...structuralRegionChain(input.region), NATIONAL];
  const boosts: SearchBoost[] =
    input.region === undefined ? [] : structuralRegionChain(input.region).map((value, level) => ({ field: 'region', value, factor: LOCALITY_FACTORS[level] ?? 1 }));
  const filters: Record<string, string | readonly string[]> = { region: regions };
  if (input.department) filters.department = input.department;
  if (input.kind) filters.kind = input.kind;
  if (input.audience) filters.audience = input.audience;
  if (input.theme) filters.theme = input.theme;
  if (input.online !== undefined) filters.online = input.online ? 'yes' : 'no';
  if (input.type) filters.type = input.type;
  const text = input.q.trim();
  const [result, suggestions] = await Promise.all([
    deps.search.search({ text, filters, facets: [...SEARCH_FACETS], boosts, collapse: COLLAPSE_FIELD, from: (input.page - 1) * input.size, size: input.size }),
    text === '' ? Promise.resolve([]) : deps.search.suggest(text, SUGGESTIONS_WITH_RESULTS),
  ]);
  const hits = result.hits.map(toServiceHit);
  const top = hits.find((hit) => hit.code !== undefined);
  if (text !== '' && top?.code) await trackPopularity(deps, { regions: [input.region ?? NATIONAL, NATIONAL], itemCode: top.code, event: 'searches' });
  return {
    hits,
    total: result.total,
    page: input.page,
    size: input.size,
    region: input.region ?? NATIONAL,
    facets: result.facets,
    suggestions: suggestions.map(termSuggestion),
  };
}

function toServiceHit(hit: SearchHit): ServiceHit {
  const payload = (hit.payload ?? {}) as Partial<SearchPayload>;
  const optional = <K extends keyof SearchPayload>(key: K) => (payload[key] === undefined ? {} : { [key]: payload[key] });
  return {
    type: hit.type,
    ...catalogKeyOf(hit.id, hit.type),
    name: hit.title,
    highlight: hit.highlight,
    region: payload.region ?? NATIONAL,
    regionName: payload.regionName ?? '',
    ...optional('department'),
    ...optional('agency'),
    ...optional('promisedDays'),
    ...optional('onlineDepth'),
    ...optional('issuedOn'),
    score: Math.round(hit.score * 1000) / 1000,
  };
}

/**
 * Search-term assistance: completions of a prefix from names and aliases, by full pinyin and
 * pinyin initials, and the correction of a one-character typo when nothing completes it.
 */
export async function suggestSearchTerms(deps: { search: SearchIndex }, input: { prefix: string; limit: number }): Promise<TermSuggestion[]> {
  return (await deps.search.suggest(input.prefix, input.limit)).map(termSuggestion);
}
