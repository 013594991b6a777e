import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  buildSearchRequest,
  buildSuggestRequest,
  buildTypoSuggestRequest,
  synonymRules,
  createOpenSearchClient,
  ensureSearchIndex,
  OpenSearchResponseError,
  openSearchIndex,
  searchIndexMappings,
  SearchIndexWriteError,
  type OpenSearchIndexClient,
} from '../../shared/adapters/aws/opensearch-search-index.js';
import type { SearchDocument } from '../../shared/ports/search-index.js';

type Call = { method: string; params: any };

/** Records every call and answers each method from its queue of canned response bodies. */
function fakeClient(responses: Partial<Record<string, unknown[]>> = {}) {
  const calls: Call[] = [];
  const answer = (method: string) => async (params: any) => {
    calls.push({ method, params });
    const queue = responses[method] ?? [];
    if (queue.length === 0) throw new Error(`unexpected ${method}`);
    return { body: queue.shift() as any };
  };
  const client: OpenSearchIndexClient = {
    bulk: answer('bulk'),
    mget: answer('mget'),
    search: answer('search'),
    count: answer('count'),
    indices: { exists: answer('indices.exists'), create: answer('indices.create') },
  };
  return { client, calls };
}

const doc = (id: string, version: number): SearchDocument => ({
  id,
  type: 'item',
  title: '企业设立登记',
  aliases: ['开公司'],
  body: '领取营业执照',
  facets: { region: '330106', audience: ['legal'] },
  version,
  payload: { code: 'QY-0001' },
});

describe('OpenSearch index mappings', () => {
  const { settings, mappings } = searchIndexMappings() as { settings: any; mappings: any };

  it('folds traditional to simplified, indexes with ik_max_word and searches with ik_smart', () => {
    expect(settings.analysis.char_filter.traditional_to_simplified).toEqual({ type: 'stconvert', convert_type: 't2s' });
    expect(settings.analysis.analyzer.chinese_index).toMatchObject({ tokenizer: 'ik_max_word', char_filter: ['traditional_to_simplified'] });
    expect(settings.analysis.analyzer.chinese_search).toMatchObject({ tokenizer: 'ik_smart', char_filter: ['traditional_to_simplified'] });
    expect(settings.analysis.tokenizer.whole_text_pinyin).toMatchObject({ type: 'pinyin', keep_joined_full_pinyin: true, keep_first_letter: true });
  });

  it('maps titles and aliases with keyword and pinyin sub-fields, facets as keywords, payload unindexed', () => {
    for (const field of ['title', 'aliases']) {
      expect(mappings.properties[field]).toMatchObject({
        type: 'text',
        analyzer: 'chinese_index',
        search_analyzer: 'chinese_search',
        fields: { keyword: { type: 'keyword' }, pinyin: { analyzer: 'chinese_pinyin' } },
      });
    }
    expect(mappings.properties.body).toMatchObject({ analyzer: 'chinese_index', search_analyzer: 'chinese_search' });
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.dynamic_templates).toEqual([{ facet_values: { path_match: 'facets.*', mapping: { type: 'keyword' } } }]);
    expect(mappings.properties.payload).toEqual({ type: 'object', enabled: false });
  });
});

