import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

/** Unified search over HTTP on the demo catalog: facets, region matching, suggestions, typos, aliases, hostile input, recommendations. */

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.close();
});

const get = (path: string, token?: string) => platform.call('GET', path, token ? { token } : {});
const search = async (query: Record<string, string>, token?: string) => {
  const res = await get(`/v1/search?${new URLSearchParams(query)}`, token);
  expect(res.status).toBe(200);
  return res.body;
};
const suggest = async (prefix: string) => {
  const res = await get(`/v1/search/suggest?${new URLSearchParams({ prefix })}`);
  expect(res.status).toBe(200);
  return res.body.suggestions as { text: string; code?: string; type: string }[];
};

describe('facets and filters', () => {
  it('counts department, kind, theme, audience, region and type over every match, and filters by them', async () => {
    const all = await search({ q: '', region: '330106', size: '5' });
    expect(all.hits).toHaveLength(5);
    expect(Object.keys(all.facets).sort()).toEqual(['audience', 'department', 'kind', 'region', 'theme', 'type']);
    const market = all.facets.department['市场监管总局'];
    expect(market).toBe(12);
    expect(all.facets.region['330106']).toBe(14);
    expect(all.facets.region['330100']).toBe(2);
    expect(all.facets.region['330000']).toBe(1);
    expect(all.facets.type.guide).toBe(16);

    const filtered = await search({ q: '', region: '330106', department: '市场监管总局', size: '50' });
    expect(filtered.total).toBe(market);
    expect(filtered.hits.every((hit: { department: string }) => hit.department === '市场监管总局')).toBe(true);

    const combined = await search({ q: '登记', region: '330106', kind: '行政许可', audience: 'legal', online: 'true', size: '50' });
    expect(combined.total).toBeGreaterThan(0);
    expect(combined.hits.every((hit: { onlineDepth: number }) => hit.onlineDepth >= 3)).toBe(true);
    expect(Object.keys(combined.facets.kind)).toEqual(['行政许可']);

    const bundles = await search({ q: '', type: 'life-event' });
    expect(bundles.total).toBe(6);
  });

  it('pages without repeating a hit', async () => {
    const first = await search({ q: '登记', region: '330106', page: '1', size: '10' });
    const second = await search({ q: '登记', region: '330106', page: '2', size: '10' });
    const keys = [...first.hits, ...second.hits].map((hit: { code?: string; id?: string }) => hit.code ?? hit.id);
    expect(new Set(keys).size).toBe(keys.length);
    expect(first.total).toBe(second.total);
  });
});

describe('region matching', () => {
  it('shows each item once, in its most local implementation, and nothing of other regions', async () => {
    const westlake = await search({ q: '企业设立登记', region: '330106' });
    expect(westlake.hits[0]).toMatchObject({ type: 'guide', code: 'SC-XK-0001', region: '330106', regionName: '浙江省杭州市西湖区' });
    expect(westlake.hits.filter((hit: { code?: string }) => hit.code === 'SC-XK-0001')).toHaveLength(1);
    const nanshan = await search({ q: '企业设立登记', region: '440305' });
    expect(nanshan.hits[0]).toMatchObject({ type: 'guide', region: '440305' });
    const beijing = await search({ q: '企业设立登记', region: '110101' });
    expect(beijing.hits[0]).toMatchObject({ type: 'item', region: 'national' });
    const passport = await search({ q: '护照', region: '330106' });
    expect(passport.hits[0]).toMatchObject({ code: 'YM-XK-0001', region: '330100' });

    const everywhere = await search({ q: '', region: '330106', size: '50', type: 'guide' });
    expect(everywhere.hits.every((hit: { region: string }) => ['330106', '330100', '330000'].includes(hit.region))).toBe(true);
    const policies = await search({ q: '', region: '330106', type: 'policy' });
    expect(policies.hits.map((hit: { region: string }) => hit.region).sort()).toEqual(['330100', 'national']);
  });

  it('uses the registered region of a signed-in citizen, the national catalog for anonymous callers', async () => {
    const token = await platform.login('citizen');
    const mine = await search({ q: '社保卡' }, token);
    expect(mine.region).toBe('330106');
    expect(mine.hits[0]).toMatchObject({ type: 'guide', region: '330106' });
    const anonymous = await search({ q: '社保卡' });
    expect(anonymous.region).toBe('national');
    expect(anonymous.hits.every((hit: { region: string }) => hit.region === 'national')).toBe(true);
  });
});

