import { describe, it, expect, beforeAll } from '@jest/globals';
import type { SearchDocument, SearchIndex, SearchResult } from '../../shared/ports/search-index.js';

type Facets = SearchDocument['facets'];

function item(id: string, title: string, aliases: string[], body: string, facets: Facets, type: SearchDocument['type'] = 'item'): SearchDocument {
  return { id, type, title, aliases, body, facets, version: 1, payload: { code: id.split(':')[1] } };
}

const facets = (region: string, department: string, kind: string, audience: string[], theme: string[], online: 'yes' | 'no'): Facets => ({
  region,
  department,
  kind,
  audience,
  theme,
  online,
});

/** Service items as a regional catalog publishes them (two regions implement 企业设立登记). */
export const SERVICE_DOCUMENTS: readonly SearchDocument[] = [
  item('item:QY-0001:330106', '企业设立登记', ['开公司', '注册公司'], '申请设立有限责任公司、股份有限公司，领取营业执照。', facets('330106', '市场监督管理局', '行政许可', ['legal'], ['开办企业'], 'yes')),
  item('item:QY-0001:330102', '企业设立登记', ['开公司', '注册公司'], '申请设立有限责任公司、股份有限公司，领取营业执照。', facets('330102', '市场监督管理局', '行政许可', ['legal'], ['开办企业'], 'no')),
  item('item:GT-0001', '个体工商户设立登记', ['个体户注册'], '个体经营者申请登记，领取营业执照。', facets('330106', '市场监督管理局', '行政许可', ['natural', 'legal'], ['开办企业'], 'yes')),
  item('item:SB-0001', '社会保障卡申领', ['社保卡'], '首次申领社会保障卡，可申请邮寄。', facets('330106', '人力资源和社会保障局', '公共服务', ['natural'], ['社会保障'], 'yes')),
  item('item:GA-0001', '居民身份证换领', [], '居民身份证有效期满或者证件损坏，申请换领新证。', facets('330102', '公安局', '行政确认', ['natural'], ['户籍证件'], 'no')),
  item('item:GA-0002', '机动车驾驶证换证', ['驾照换证'], '驾驶证有效期满前九十日内申请换证。', facets('330106', '公安局', '行政许可', ['natural'], ['交通出行'], 'yes')),
  item('item:ZR-0001', '不动产登记', ['房产证办理'], '不动产首次登记、转移登记、变更登记和抵押登记。', facets('330102', '自然资源和规划局', '行政确认', ['natural', 'legal'], ['住房'], 'yes')),
  item('item:GJ-0001', '住房公积金提取', ['公积金提取'], '购房、租房或退休时提取住房公积金。', facets('330106', '住房公积金管理中心', '公共服务', ['natural'], ['住房'], 'yes')),
  item('item:YB-0001', '医疗费用报销', ['医保报销'], '参保人员异地就医后申请费用报销。', facets('330102', '医疗保障局', '行政给付', ['natural'], ['社会保障'], 'no')),
  item('item:HJ-0001', '新生儿入户', ['新生儿落户', '报户口'], '新生儿出生后申报户口。', facets('330102', '公安局', '行政确认', ['natural'], ['户籍证件'], 'yes')),
  item('item:CR-0001', '往来港澳通行证签发', ['港澳通行证'], '办理往来港澳通行证及签注。', facets('330106', '公安局', '行政许可', ['natural'], ['交通出行'], 'no')),
  item('guide:QY-0001', '企业设立登记办事指南', [], '准备公司章程、股东名册等材料。', facets('330106', '市场监督管理局', '行政许可', ['legal'], ['开办企业'], 'yes'), 'guide'),
  item('policy:ZC-0001', '小微企业税费减免政策', [], '符合条件的小型微利企业减免企业所得税。', facets('330100', '税务局', '政策文件', ['legal'], ['开办企业'], 'no'), 'policy'),
  item('item:ZZ-0001', '电子证照 <b>核验</b> & 查询', [], '核验电子证照的真伪。', facets('330100', '数据资源管理局', '公共服务', ['natural', 'legal'], ['证照'], 'yes')),
];

const ids = (result: SearchResult) => result.hits.map((hit) => hit.id);
const stripEm = (html: string) => html.replace(/<\/?em>/g, '');
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * What every SearchIndex adapter must do, run against the local index here and against
 * OpenSearch in AWS. `makeIndex` returns a new, empty index whose writes are visible to the
 * next search (for OpenSearch: a fresh index name and `refresh: true`).
 */