describe('buildSearchRequest', () => {
  it('matches text across title^3, aliases^3 and body, filters with terms, counts facets, highlights with <em>', () => {
    const request = buildSearchRequest(
      { text: '开公司', filters: { region: ['330106', '330102'], audience: 'legal' }, facets: ['region', 'kind'], from: 20, size: 10 },
      { operator: 'and' },
    ) as any;
    expect(request.query.bool.must).toEqual([
      { multi_match: { query: '开公司', type: 'cross_fields', fields: ['title^3', 'aliases^3', 'body'], operator: 'and', zero_terms_query: 'none' } },
    ]);
    expect(request.query.bool.filter).toEqual([
      { terms: { 'facets.region': ['330106', '330102'] } },
      { terms: { 'facets.audience': ['legal'] } },
    ]);
    expect(request.aggs).toEqual({
      region: { terms: { field: 'facets.region', size: 100 } },
      kind: { terms: { field: 'facets.kind', size: 100 } },
    });
    expect(request.highlight).toMatchObject({ pre_tags: ['<em>'], post_tags: ['</em>'], encoder: 'html' });
    expect(request).toMatchObject({ from: 20, size: 10, track_total_hits: true });
    expect(request.sort).toEqual(['_score', { id: 'asc' }]);
    expect((buildSearchRequest({ text: '开公司' }, { operator: 'or' }) as any).query.bool.must[0].multi_match.operator).toBe('or');
  });

  it('lists by score (1 unless boosted), then title, for empty text and clamps paging', () => {
    const request = buildSearchRequest({ text: '   ', filters: { kind: '行政许可' }, size: 5000, from: -1 }) as any;
    expect(request.query.bool.must).toEqual([{ match_all: {} }]);
    expect(request.sort).toEqual(['_score', { 'title.keyword': 'asc' }, { id: 'asc' }]);
    expect(request).toMatchObject({ from: 0, size: 100 });
  });

  it('multiplies scores by boosts with a function_score and drops malformed boosts', () => {
    const request = buildSearchRequest({
      text: '护照',
      boosts: [
        { field: 'region', value: '330106', factor: 1.3 },
        { field: 'region', value: '330100', factor: 99 },
        { field: 'bad field', value: 'x', factor: 2 },
        { field: 'region', value: 'x', factor: Number.NaN },
      ],
    }) as any;
    expect(request.query.function_score).toMatchObject({ score_mode: 'multiply', boost_mode: 'multiply' });
    expect(request.query.function_score.functions).toEqual([
      { filter: { term: { 'facets.region': '330106' } }, weight: 1.3 },
      { filter: { term: { 'facets.region': '330100' } }, weight: 10 },
    ]);
    expect(request.query.function_score.query.bool.must[0].multi_match.query).toBe('护照');
  });

  it('collapses on a facet and counts groups in total and in every facet bucket', () => {
    const request = buildSearchRequest({ text: '护照', collapse: 'item', facets: ['region'] }) as any;
    const groups = { cardinality: { field: 'facets.item', precision_threshold: 10000 } };
    expect(request.collapse).toEqual({ field: 'facets.item' });
    expect(request.aggs).toEqual({ region: { terms: { field: 'facets.region', size: 100 }, aggs: { _groups: groups } }, _groups: groups });
    expect((buildSearchRequest({ text: 'x', collapse: '*' }) as any).collapse).toBeUndefined();
  });

  it('keeps user text inside the match query only', () => {
    const hostile = 'title:* OR _id:1 AND {"query_string":{"query":"*"}} \ud800';
    const request = buildSearchRequest({ text: hostile, filters: { 'facets.region': 'x' }, facets: ['a*b'] }) as any;
    expect(request.query.bool.must[0].multi_match.query).toBe(hostile.replace('\ud800', '\ufffd').trim());
    expect(request.query.bool.filter).toEqual([{ match_none: {} }]);
    expect(request.aggs).toEqual({});
    const keys = JSON.stringify(request, (key, value) => (key === 'query' && typeof value === 'string' ? undefined : value));
    expect(keys).not.toMatch(/query_string|simple_query_string|regexp|wildcard|script/);
  });
});

describe('buildSuggestRequest', () => {
  it('asks for prefixes of whole titles, their words and, for Latin input, their pinyin', () => {
    const latin = buildSuggestRequest('SheHui Bao', 5) as any;
    const fields = latin.query.bool.should.map((clause: any) => Object.keys(clause.prefix)[0]);
    expect(fields).toEqual(['title.keyword', 'aliases.keyword', 'title', 'aliases', 'title.pinyin', 'aliases.pinyin', 'title.words_pinyin', 'aliases.words_pinyin']);
    expect(latin.query.bool.should[4].prefix['title.pinyin'].value).toBe('shehuibao');
    expect(latin.size).toBe(15);
    const chinese = buildSuggestRequest('社保', 5) as any;
    expect(chinese.query.bool.should).toHaveLength(4);
    expect(buildSuggestRequest('  ', 5)).toBeUndefined();
  });
});

describe('buildTypoSuggestRequest', () => {
  it('asks for beginnings of titles and aliases one edit away, only for prefixes of three characters or more', () => {
    const request = buildTypoSuggestRequest('社会保彰', 5) as any;
    expect(request.query.bool.should).toEqual([
      { fuzzy: { 'title.beginnings': { value: '社会保彰', fuzziness: 1, transpositions: true, boost: 2 } } },
      { fuzzy: { 'aliases.beginnings': { value: '社会保彰', fuzziness: 1, transpositions: true, boost: 1 } } },
    ]);
    expect(buildTypoSuggestRequest('社保', 5)).toBeUndefined();
  });
});