describe('search-term assistance', () => {
  it('completes from names and aliases, by full pinyin and by pinyin initials', async () => {
    expect((await suggest('企业设立'))[0]).toMatchObject({ text: '企业设立登记', code: 'SC-XK-0001' });
    expect((await suggest('sbk')).map((s) => s.text)).toContain('社会保障卡申领');
    expect((await suggest('shehuibaozhang')).map((s) => s.text)).toEqual(expect.arrayContaining(['社会保障卡申领', '社会保障卡补换']));
    expect((await suggest('qysl'))[0]?.text).toBe('企业设立登记');
    expect((await suggest('gongjijin')).map((s) => s.text)).toContain('住房公积金提取（购房）');
  });

  it('corrects a one-character typo in suggestions and in search', async () => {
    expect((await suggest('社会保彰卡'))[0]?.text).toBe('社会保障卡申领');
    expect((await suggest('住房公积今'))[0]?.text).toMatch(/^住房公积金/);
    const typo = await search({ q: '企业设立登纪', region: '330106' });
    expect(typo.suggestions.map((s: { text: string }) => s.text)).toContain('企业设立登记');
    expect(typo.hits.slice(0, 5).map((hit: { code?: string }) => hit.code)).toContain('SC-XK-0001');
  });

  it('finds items by their aliases, also written in traditional characters', async () => {
    for (const q of ['开公司', '開公司', '注册公司']) {
      expect((await search({ q, region: '330106' })).hits[0]).toMatchObject({ code: 'SC-XK-0001' });
    }
    expect((await suggest('开公司'))[0]?.text).toBe('企业设立登记');
    const highlighted = await search({ q: '社会保障卡', region: '330106' });
    expect(highlighted.hits[0].highlight).toContain('<em>');
  });
});

describe('hostile input', () => {
  it('answers any q with 200 or 422, never 500, and the error model', async () => {
    const hostile = [
      '"企业" AND 登记',
      'title:* OR _id:1',
      '{"query":{"match_all":{}}}',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      '\\',
      '/.*/',
      '*',
      '(((',
      '%00',
      '😀'.repeat(300),
      '\u0000\u0001\u0002',
      'a'.repeat(2000),
      '营'.repeat(700),
      'x'.repeat(2001),
    ];
    for (const q of hostile) {
      const res = await platform.call('GET', `/v1/search?q=${encodeURIComponent(q)}&region=330106`);
      expect([200, 422]).toContain(res.status);
      if (res.status === 422) expect(res.body.error.code).toBe('validation_failed');
      const suggestion = await platform.call('GET', `/v1/search/suggest?prefix=${encodeURIComponent(Array.from(q).slice(0, 100).join(''))}`);
      expect([200, 422]).toContain(suggestion.status);
    }
    expect((await platform.call('GET', `/v1/search?q=${'x'.repeat(2001)}`)).status).toBe(422);
    // 2,000 Chinese characters make an 18 KB URL: refused by the transport (431 here, 414 at API Gateway), still not a 500
    const huge = await platform.call('GET', `/v1/search?q=${encodeURIComponent('营'.repeat(2000))}`);
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    for (const broken of ['%E4%BC', '%ED%A0%80', '%FF%FE', '%C0%AF', '%']) {
      const res = await platform.call('GET', `/v1/search?q=${broken}`);
      expect([200, 400, 422]).toContain(res.status);
    }
    expect((await platform.call('GET', '/v1/search?region=33010')).status).toBe(422);
    expect((await platform.call('GET', '/v1/search?size=1000')).status).toBe(422);
    expect((await platform.call('GET', '/v1/search?page=0')).status).toBe(422);
    expect((await platform.call('GET', '/v1/search?online=maybe')).status).toBe(422);
  });
});

describe('recommendations', () => {
  it('recommends what is popular in the region, and what shares a life event with it', async () => {
    for (let i = 0; i < 20; i++) expect((await get('/v1/items/RS-FW-0001?region=330106')).status).toBe(200);
    for (let i = 0; i < 5; i++) await get('/v1/items/GA-XK-0001?region=330106');
    const res = await get('/v1/search/recommendations?region=330106&limit=10');
    expect(res.status).toBe(200);
    const recommended = res.body.recommendations as { code: string; reason: string; basis: string }[];
    expect(recommended[0]).toMatchObject({ code: 'RS-FW-0001', reason: 'popular' });
    expect(recommended.find((r) => r.code === 'GA-XK-0001')).toMatchObject({ reason: 'popular' });
    expect(recommended.find((r) => r.reason === 'life-event')).toMatchObject({ basis: '新生儿出生一件事' });
    expect(new Set(recommended.map((r) => r.code)).size).toBe(recommended.length);

    const elsewhere = (await get('/v1/search/recommendations?region=440305&limit=10')).body;
    expect(elsewhere.region).toBe('440305');
    expect(elsewhere.recommendations.find((r: { code: string }) => r.code === 'RS-FW-0001')).toMatchObject({ reason: 'popular' });
    const token = await platform.login('citizen');
    expect((await get('/v1/search/recommendations', token)).body.region).toBe('330106');
  });
});