export function searchIndexContract(name: string, makeIndex: () => Promise<SearchIndex>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let index: SearchIndex;

    beforeAll(async () => {
      index = await makeIndex();
      expect(await index.upsert(SERVICE_DOCUMENTS)).toEqual({ stale: [] });
    });

    it('counts its documents and answers ping', async () => {
      await expect(index.ping()).resolves.toBeUndefined();
      expect(await index.count()).toBe(SERVICE_DOCUMENTS.length);
    });

    it('finds an item by an alias citizens use (开公司 → 企业设立登记)', async () => {
      const result = await index.search({ text: '开公司' });
      expect(result.hits[0]?.title).toBe('企业设立登记');
      expect(ids(result)).toEqual(expect.arrayContaining(['item:QY-0001:330106', 'item:QY-0001:330102']));
      expect(result.hits[0]?.payload).toEqual({ code: 'QY-0001' });
    });

    it('finds an item by its short name when aliased (社保卡 → 社会保障卡申领)', async () => {
      const result = await index.search({ text: '社保卡' });
      expect(ids(result)[0]).toBe('item:SB-0001');
    });

    it('matches traditional characters against simplified text', async () => {
      const licence = await index.search({ text: '營業執照' });
      expect(ids(licence)).toEqual(expect.arrayContaining(['item:QY-0001:330106', 'item:QY-0001:330102', 'item:GT-0001']));
      const idCard = await index.search({ text: '居民身份證' });
      expect(ids(idCard)[0]).toBe('item:GA-0001');
    });

    it('requires all terms when some document has them all', async () => {
      const result = await index.search({ text: '不动产 登记' });
      expect(ids(result)).toEqual(['item:ZR-0001']);
    });

    it('falls back to any term when no document has them all', async () => {
      const result = await index.search({ text: '社保卡 驾照换证' });
      expect(ids(result)).toEqual(expect.arrayContaining(['item:SB-0001', 'item:GA-0002']));
    });

    it('counts facets over every match, not just the page', async () => {
      const result = await index.search({ text: '登记', facets: ['region', 'department', 'audience'], size: 1 });
      expect(result.total).toBe(5);
      expect(result.hits).toHaveLength(1);
      expect(result.facets.region).toEqual({ '330106': 3, '330102': 2 });
      expect(result.facets.department).toEqual({ 市场监督管理局: 4, 自然资源和规划局: 1 });
      expect(result.facets.audience).toEqual({ legal: 5, natural: 2 });
    });

    it('filters by facet: equal, contained in an array, OR within a field, AND across fields', async () => {
      expect((await index.search({ text: '', filters: { department: '公安局' } })).total).toBe(4);
      expect((await index.search({ text: '', filters: { audience: 'legal' } })).total).toBe(7);
      expect((await index.search({ text: '', filters: { region: ['330100', '330102'] } })).total).toBe(7);
      const both = await index.search({ text: '', filters: { department: '公安局', online: 'yes' } });
      expect(ids(both).sort()).toEqual(['item:GA-0002', 'item:HJ-0001']);
      const textAndFilter = await index.search({ text: '登记', filters: { region: '330102' } });
      expect(ids(textAndFilter).sort()).toEqual(['item:QY-0001:330102', 'item:ZR-0001']);
      expect((await index.search({ text: '', filters: { department: '不存在的部门' } })).total).toBe(0);
    });

    it('lists every filtered document for empty text (category browsing), with facet counts', async () => {
      const result = await index.search({ text: '  ', filters: { theme: '开办企业' }, facets: ['type'] });
      expect(result.total).toBe(5);
      expect(result.facets.type).toEqual({});
      const byKind = await index.search({ text: '', filters: { theme: '开办企业' }, facets: ['kind'] });
      expect(byKind.facets.kind).toEqual({ 行政许可: 4, 政策文件: 1 });
    });

    it('pages through results without gaps or repeats', async () => {
      const pages = await Promise.all([0, 5, 10].map((from) => index.search({ text: '', from, size: 5 })));
      expect(pages.map((page) => page.hits.length)).toEqual([5, 5, SERVICE_DOCUMENTS.length - 10]);
      expect(pages.every((page) => page.total === SERVICE_DOCUMENTS.length)).toBe(true);
      const seen = pages.flatMap(ids);
      expect(new Set(seen).size).toBe(SERVICE_DOCUMENTS.length);
      const beyond = await index.search({ text: '', from: 100, size: 5 });
      expect(beyond.hits).toEqual([]);
      expect(beyond.total).toBe(SERVICE_DOCUMENTS.length);
    });

    it('caps the page size at 100 and survives nonsense paging', async () => {
      const big = await index.search({ text: '', size: 1000 });
      expect(big.hits).toHaveLength(SERVICE_DOCUMENTS.length);
      const odd = await index.search({ text: '', from: -3, size: Number.NaN });
      expect(odd.hits.length).toBeGreaterThan(0);
    });

    it('highlights matched terms in the title with <em> and escapes the rest', async () => {
      const idCard = await index.search({ text: '身份证' });
      const hit = idCard.hits.find((h) => h.id === 'item:GA-0001');
      expect(hit?.highlight).toContain('<em>');
      expect(stripEm(hit?.highlight ?? '')).toBe('居民身份证换领');

      const markup = await index.search({ text: '电子证照' });
      const tricky = markup.hits.find((h) => h.id === 'item:ZZ-0001');
      expect(tricky?.highlight).toContain('<em>');
      expect(tricky?.highlight).not.toContain('<b>');
      expect(stripEm(tricky?.highlight ?? '')).toBe(escaped('电子证照 <b>核验</b> & 查询'));
      expect(tricky?.title).toBe('电子证照 <b>核验</b> & 查询');
    });

    it('never throws on hostile or broken query text', async () => {
      const hostile = [
        '"企业" AND 登记',
        'OR',
        '*',
        '企业 OR (登记',
        'title:企业^100',
        '\\',
        '/.*/',
        '😀😀',
        '\ud800',
        '\udc00abc\ud83d',
        'a'.repeat(2000),
        `${'🙂'.repeat(999)}\ud83d`,
        '<script>alert(1)</script>',
        '\u0000\u0001',
        '%00 %27',
        '{"query":{"match_all":{}}}',
      ];
      for (const text of hostile) {
        const result = await index.search({ text, filters: { region: '"*"' }, facets: ['region'] });
        expect(Array.isArray(result.hits)).toBe(true);
        expect(result.total).toBe(0);
        await expect(index.search({ text })).resolves.toBeDefined();
        await expect(index.suggest(text)).resolves.toBeDefined();
      }
      const operators = await index.search({ text: '"企业" AND 登记' });
      expect(ids(operators)).toEqual(expect.arrayContaining(['item:QY-0001:330106']));
    });

    it('suggests titles by prefix, best match first, each title once', async () => {
      const company = await index.suggest('企业设立');
      expect(company.map((s) => s.text)).toEqual(['企业设立登记', '企业设立登记办事指南']);
      const social = await index.suggest('社会');
      expect(social[0]).toEqual({ text: '社会保障卡申领', id: 'item:SB-0001', type: 'item' });
      expect((await index.suggest('社保')).map((s) => s.text)).toContain('社会保障卡申领');
      expect(await index.suggest('企业', 1)).toHaveLength(1);
      expect(await index.suggest('')).toEqual([]);
    });

    it('suggests by full pinyin and by pinyin initials', async () => {
      expect((await index.suggest('shehui'))[0]?.text).toBe('社会保障卡申领');
      expect((await index.suggest('SheHui Bao'))[0]?.text).toBe('社会保障卡申领');
      expect((await index.suggest('sbk')).map((s) => s.text)).toContain('社会保障卡申领');
      expect((await index.suggest('kgs')).map((s) => s.text)).toContain('企业设立登记');
      expect((await index.suggest('budongchan'))[0]?.text).toBe('不动产登记');
      expect((await index.suggest('hukou')).map((s) => s.text)).toContain('新生儿入户');
      expect((await index.suggest('hk')).map((s) => s.text)).toContain('新生儿入户');
    });

    it('drops filler words and lets colloquial words match their formal synonyms', async () => {
      expect(ids(await index.search({ text: '驾照到期了怎么办' }))[0]).toBe('item:GA-0002');
      expect(ids(await index.search({ text: '生孩子' }))).toContain('item:HJ-0001');
      expect(ids(await index.search({ text: '我的社保卡丢了' }))[0]).toBe('item:SB-0001');
      expect((await index.search({ text: '怎么办呢' })).total).toBe(0);
    });

    it('suggests the right title for a prefix with one wrong, missing or extra character', async () => {
      expect((await index.suggest('社会保彰'))[0]?.text).toBe('社会保障卡申领');
      expect((await index.suggest('企业设立登纪'))[0]?.text).toBe('企业设立登记');
      expect((await index.suggest('不动登记'))[0]?.text).toBe('不动产登记');
      expect(await index.suggest('企业设立')).toHaveLength(2);
    });

    it('collapses groups to their best document, multiplies scores by boosts and counts groups', async () => {
      const fresh = await makeIndex();
      const grouped = (id: string, group: string, region: string, title: string): SearchDocument => ({
        id,
        type: id.startsWith('guide') ? 'guide' : 'item',
        title,
        facets: { item: group, region, department: '公安局' },
        version: 1,
      });
      await fresh.upsert([
        grouped('item:A', 'A', 'national', '护照签发'),
        grouped('guide:A:330106', 'A', '330106', '护照签发'),
        grouped('guide:A:440305', 'A', '440305', '护照签发'),
        grouped('item:B', 'B', 'national', '港澳通行证签发'),
        grouped('guide:B:330100', 'B', '330100', '港澳通行证签发'),
      ]);
      const nearby = { region: ['330106', '330100', '330000', 'national'] };
      const local = [
        { field: 'region', value: '330106', factor: 1.3 },
        { field: 'region', value: '330100', factor: 1.2 },
      ];
      const listed = await fresh.search({ text: '', filters: nearby, boosts: local, collapse: 'item', facets: ['region', 'department'] });
      expect(ids(listed)).toEqual(['guide:A:330106', 'guide:B:330100']);
      expect(listed.total).toBe(2);
      expect(listed.facets.region).toEqual({ national: 2, '330106': 1, '330100': 1 });
      expect(listed.facets.department).toEqual({ 公安局: 2 });

      const searched = await fresh.search({ text: '签发', filters: nearby, boosts: local, collapse: 'item' });
      expect(ids(searched).sort()).toEqual(['guide:A:330106', 'guide:B:330100']);
      const boosted = await fresh.search({ text: '签发', boosts: [{ field: 'region', value: '440305', factor: 5 }], collapse: 'item' });
      expect(ids(boosted)[0]).toBe('guide:A:440305');
      const unboosted = await fresh.search({ text: '签发', collapse: 'item', size: 1 });
      expect(unboosted.total).toBe(2);
      expect(unboosted.hits).toHaveLength(1);
    });

    it('keeps the newer version: older upserts are reported stale, equal ones change nothing', async () => {
      const fresh = await makeIndex();
      const base = SERVICE_DOCUMENTS[3] as SearchDocument;
      await fresh.upsert([{ ...base, version: 2 }]);
      expect(await fresh.upsert([{ ...base, title: '旧标题', version: 1 }])).toEqual({ stale: [base.id] });
      expect(await fresh.upsert([{ ...base, title: '同版本标题', version: 2 }])).toEqual({ stale: [] });
      expect((await fresh.search({ text: '' })).hits.map((h) => h.title)).toEqual([base.title]);
      expect((await fresh.search({ text: '旧标题' })).total).toBe(0);

      expect(await fresh.upsert([{ ...base, title: '社会保障卡补领', body: '社会保障卡遗失后补领。', version: 3 }])).toEqual({ stale: [] });
      expect((await fresh.search({ text: '补领' })).hits.map((h) => h.id)).toEqual([base.id]);
      expect((await fresh.search({ text: '申领' })).total).toBe(0);
      expect(await fresh.count()).toBe(1);
    });

    it('removes documents, and ignores ids it does not hold', async () => {
      const fresh = await makeIndex();
      await fresh.upsert(SERVICE_DOCUMENTS.slice(0, 4));
      await fresh.remove(['item:SB-0001', 'item:unknown']);
      expect(await fresh.count()).toBe(3);
      expect((await fresh.search({ text: '社保卡' })).total).toBe(0);
      expect(await fresh.suggest('shehui')).toEqual([]);
      await fresh.remove([]);
      expect(await fresh.count()).toBe(3);
    });
  });
}
