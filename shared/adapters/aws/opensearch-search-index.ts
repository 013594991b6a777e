import { SEARCH_LIMITS, type SearchDocument, type SearchHit, type SearchIndex, type SearchQuery, type SearchResult, type Suggestion } from '../../ports/search-index.js';
import { escapeHtml } from '../../search/html-escape.js';
import { envNames, required } from '../../config.js';
import { QUERY_STOP_WORDS, QUERY_SYNONYMS } from '../../search/query-vocabulary.js';
import { boundedText, normalizeSearchQuery, suggestionLimit } from '../../search/search-query.js';
import { encodePath, lambdaCredentials, signedFetch, type CredentialsProvider, type SignedResponse } from './signed-fetch.js';

/**
 * The part of the OpenSearch REST API this adapter uses, in the shape of the OpenSearch JS
 * client's methods (createOpenSearchClient implements it on signed fetch); unit tests pass a
 * plain object.
 */
export interface OpenSearchIndexClient {
  bulk(params: { index: string; body: object[]; refresh?: boolean | 'wait_for' }): Promise<{ body: BulkResponseBody }>;
  mget(params: { index: string; body: { ids: string[] }; _source?: boolean }): Promise<{ body: MgetResponseBody }>;
  search(params: { index: string; body: object }): Promise<{ body: SearchResponseBody }>;
  count(params: { index: string }): Promise<{ body: { count: number } }>;
  indices: {
    exists(params: { index: string }): Promise<{ body: boolean }>;
    create(params: { index: string; body: object }): Promise<unknown>;
  };
}

interface BulkItem {
  readonly status: number;
  readonly _id?: string | null;
  readonly error?: { readonly type?: string } | null;
}

interface BulkResponseBody {
  readonly errors: boolean;
  readonly items: readonly Partial<Record<string, BulkItem>>[];
}

interface MgetResponseBody {
  readonly docs: readonly { readonly _id?: string; readonly found?: boolean; readonly _version?: number }[];
}

interface SearchResponseBody {
  readonly hits: {
    readonly total?: number | { readonly value: number };
    readonly hits: readonly {
      readonly _score?: number | string | null;
      readonly _source?: unknown;
      readonly highlight?: Record<string, readonly string[]>;
    }[];
  };
  readonly aggregations?: Record<string, unknown>;
}

/** Thrown for an OpenSearch answer outside 2xx; names the status and OpenSearch's error type, never the reason (it may quote documents). */
export class OpenSearchResponseError extends Error {
  constructor(
    readonly request: string,
    readonly statusCode: number,
    readonly type: string | undefined,
  ) {
    super(`opensearch: ${request} failed with ${statusCode}${type === undefined ? '' : ` ${type}`}`);
    this.name = 'OpenSearchResponseError';
  }
}

/**
 * An OpenSearchIndexClient for an Amazon OpenSearch Service domain over signed fetch (service
 * 'es'; the OpenSearch JS client would not fit the bundle budget). Credentials default to the
 * Lambda role's; tests inject fetch.
 * - every method answers `{ body }` with the parsed JSON, as the OpenSearch JS client does;
 * - `indices.exists` answers true for 200 and false for 404;
 * - any other status outside 2xx throws OpenSearchResponseError.
 */
