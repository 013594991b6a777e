/**
 * Full-text index over published catalog content (OpenSearch in AWS, an in-process index locally).
 * A projection: the tables are the source of truth and the index can be rebuilt from them.
 */
export interface SearchDocument {
  /** unique per document, e.g. "item:SC-XK-0001:330106" */
  readonly id: string;
  readonly type: 'item' | 'guide' | 'policy' | 'life-event';
  readonly title: string;
  readonly body?: string;
  /** alternative names and synonyms that should match like the title */
  readonly aliases?: readonly string[];
  /** exact-match attributes used for filters and facets (region, department, kind, audience, theme, online) */
  readonly facets: Readonly<Record<string, string | readonly string[]>>;
  /** monotonic version: an upsert with a lower version than the stored one is ignored */
  readonly version: number;
  /** anything the caller wants back with a hit */
  readonly payload?: Readonly<Record<string, unknown>>;
}

/** Multiplies the score of every document whose facet `field` holds `value`. */
export interface SearchBoost {
  readonly field: string;
  readonly value: string;
  /** from 0.1 to 10 */
  readonly factor: number;
}

export interface SearchQuery {
  /** free text; empty (or blank) text lists every document that passes the filters */
  readonly text: string;
  /** facet field → accepted values (OR within a field, AND across fields); an empty list filters nothing */
  readonly filters?: Readonly<Record<string, string | readonly string[]>>;
  /** facet fields to count over the matching documents */
  readonly facets?: readonly string[];
  /** score multipliers; a document matching several gets their product */
  readonly boosts?: readonly SearchBoost[];
  /**
   * a facet field that groups documents (e.g. every implementation of one item): only the best
   * ranked document of each group is a hit, and `total` and facet counts count groups. Every
   * document of the index should carry the field (single-valued).
   */
  readonly collapse?: string;
  readonly from?: number;
  readonly size?: number;
}

export interface SearchHit {
  readonly id: string;
  readonly type: SearchDocument['type'];
  readonly title: string;
  readonly score: number;
  /** title or body fragment with matched terms wrapped in <em></em> */
  readonly highlight: string;
  readonly facets: SearchDocument['facets'];
  readonly payload?: SearchDocument['payload'];
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly total: number;
  readonly facets: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface Suggestion {
  readonly text: string;
  readonly id: string;
  readonly type: SearchDocument['type'];
}

/** Bounds every adapter applies the same way: larger values are clamped, longer query text is cut. */
export const SEARCH_LIMITS = {
  defaultPageSize: 10,
  maxPageSize: 100,
  /** from + size never reaches past this (OpenSearch's index.max_result_window) */
  maxResultWindow: 10_000,
  maxQueryChars: 200,
  defaultSuggestions: 10,
  maxSuggestions: 20,
  maxBoosts: 10,
  minBoostFactor: 0.1,
  maxBoostFactor: 10,
  /** prefixes at least this many characters long are also completed with one typo */
  minTypoPrefixChars: 3,
} as const;

export interface SearchIndex {
  /** upserts documents; returns the ids that were stale (lower version than stored) and left alone */
  upsert(docs: readonly SearchDocument[]): Promise<{ stale: string[] }>;
  remove(ids: readonly string[]): Promise<void>;
  /**
   * Ranked hits of one page, the total and facet counts over all matches. The text is analysed
   * with the shared query vocabulary (shared/search/query-vocabulary.ts): filler words are
   * dropped and a colloquial term also matches its formal synonyms. Every remaining term must
   * match (in title, aliases or body) unless no document has them all; then any term suffices.
   * Empty text lists by score (1 times the boosts), then title. Never throws on odd text:
   * quotes and operators are plain words.
   */
  search(query: SearchQuery): Promise<SearchResult>;
  /**
   * Completions by prefix of the title or aliases, also by full pinyin and pinyin initials. When
   * nothing completes a prefix of three or more characters, it is read as a typo: titles and
   * aliases whose beginning is one character edit away from it are suggested.
   */
  suggest(prefix: string, limit?: number): Promise<Suggestion[]>;
  count(): Promise<number>;
  ping(): Promise<void>;
}