describe('query vocabulary in the mappings', () => {
  it('stops filler words and expands synonyms in the search analyzer only; beginnings for typo completion', () => {
    const { settings, mappings } = searchIndexMappings() as { settings: any; mappings: any };
    expect(settings.analysis.analyzer.chinese_search.filter).toEqual(['cjk_width', 'lowercase', 'query_stop_words', 'query_synonyms']);
    expect(settings.analysis.analyzer.chinese_index.filter).toEqual(['cjk_width', 'lowercase']);
    expect(settings.analysis.filter.query_stop_words.stopwords).toContain('怎么办');
    expect(settings.analysis.filter.query_synonyms).toMatchObject({ type: 'synonym_graph', lenient: true });
    expect(synonymRules()).toContain('驾照 => 驾照, 驾驶证');
    expect(mappings.properties.title.fields.beginnings).toEqual({ type: 'text', analyzer: 'whole_text_beginnings', search_analyzer: 'keyword' });
    expect(settings.analysis.analyzer.whole_text_beginnings).toMatchObject({ tokenizer: 'keyword', filter: ['cjk_width', 'lowercase', 'beginnings'] });
  });
});

describe('openSearchIndex adapter', () => {
  it('upserts with external versions; a refused equal version is a no-op, a refused lower one is stale', async () => {
    const { client, calls } = fakeClient({
      bulk: [{ errors: true, items: [{ index: { status: 201 } }, { index: { status: 409 } }, { index: { status: 409 } }] }],
      mget: [{ docs: [{ _id: 'b', found: true, _version: 5 }, { _id: 'c', found: true, _version: 9 }] }],
    });
    const index = openSearchIndex({ client, indexName: 'catalog', refresh: true });
    expect(await index.upsert([doc('a', 1), doc('b', 5), doc('c', 4)])).toEqual({ stale: ['c'] });
    const bulk = calls[0]?.params;
    expect(bulk.index).toBe('catalog');
    expect(bulk.refresh).toBe('wait_for');
    expect(bulk.body[0]).toEqual({ index: { _id: 'a', version: 1, version_type: 'external' } });
    expect(bulk.body[1]).toMatchObject({ id: 'a', title: '企业设立登记', aliases: ['开公司'], facets: { region: '330106' }, payload: { code: 'QY-0001' } });
    expect(calls[1]).toEqual({ method: 'mget', params: { index: 'catalog', body: { ids: ['b', 'c'] }, _source: false } });
  });

  it('reports other bulk failures and refuses versions OpenSearch cannot store', async () => {
    const { client } = fakeClient({ bulk: [{ errors: true, items: [{ index: { status: 400, error: { type: 'mapper_parsing_exception' } } }] }] });
    const index = openSearchIndex({ client, indexName: 'catalog' });
    await expect(index.upsert([doc('a', 1)])).rejects.toThrow(SearchIndexWriteError);
    await expect(index.upsert([doc('a', 1.5)])).rejects.toThrow(RangeError);
    expect(await index.upsert([])).toEqual({ stale: [] });
  });

  it('searches with AND, retries with OR when nothing matched, and maps hits and facets', async () => {
    const { client, calls } = fakeClient({
      search: [
        { hits: { total: { value: 0 }, hits: [] } },
        {
          hits: {
            total: { value: 2 },
            hits: [
              { _score: 2.5, _source: { id: 'a', type: 'item', title: '企业设立登记', facets: { region: '330106' } }, highlight: { title: ['<em>企业</em>设立登记'] } },
              { _score: 1.1, _source: { id: 'z', type: 'item', title: 'A <b> & B', facets: {}, payload: { x: 1 } } },
            ],
          },
          aggregations: { region: { buckets: [{ key: '330106', doc_count: 2 }] } },
        },
      ],
    });
    const index = openSearchIndex({ client, indexName: 'catalog' });
    const result = await index.search({ text: '企业 不存在', facets: ['region', 'kind'] });
    expect(calls.map((c) => c.params.body.query.bool.must[0].multi_match.operator)).toEqual(['and', 'or']);
    expect(result.total).toBe(2);
    expect(result.hits[0]).toEqual({ id: 'a', type: 'item', title: '企业设立登记', score: 2.5, highlight: '<em>企业</em>设立登记', facets: { region: '330106' } });
    expect(result.hits[1]?.highlight).toBe('A &lt;b&gt; &amp; B');
    expect(result.hits[1]?.payload).toEqual({ x: 1 });
    expect(result.facets).toEqual({ region: { '330106': 2 }, kind: {} });
  });

  it('does not retry an empty browse', async () => {
    const { client, calls } = fakeClient({ search: [{ hits: { total: { value: 0 }, hits: [] } }] });
    expect((await openSearchIndex({ client, indexName: 'catalog' }).search({ text: '' })).total).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('suggests each title once', async () => {
    const source = (id: string, title: string) => ({ _score: 1, _source: { id, type: 'item', title } });
    const { client } = fakeClient({
      search: [{ hits: { hits: [source('a', '企业设立登记'), source('b', '企业设立登记'), source('c', '企业设立登记办事指南')] } }],
    });
    expect(await openSearchIndex({ client, indexName: 'catalog' }).suggest('qiye')).toEqual([
      { text: '企业设立登记', id: 'a', type: 'item' },
      { text: '企业设立登记办事指南', id: 'c', type: 'item' },
    ]);
  });

  it('asks again for typo corrections only when nothing completes the prefix', async () => {
    const source = (id: string, title: string) => ({ _score: 1, _source: { id, type: 'item', title } });
    const { client, calls } = fakeClient({
      search: [{ hits: { hits: [] } }, { hits: { hits: [source('s', '社会保障卡申领')] } }, { hits: { hits: [] } }],
    });
    const index = openSearchIndex({ client, indexName: 'catalog' });
    expect(await index.suggest('社会保彰')).toEqual([{ text: '社会保障卡申领', id: 's', type: 'item' }]);
    expect(calls[1]?.params.body.query.bool.should[0].fuzzy).toBeDefined();
    expect(await index.suggest('社彰')).toEqual([]);
    expect(calls).toHaveLength(3);
  });

  it('reads group counts when collapsing', async () => {
    const { client } = fakeClient({
      search: [
        {
          hits: { total: { value: 5 }, hits: [{ _score: 1, _source: { id: 'guide:A:330106', type: 'guide', title: '护照', facets: { item: 'A' } } }] },
          aggregations: { _groups: { value: 2 }, region: { buckets: [{ key: 'national', doc_count: 4, _groups: { value: 2 } }] } },
        },
      ],
    });
    const result = await openSearchIndex({ client, indexName: 'catalog' }).search({ text: '护照', collapse: 'item', facets: ['region'] });
    expect(result.total).toBe(2);
    expect(result.facets).toEqual({ region: { national: 2 } });
  });

  it('removes by bulk delete, ignoring documents already gone', async () => {
    const { client, calls } = fakeClient({ bulk: [{ errors: true, items: [{ delete: { status: 200 } }, { delete: { status: 404 } }] }] });
    const index = openSearchIndex({ client, indexName: 'catalog' });
    await index.remove(['a', 'gone']);
    expect(calls[0]?.params.body).toEqual([{ delete: { _id: 'a' } }, { delete: { _id: 'gone' } }]);
    await index.remove([]);
    expect(calls).toHaveLength(1);
  });

  it('counts, pings the index, and creates it once with the mappings', async () => {
    const { client, calls } = fakeClient({
      count: [{ count: 42 }],
      'indices.exists': [false, false, true],
      'indices.create': [{ acknowledged: true }],
    });
    const index = openSearchIndex({ client, indexName: 'catalog' });
    expect(await index.count()).toBe(42);
    await expect(index.ping()).rejects.toThrow('does not exist');
    await ensureSearchIndex(client, 'catalog');
    await ensureSearchIndex(client, 'catalog');
    const creates = calls.filter((c) => c.method === 'indices.create');
    expect(creates).toEqual([{ method: 'indices.create', params: { index: 'catalog', body: searchIndexMappings() } }]);
  });
});

describe('createOpenSearchClient on signed fetch', () => {
  type Sent = { url: string; method: string; headers: Record<string, string>; body: string | undefined };

  /** A fetch that records every request and answers from a queue of [status, JSON body] pairs. */
  function fakeDomain(...answers: [number, unknown?][]) {
    const sent: Sent[] = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      sent.push({ url: String(url), method: init?.method ?? 'GET', headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body as string | undefined });
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected request ${init?.method} ${String(url)}`);
      const [status, body] = answer;
      return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    };
    const client = createOpenSearchClient('https://search-gov.cn-north-1.es.amazonaws.com.cn/', 'cn-north-1', {
      credentials: async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret', sessionToken: 'test-session' }),
      fetch: fetch as typeof globalThis.fetch,
    });
    return { client, sent };
  }

  const endpoint = 'https://search-gov.cn-north-1.es.amazonaws.com.cn';

  it('signs every request for the es service in the domain region', async () => {
    const { client, sent } = fakeDomain([200, { count: 3 }]);
    expect(await client.count({ index: 'gov-services' })).toEqual({ body: { count: 3 } });
    expect(sent[0]).toMatchObject({ method: 'GET', url: `${endpoint}/gov-services/_count`, body: undefined });
    expect(sent[0]?.headers).toMatchObject({ 'x-amz-security-token': 'test-session' });
    expect(sent[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/cn-north-1\/es\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  it('sends bulk bodies as newline-terminated NDJSON with the refresh parameter', async () => {
    const { client, sent } = fakeDomain([200, { errors: false, items: [{ index: { status: 201 } }] }]);
    const body = [{ index: { _id: 'a', version: 1, version_type: 'external' } }, { id: 'a', title: '企业设立登记' }];
    const { body: response } = await client.bulk({ index: 'gov-services', body, refresh: 'wait_for' });
    expect(response.items).toEqual([{ index: { status: 201 } }]);
    expect(sent[0]).toMatchObject({ method: 'POST', url: `${endpoint}/gov-services/_bulk?refresh=wait_for`, headers: { 'content-type': 'application/x-ndjson' } });
    expect(sent[0]?.body).toBe('{"index":{"_id":"a","version":1,"version_type":"external"}}\n{"id":"a","title":"企业设立登记"}\n');
    expect(sent[0]?.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(sent[0]?.body ?? '').digest('hex'));
    expect(sent[0]?.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;');
  });

  it('posts searches and mgets as JSON and creates indices with PUT', async () => {
    const { client, sent } = fakeDomain([200, { hits: { hits: [] } }], [200, { docs: [] }], [200, { acknowledged: true }]);
    await client.search({ index: 'gov-services', body: { size: 1 } });
    await client.mget({ index: 'gov-services', body: { ids: ['a'] }, _source: false });
    await client.indices.create({ index: 'gov-services', body: searchIndexMappings() });
    expect(sent.map(({ method, url, body }) => [method, url, body && JSON.parse(body)])).toEqual([
      ['POST', `${endpoint}/gov-services/_search`, { size: 1 }],
      ['POST', `${endpoint}/gov-services/_mget?_source=false`, { ids: ['a'] }],
      ['PUT', `${endpoint}/gov-services`, searchIndexMappings()],
    ]);
    expect(sent.every((request) => request.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('answers exists from HEAD: 200 true, 404 false, anything else an error', async () => {
    const { client, sent } = fakeDomain([200], [404], [403]);
    expect(await client.indices.exists({ index: 'gov-services' })).toEqual({ body: true });
    expect(await client.indices.exists({ index: 'gov-services' })).toEqual({ body: false });
    await expect(client.indices.exists({ index: 'gov-services' })).rejects.toThrow('opensearch: HEAD /gov-services failed with 403');
    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual(Array(3).fill(`HEAD ${endpoint}/gov-services`));
  });

  it('throws the status and error type, not the reason, of a failed request', async () => {
    const { client } = fakeDomain([400, { error: { type: 'resource_already_exists_exception', reason: 'index [gov-services/x] already exists' }, status: 400 }]);
    const failure = await client.indices.create({ index: 'gov-services', body: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenSearchResponseError);
    expect(failure).toMatchObject({ statusCode: 400, type: 'resource_already_exists_exception' });
    expect((failure as Error).message).toBe('opensearch: PUT /gov-services failed with 400 resource_already_exists_exception');
  });

  it('drives the adapter end to end: ping, upsert and count through signed requests', async () => {
    const { client, sent } = fakeDomain([200], [200, { errors: false, items: [{ index: { status: 201 } }] }], [200, { count: 1 }]);
    const index = openSearchIndex({ client, indexName: 'gov-services' });
    await index.ping();
    expect(await index.upsert([doc('a', 1)])).toEqual({ stale: [] });
    expect(await index.count()).toBe(1);
    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([
      `HEAD ${endpoint}/gov-services`,
      `POST ${endpoint}/gov-services/_bulk?refresh=false`,
      `GET ${endpoint}/gov-services/_count`,
    ]);
  });
});