export function createOpenSearchClient(
  endpoint: string,
  region: string,
  options: { credentials?: CredentialsProvider; fetch?: typeof fetch } = {},
): OpenSearchIndexClient {
  const send = signedFetch({
    service: 'es',
    region,
    credentials: options.credentials ?? lambdaCredentials(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const base = endpoint.replace(/\/+$/, '');
  const indexPath = (index: string) => `/${encodePath(index)}`;

  function request(method: string, path: string, body?: { text: string; contentType: string }): Promise<SignedResponse> {
    return send({ method, url: `${base}${path}`, ...(body ? { headers: { 'content-type': body.contentType }, body: body.text } : {}) });
  }

  async function answer<T>(method: string, path: string, body?: { text: string; contentType: string }): Promise<{ body: T }> {
    const response = await request(method, path, body);
    assertSucceeded(method, path, response);
    return { body: JSON.parse(new TextDecoder().decode(response.body)) as T };
  }

  return {
    bulk: ({ index, body, refresh }) => answer('POST', `${indexPath(index)}/_bulk${refresh === undefined ? '' : `?refresh=${refresh}`}`, asNdjson(body)),
    mget: ({ index, body, _source }) => answer('POST', `${indexPath(index)}/_mget${_source === undefined ? '' : `?_source=${_source}`}`, asJson(body)),
    search: ({ index, body }) => answer('POST', `${indexPath(index)}/_search`, asJson(body)),
    count: ({ index }) => answer('GET', `${indexPath(index)}/_count`),
    indices: {
      async exists({ index }) {
        const response = await request('HEAD', indexPath(index));
        if (response.status === 404) return { body: false };
        assertSucceeded('HEAD', indexPath(index), response);
        return { body: true };
      },
      create: ({ index, body }) => answer('PUT', indexPath(index), asJson(body)),
    },
  };
}

const asJson = (value: object) => ({ text: JSON.stringify(value), contentType: 'application/json' });

/** the bulk API reads one JSON document per line, the last one ended by a newline too */
const asNdjson = (lines: readonly object[]) => ({ text: lines.map((line) => `${JSON.stringify(line)}\n`).join(''), contentType: 'application/x-ndjson' });

function assertSucceeded(method: string, path: string, response: SignedResponse): void {
  if (response.status >= 200 && response.status < 300) return;
  throw new OpenSearchResponseError(`${method} ${path.split('?')[0]}`, response.status, errorTypeOf(response.body));
}

/** OpenSearch errors are `{ error: { type, reason }, status }`; HEAD answers and proxies' pages have no such body. */
function errorTypeOf(body: Uint8Array): string | undefined {
  try {
    const type = (JSON.parse(new TextDecoder().decode(body)) as { error?: { type?: unknown } } | null)?.error?.type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/** Buckets returned per facet; regions and departments of one platform stay well below this. */
const FACET_BUCKETS = 100;
const MAX_SUGGEST_PREFIX_CHARS = 50;
const SOURCE_FIELDS = ['id', 'type', 'title', 'facets', 'payload'];

/**
 * Index settings and mappings, kept in code so every environment builds the same index.
 * Amazon OpenSearch Service ships the IK analyzer on every domain; the pinyin and STConvert
 * plugins are optional packages that must be associated with the domain before this index
 * is created. Text is folded traditional → simplified before tokenizing (STConvert char filter),
 * indexed with ik_max_word (words and their sub-words) and searched with ik_smart (precise cut),
 * the same split the local index makes with jieba's search and precise modes. Titles and
 * aliases carry a pinyin sub-field holding the joined full pinyin and the initials of the
 * whole text and a words_pinyin sub-field holding those of each word (社保卡 in 办社保卡), for
 * completion by pinyin prefix, and a beginnings sub-field (edge n-grams of the
 * whole folded text) that a fuzzy query reads to correct a typo in a prefix.
 * The search analyzer applies the shared query vocabulary (shared/search/query-vocabulary.ts):
 * filler words are stopped and colloquial terms expand to their formal synonyms; its domain
 * words belong in the IK custom dictionary of the domain (a package like the plugins).
 */
export function searchIndexMappings(): { settings: object; mappings: object } {
  const chineseText = {
    type: 'text',
    analyzer: 'chinese_index',
    search_analyzer: 'chinese_search',
  };
  const completable = {
    ...chineseText,
    fields: {
      keyword: { type: 'keyword', ignore_above: 256 },
      pinyin: { type: 'text', analyzer: 'chinese_pinyin', search_analyzer: 'keyword' },
      beginnings: { type: 'text', analyzer: 'whole_text_beginnings', search_analyzer: 'keyword' },
      words_pinyin: { type: 'text', analyzer: 'words_pinyin', search_analyzer: 'keyword' },
    },
  };
  // the pinyin plugin's settings for joined full pinyin plus initials, used whole-text and per word
  const joinedPinyinAndInitials = {
    type: 'pinyin',
    keep_joined_full_pinyin: true,
    keep_first_letter: true,
    keep_full_pinyin: false,
    keep_separate_first_letter: false,
    keep_original: false,
    lowercase: true,
    remove_duplicated_term: true,
  };
  return {
    settings: {
      analysis: {
        char_filter: {
          traditional_to_simplified: { type: 'stconvert', convert_type: 't2s' },
        },
        tokenizer: {
          whole_text_pinyin: {
            ...joinedPinyinAndInitials,
            keep_none_chinese: true,
            keep_none_chinese_in_first_letter: true,
            keep_none_chinese_in_joined_full_pinyin: true,
            none_chinese_pinyin_tokenize: false,
            limit_first_letter_length: 64,
          },
        },
        filter: {
          word_pinyin: { ...joinedPinyinAndInitials, keep_none_chinese: false },
          query_stop_words: { type: 'stop', stopwords: [...QUERY_STOP_WORDS] },
          query_synonyms: { type: 'synonym_graph', lenient: true, synonyms: synonymRules() },
          beginnings: { type: 'edge_ngram', min_gram: 1, max_gram: 32 },
        },
        analyzer: {
          chinese_index: {
            type: 'custom',
            char_filter: ['traditional_to_simplified'],
            tokenizer: 'ik_max_word',
            filter: ['cjk_width', 'lowercase'],
          },
          chinese_search: {
            type: 'custom',
            char_filter: ['traditional_to_simplified'],
            tokenizer: 'ik_smart',
            filter: ['cjk_width', 'lowercase', 'query_stop_words', 'query_synonyms'],
          },
          words_pinyin: {
            type: 'custom',
            char_filter: ['traditional_to_simplified'],
            tokenizer: 'ik_max_word',
            filter: ['word_pinyin'],
          },
          whole_text_beginnings: {
            type: 'custom',
            char_filter: ['traditional_to_simplified'],
            tokenizer: 'keyword',
            filter: ['cjk_width', 'lowercase', 'beginnings'],
          },
          chinese_pinyin: {
            type: 'custom',
            char_filter: ['traditional_to_simplified'],
            tokenizer: 'whole_text_pinyin',
          },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      dynamic_templates: [{ facet_values: { path_match: 'facets.*', mapping: { type: 'keyword' } } }],
      properties: {
        id: { type: 'keyword' },
        type: { type: 'keyword' },
        title: completable,
        aliases: completable,
        body: chineseText,
        facets: { type: 'object', dynamic: true },
        version: { type: 'long' },
        payload: { type: 'object', enabled: false },
      },
    },
  };
}

/** the synonym_graph rules of the query vocabulary: "term => term, synonym, …" (the term itself still matches) */
export function synonymRules(): string[] {
  return Object.entries(QUERY_SYNONYMS).map(([term, synonyms]) => `${term} => ${[term, ...synonyms.filter((s) => s !== term)].join(', ')}`);
}

/** name of the aggregation that counts groups when collapsing (facet names cannot start with '_') */
const GROUP_COUNT = '_groups';
/** exact group counts up to this many groups (the cardinality aggregation is approximate beyond) */
const GROUP_COUNT_PRECISION = 10_000;

/**
 * The search request body for a query: a cross-field match of the user's text over title^3,
 * aliases^3 and body with the given operator (zero_terms_query none: a query of filler words
 * matches nothing), facet filters as `terms` (OR within a field) in a bool filter, one terms
 * aggregation per requested facet, and the title highlighted with <em> and HTML-escaped. User
 * text only ever goes into a match query, never into query_string, so operators and quotes in
 * it are plain words. Empty text matches all (score 1).
 * - boosts: a function_score whose weight functions multiply (score_mode and boost_mode multiply);
 * - collapse: field collapsing on the facet, a cardinality aggregation for the number of groups
 *   and, under each facet bucket, one for the groups in it;
 * - order: score, then (empty text) title, then id.
 */
export function buildSearchRequest(query: SearchQuery, options: { operator?: 'and' | 'or' } = {}): Record<string, unknown> {
  const normalized = normalizeSearchQuery(query);
  const filter: object[] = normalized.matchesNothing
    ? [{ match_none: {} }]
    : Object.entries(normalized.filters).map(([field, values]) => ({ terms: { [`facets.${field}`]: [...values] } }));
  const must: object[] =
    normalized.text === ''
      ? [{ match_all: {} }]
      : [
          {
            multi_match: {
              query: normalized.text,
              type: 'cross_fields',
              fields: ['title^3', 'aliases^3', 'body'],
              operator: options.operator ?? 'and',
              zero_terms_query: 'none',
            },
          },
        ];
  const matching = { bool: { must, filter } };
  const scored =
    normalized.boosts.length === 0
      ? matching
      : {
          function_score: {
            query: matching,
            functions: normalized.boosts.map((boost) => ({ filter: { term: { [`facets.${boost.field}`]: boost.value } }, weight: boost.factor })),
            score_mode: 'multiply',
            boost_mode: 'multiply',
          },
        };
  const collapse = normalized.collapse === undefined ? undefined : `facets.${normalized.collapse}`;
  const groupCount = collapse === undefined ? undefined : { cardinality: { field: collapse, precision_threshold: GROUP_COUNT_PRECISION } };
  const facetAggregations = Object.fromEntries(
    normalized.facets.map((field) => [
      field,
      { terms: { field: `facets.${field}`, size: FACET_BUCKETS }, ...(groupCount ? { aggs: { [GROUP_COUNT]: groupCount } } : {}) },
    ]),
  );
  return {
    from: normalized.from,
    size: normalized.size,
    track_total_hits: true,
    _source: SOURCE_FIELDS,
    query: scored,
    sort: normalized.text === '' ? ['_score', { 'title.keyword': 'asc' }, { id: 'asc' }] : ['_score', { id: 'asc' }],
    ...(collapse ? { collapse: { field: collapse } } : {}),
    aggs: { ...facetAggregations, ...(groupCount ? { [GROUP_COUNT]: groupCount } : {}) },
    highlight: {
      pre_tags: ['<em>'],
      post_tags: ['</em>'],
      encoder: 'html',
      fields: { title: { number_of_fragments: 0 } },
    },
  };
}

/**
 * The typo-correcting completion request for a prefix nothing completes: a fuzzy query (one edit)
 * on the beginnings of titles and aliases, titles first. Undefined for short prefixes.
 */
export function buildTypoSuggestRequest(prefix: string, limit: number): Record<string, unknown> | undefined {
  const text = boundedText(prefix, MAX_SUGGEST_PREFIX_CHARS).toLowerCase();
  if (Array.from(text).length < SEARCH_LIMITS.minTypoPrefixChars) return undefined;
  const fuzzy = (field: string, boost: number) => ({ fuzzy: { [field]: { value: text, fuzziness: 1, transpositions: true, boost } } });
  return {
    size: limit * 3,
    _source: ['id', 'type', 'title'],
    query: { bool: { should: [fuzzy('title.beginnings', 2), fuzzy('aliases.beginnings', 1)], minimum_should_match: 1 } },
    sort: ['_score', { 'title.keyword': 'asc' }, { id: 'asc' }],
  };
}

/**
 * The completion request for a prefix: prefix queries on the whole title and aliases, on their
 * words, and (for Latin input) on their whole pinyin and their words' pinyin, weighted in that order.
 */
export function buildSuggestRequest(prefix: string, limit: number): Record<string, unknown> | undefined {
  const text = boundedText(prefix, MAX_SUGGEST_PREFIX_CHARS);
  if (text === '') return undefined;
  const lower = text.toLowerCase();
  const compact = lower.replace(/[\s']/g, '');
  const should: object[] = [
    { prefix: { 'title.keyword': { value: text, case_insensitive: true, boost: 8 } } },
    { prefix: { 'aliases.keyword': { value: text, case_insensitive: true, boost: 7 } } },
    { prefix: { title: { value: lower, boost: 6 } } },
    { prefix: { aliases: { value: lower, boost: 5 } } },
  ];
  if (/^[a-z0-9]+$/.test(compact)) {
    should.push({ prefix: { 'title.pinyin': { value: compact, boost: 4 } } }, { prefix: { 'aliases.pinyin': { value: compact, boost: 3 } } });
    if (compact.length >= 2) {
      should.push({ prefix: { 'title.words_pinyin': { value: compact, boost: 2 } } }, { prefix: { 'aliases.words_pinyin': { value: compact, boost: 1 } } });
    }
  }
  return {
    // completions sharing a title collapse into one, so ask for a few more than needed
    size: limit * 3,
    _source: ['id', 'type', 'title'],
    query: { bool: { should, minimum_should_match: 1 } },
    sort: ['_score', { 'title.keyword': 'asc' }, { id: 'asc' }],
  };
}

/** Creates the index with searchIndexMappings() unless it exists. Run at deploy time or before the first upsert. */
export async function ensureSearchIndex(client: OpenSearchIndexClient, indexName: string): Promise<void> {
  const { body: exists } = await client.indices.exists({ index: indexName });
  if (!exists) await client.indices.create({ index: indexName, body: searchIndexMappings() });
}

export class SearchIndexWriteError extends Error {
  constructor(readonly failures: readonly { id: string; status: number; type: string }[]) {
    super(`search index: ${failures.length} document(s) failed: ${failures.map((f) => `${f.id} ${f.status} ${f.type}`).join(', ')}`);
    this.name = 'SearchIndexWriteError';
  }
}

/**
 * SearchIndex on Amazon OpenSearch Service.
 * - upsert: bulk index with external versioning, so OpenSearch itself refuses an older version
 *   (409); a 409 is then read back: an equal stored version was an idempotent repeat, anything
 *   else is reported stale. Versions must be non-negative safe integers.
 * - search: AND over the query terms first, OR only when AND finds nothing (as the local index).
 *   Unlike the local index it does not expand Latin terms by prefix or typo: cross_fields
 *   matching, which lets each term hit any field, allows no fuzziness.
 * - `refresh` makes writes visible to the next search (for contract tests; the indexer leaves it off).
 */
export function openSearchIndex(options: { client: OpenSearchIndexClient; indexName: string; refresh?: boolean }): SearchIndex {
  const { client, indexName: index } = options;
  const refresh = options.refresh ? ('wait_for' as const) : false;

  async function runSearch(query: SearchQuery, operator: 'and' | 'or'): Promise<SearchResponseBody> {
    const { body } = await client.search({ index, body: buildSearchRequest(query, { operator }) });
    return body;
  }

  return {
    async upsert(docs) {
      if (docs.length === 0) return { stale: [] };
      for (const doc of docs) {
        if (!Number.isSafeInteger(doc.version) || doc.version < 0) throw new RangeError(`search index: version of ${doc.id} must be a non-negative integer`);
      }
      const body = docs.flatMap((doc) => [
        { index: { _id: doc.id, version: doc.version, version_type: 'external' } },
        toSource(doc),
      ]);
      const { body: response } = await client.bulk({ index, body, refresh });
      const conflicts: SearchDocument[] = [];
      const failures: { id: string; status: number; type: string }[] = [];
      response.items.forEach((item, i) => {
        const doc = docs[i] as SearchDocument;
        const result = item.index;
        if (!result || result.status < 300) return;
        if (result.status === 409) conflicts.push(doc);
        else failures.push({ id: doc.id, status: result.status, type: result.error?.type ?? 'unknown' });
      });
      if (failures.length > 0) throw new SearchIndexWriteError(failures);
      return { stale: await staleAmong(conflicts) };
    },

    async remove(ids) {
      if (ids.length === 0) return;
      const { body: response } = await client.bulk({ index, body: ids.map((id) => ({ delete: { _id: id } })), refresh });
      const failures = response.items.flatMap((item, i) => {
        const result = item.delete;
        if (!result || result.status < 300 || result.status === 404) return [];
        return [{ id: ids[i] as string, status: result.status, type: result.error?.type ?? 'unknown' }];
      });
      if (failures.length > 0) throw new SearchIndexWriteError(failures);
    },

    async search(query) {
      const { text, facets, collapse } = normalizeSearchQuery(query);
      let body = await runSearch(query, 'and');
      if (totalOf(body) === 0 && text !== '') body = await runSearch(query, 'or');
      return toResult(body, facets, collapse !== undefined);
    },

    async suggest(prefix, limit) {
      const size = suggestionLimit(limit);
      const request = buildSuggestRequest(prefix, size);
      if (!request) return [];
      const { body } = await client.search({ index, body: request });
      if (body.hits.hits.length > 0) return distinctTitles(body, size);
      const typoRequest = buildTypoSuggestRequest(prefix, size);
      if (!typoRequest) return [];
      const { body: corrected } = await client.search({ index, body: typoRequest });
      return distinctTitles(corrected, size);
    },

    async count() {
      const { body } = await client.count({ index });
      return body.count;
    },

    async ping() {
      const { body: exists } = await client.indices.exists({ index });
      if (!exists) throw new Error(`search index: index ${index} does not exist`);
    },
  };

  /** Reads back the versions of documents OpenSearch refused; only those stored at a higher version are stale. */
  async function staleAmong(conflicts: readonly SearchDocument[]): Promise<string[]> {
    if (conflicts.length === 0) return [];
    const ids = [...new Set(conflicts.map((doc) => doc.id))];
    const { body } = await client.mget({ index, body: { ids }, _source: false });
    const stored = new Map(body.docs.filter((d) => d.found && d._id !== undefined).map((d) => [d._id as string, d._version]));
    return conflicts.filter((doc) => stored.get(doc.id) !== doc.version).map((doc) => doc.id);
  }
}

/** the first `size` suggestions of a completion answer, each title once */
function distinctTitles(body: SearchResponseBody, size: number): Suggestion[] {
  const seen = new Set<string>();
  const suggestions: Suggestion[] = [];
  for (const hit of body.hits.hits) {
    const source = hit._source as Pick<SearchDocument, 'id' | 'type' | 'title'> | undefined;
    if (!source || seen.has(source.title)) continue;
    seen.add(source.title);
    suggestions.push({ text: source.title, id: source.id, type: source.type });
    if (suggestions.length === size) break;
  }
  return suggestions;
}

function toSource(doc: SearchDocument): Record<string, unknown> {
  return {
    id: doc.id,
    type: doc.type,
    title: doc.title,
    aliases: doc.aliases ?? [],
    body: doc.body ?? '',
    facets: doc.facets,
    version: doc.version,
    ...(doc.payload === undefined ? {} : { payload: doc.payload }),
  };
}

function totalOf(body: SearchResponseBody): number {
  const total = body.hits.total;
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

interface CountedBucket {
  readonly key: string | number;
  readonly doc_count: number;
  readonly [GROUP_COUNT]?: { readonly value: number };
}

/** hits, total and facet counts of an answer; when collapsing, totals and counts are the group counts */
function toResult(body: SearchResponseBody, facetFields: readonly string[], collapsed: boolean): SearchResult {
  const hits: SearchHit[] = body.hits.hits.flatMap((hit) => {
    const source = hit._source as Pick<SearchDocument, 'id' | 'type' | 'title' | 'facets' | 'payload'> | undefined;
    if (!source) return [];
    return [
      {
        id: source.id,
        type: source.type,
        title: source.title,
        score: typeof hit._score === 'number' ? hit._score : 0,
        highlight: hit.highlight?.title?.[0] ?? escapeHtml(source.title),
        facets: source.facets ?? {},
        ...(source.payload === undefined ? {} : { payload: source.payload }),
      },
    ];
  });
  const facets: Record<string, Record<string, number>> = {};
  for (const field of facetFields) {
    const aggregation = body.aggregations?.[field] as { buckets?: CountedBucket[] } | undefined;
    facets[field] = Object.fromEntries(
      (aggregation?.buckets ?? []).map((bucket) => [String(bucket.key), collapsed ? (bucket[GROUP_COUNT]?.value ?? 0) : bucket.doc_count]),
    );
  }
  const groups = (body.aggregations?.[GROUP_COUNT] as { value?: number } | undefined)?.value;
  return { hits, total: collapsed ? (groups ?? 0) : totalOf(body), facets };
}

/** name of the platform's search index in the domain */
export const SEARCH_INDEX_NAME = 'gov-services';

/** the search index of a Lambda function (composition factory): the domain the stack binds */
export const awsSearchIndex = (env: NodeJS.ProcessEnv): SearchIndex =>
  openSearchIndex({ client: createOpenSearchClient(required(env, envNames.searchEndpoint), required(env, 'AWS_REGION')), indexName: SEARCH_INDEX_NAME });
