import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_AGENCIES } from '../../infra/local/demo-seed.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

/** The catalog over HTTP: publication and indexing, versions, guides, life events, analysis, negative list, regions, halls, policies. */

let platform: TestPlatform;
let admin: string;
let staffA: string;
let staffB: string;
let citizen: string;

async function loginAs(username: string): Promise<string> {
  const account = platform.accounts.find((a) => a.username === username)!;
  const res = await platform.call('POST', '/v1/identity/sessions', { body: { username, password: account.password } });
  expect(res.status).toBe(201);
  return res.body.accessToken as string;
}

const NEW_ITEM = {
  code: 'SJ-FW-0001',
  name: '公共数据开放利用申请',
  kind: '公共服务',
  department: '国家数据局',
  audience: ['legal'],
  themes: ['数据服务'],
  lifeEvents: [],
  legalBasis: '《公共数据资源开发利用办法》（演示）',
  legalDays: 20,
  promisedDays: 10,
  onlineDepth: 4,
  fee: false,
  materials: [{ name: '数据使用申请书', required: true }],
  aliases: ['申请公共数据', '数据开放申请'],
  conditions: ['申请人为依法登记的法人或者其他组织'],
};

const search = async (query: string) => (await platform.call('GET', `/v1/search?${query}`)).body;
const searchKeys = async (query: string) => ((await search(query)).hits as { code?: string; id?: string }[]).map((hit) => hit.code ?? hit.id);

beforeAll(async () => {
  platform = await startTestPlatform();
  [admin, staffA, staffB, citizen] = await Promise.all([loginAs('admin'), loginAs('staff-a'), loginAs('staff-b'), platform.login('citizen')]);
});
afterAll(async () => {
  await platform?.close();
});

describe('publication, versions and the indexer', () => {
  it('only administrators edit the national catalog, and a draft is neither shown nor searchable', async () => {
    expect((await platform.call('POST', '/v1/catalog/basic-items', { body: NEW_ITEM, token: citizen })).status).toBe(403);
    expect((await platform.call('POST', '/v1/catalog/basic-items', { body: NEW_ITEM, token: staffA })).status).toBe(403);
    expect((await platform.call('POST', '/v1/catalog/basic-items', { body: { ...NEW_ITEM, promisedDays: 30 }, token: admin })).status).toBe(422);
    const created = await platform.call('POST', '/v1/catalog/basic-items', { body: NEW_ITEM, token: admin });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'SJ-FW-0001', latestVersion: 1, publishCount: 0 });
    expect((await platform.call('POST', '/v1/catalog/basic-items', { body: NEW_ITEM, token: admin })).status).toBe(409);
    expect((await platform.call('GET', '/v1/items/SJ-FW-0001')).status).toBe(404);
    await platform.runtime.drainQueues();
    expect(await searchKeys(`q=${encodeURIComponent('公共数据开放利用')}`)).not.toContain('SJ-FW-0001');
  });

  it('publish → searchable (by name and alias) after one queue cycle', async () => {
    const published = await platform.call('POST', '/v1/catalog/basic-items/SJ-FW-0001/publish', { body: {}, token: admin });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ publishedVersion: 1, publishCount: 1 });
    await platform.runtime.drainQueues();
    expect((await searchKeys(`q=${encodeURIComponent('公共数据开放利用申请')}`))[0]).toBe('SJ-FW-0001');
    expect((await searchKeys(`q=${encodeURIComponent('申请公共数据')}`))[0]).toBe('SJ-FW-0001');
  });

  it('agency staff implement an item within their region and legal limit; publishing makes the local guide searchable there', async () => {
    const implementation = { itemCode: 'SJ-FW-0001', region: '330106', agencyName: DEMO_AGENCIES.a.name, promisedDays: 5, onlineUrl: 'https://zwfw.example.gov.cn/330106/SJ-FW-0001' };
    expect((await platform.call('POST', '/v1/catalog/implementations', { body: { ...implementation, promisedDays: 21 }, token: staffA })).status).toBe(422);
    const outside = await platform.call('POST', '/v1/catalog/implementations', { body: { ...implementation, agencyName: DEMO_AGENCIES.b.name }, token: staffB });
    expect(outside.status).toBe(403);
    expect((await platform.call('POST', '/v1/catalog/implementations', { body: { ...implementation, region: '999999' }, token: staffA })).status).toBe(422);
    const created = await platform.call('POST', '/v1/catalog/implementations', { body: implementation, token: staffA });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('SJ-FW-0001@330106');
    expect((await platform.call('POST', '/v1/catalog/implementations/SJ-FW-0001@330106/publish', { body: {}, token: staffB })).status).toBe(403);
    expect((await platform.call('POST', '/v1/catalog/implementations/SJ-FW-0001@330106/publish', { body: {}, token: staffA })).status).toBe(200);
    await platform.runtime.drainQueues();

    const local = await search(`q=${encodeURIComponent('公共数据开放')}&region=330106`);
    expect(local.hits[0]).toMatchObject({ type: 'guide', code: 'SJ-FW-0001', region: '330106', agency: DEMO_AGENCIES.a.name, promisedDays: 5 });
    const elsewhere = await search(`q=${encodeURIComponent('公共数据开放')}&region=440305`);
    expect(elsewhere.hits[0]).toMatchObject({ type: 'item', code: 'SJ-FW-0001', region: 'national', promisedDays: 10 });
  });

  it('a basic item change is a new version (409 on a stale edit) and reaches implementations that do not override the field', async () => {
    const { code: _code, ...fields } = NEW_ITEM;
    const change = { ...NEW_ITEM, expectedVersion: 1, promisedDays: 8, materials: [...NEW_ITEM.materials, { name: '数据安全承诺书', required: true }] };
    const updated = await platform.call('PUT', '/v1/catalog/basic-items/SJ-FW-0001', { body: change, token: admin });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ latestVersion: 2, publishedVersion: 1, changes: ['materials', 'promisedDays'] });
    const stale = await platform.call('PUT', '/v1/catalog/basic-items/SJ-FW-0001', { body: { ...change, expectedVersion: 1, name: '别的名字' }, token: admin });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    expect((await platform.call('PUT', '/v1/catalog/basic-items/SJ-FW-0001', { body: { ...fields, code: 'SJ-FW-0002', expectedVersion: 2 }, token: admin })).status).toBe(422);

    expect((await platform.call('GET', '/v1/items/SJ-FW-0001?region=330106')).body.materials).toHaveLength(1);
    expect((await platform.call('POST', '/v1/catalog/basic-items/SJ-FW-0001/publish', { body: {}, token: admin })).status).toBe(200);
    await platform.runtime.drainQueues();
    const guide = (await platform.call('GET', '/v1/items/SJ-FW-0001?region=330106')).body;
    expect(guide.materials.map((m: { name: string }) => m.name)).toEqual(['数据使用申请书', '数据安全承诺书']);
    expect(guide.promisedDays).toBe(5);
    expect(guide.implementation.overrides).toEqual(['promisedDays', 'onlineUrl']);
    expect((await platform.call('GET', '/v1/items/SJ-FW-0001')).body.promisedDays).toBe(8);
    const national = await search(`q=${encodeURIComponent('公共数据开放')}`);
    expect(national.hits[0]).toMatchObject({ code: 'SJ-FW-0001', promisedDays: 8 });
  });

  it('keeps every version readable with who changed what, and which one is current', async () => {
    const history = await platform.call('GET', '/v1/items/SJ-FW-0001/versions');
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ key: 'SJ-FW-0001', latestVersion: 2, publishedVersion: 2 });
    expect(history.body.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(history.body.versions[1]).toMatchObject({ changes: ['materials', 'promisedDays'], content: { promisedDays: 8 } });
    expect(history.body.versions[0].content.promisedDays).toBe(10);
    expect(history.body.versions[0].changedBy).toBeTruthy();
    const local = await platform.call('GET', '/v1/items/SJ-FW-0001/versions?region=330106');
    expect(local.body.versions[0]).toMatchObject({ version: 1, current: true, changedByAgency: DEMO_AGENCIES.a.uscc });
    expect((await platform.call('GET', '/v1/items/SJ-FW-0001/versions?region=440305')).status).toBe(404);
  });

  it('ignores a stale or repeated change message: the newer version stays in the index', async () => {
    const { code: _code, ...fields } = NEW_ITEM;
    await platform.call('PUT', '/v1/catalog/basic-items/SJ-FW-0001', { body: { ...fields, code: 'SJ-FW-0001', name: '公共数据资源开发利用申请', expectedVersion: 2 }, token: admin });
    const published = await platform.call('POST', '/v1/catalog/basic-items/SJ-FW-0001/publish', { body: {}, token: admin });
    expect(published.body.publishCount).toBe(3);
    await platform.runtime.drainQueues();
    const latestName = async () => (await search(`q=${encodeURIComponent('公共数据')}`)).hits.find((hit: { code?: string }) => hit.code === 'SJ-FW-0001')?.name;
    expect(await latestName()).toBe('公共数据资源开发利用申请');

    const inject = await platform.call('POST', '/_local/queues/catalog-changes/messages', {
      body: {
        messages: [
          { kind: 'basic-item', key: 'SJ-FW-0001', version: 1, publishCount: 1 },
          { kind: 'basic-item', key: 'SJ-FW-0001', version: 3, publishCount: 3 },
          { kind: 'implementation', key: 'SJ-FW-0001@330106', version: 1, publishCount: 1 },
          { kind: 'basic-item', key: 'SJ-FW-0001', version: 99, publishCount: 99 },
        ],
      },
    });
    expect(inject.status).toBe(202);
    await platform.runtime.drainQueues();
    expect(await latestName()).toBe('公共数据资源开发利用申请');
    expect((await search(`q=${encodeURIComponent('公共数据开放利用申请')}`)).hits.map((hit: { name: string }) => hit.name)).not.toContain('公共数据开放利用申请');
  });
});

describe('service guides', () => {
  it('merges the nearest implementation: county, then city, then province, else national', async () => {
    const county = (await platform.call('GET', '/v1/items/SC-XK-0001?region=330106')).body;
    expect(county).toMatchObject({ region: { code: '330106', fullName: '浙江省杭州市西湖区' }, promisedDays: 0, legalDays: 3, onlineApply: true });
    expect(county.implementation.agency.name).toBe(DEMO_AGENCIES.a.name);
    expect(county.windows[0].name).toContain('西湖区');
    expect(county.halls.map((h: { id: string }) => h.id)).toContain('HALL-330106-01');
    expect(county.lifeEventIds).toEqual([{ id: 'kaiban-qiye', name: '开办企业一件事' }]);
    expect(county.negativeListPrejudge).toBe('/v1/negative-list/prejudge');

    const city = (await platform.call('GET', '/v1/items/YM-XK-0001?region=330106')).body;
    expect(city).toMatchObject({ region: { code: '330100', name: '杭州市' }, promisedDays: 7, onlineDepth: 3 });
    const province = (await platform.call('GET', '/v1/items/SC-XK-0004?region=330106')).body;
    expect(province.region.code).toBe('330000');
    const shenzhen = (await platform.call('GET', '/v1/items/SC-XK-0001?region=440305')).body;
    expect(shenzhen.implementation.agency.name).toBe(DEMO_AGENCIES.b.name);
    expect(shenzhen.materials).toHaveLength(3);
    const beijing = (await platform.call('GET', '/v1/items/SC-XK-0001?region=110101')).body;
    expect(beijing).toMatchObject({ region: { code: 'national' }, promisedDays: 1 });
    expect(beijing.implementation).toBeUndefined();
  });

  it('defaults to the caller\'s registered region, and refuses unknown codes', async () => {
    expect((await platform.call('GET', '/v1/items/SC-XK-0001', { token: citizen })).body.region.code).toBe('330106');
    expect((await platform.call('GET', '/v1/items/SC-XK-0001?region=999999')).status).toBe(422);
    expect((await platform.call('GET', '/v1/items/SC-XK-0001?region=abc')).status).toBe(422);
    expect((await platform.call('GET', '/v1/items/XX-XX-9999')).status).toBe(404);
  });

  it('compares the implementations of an item across regions', async () => {
    const analysis = (await platform.call('GET', '/v1/catalog/analysis?code=SC-XK-0001')).body;
    expect(analysis.implementations.map((i: { region: { code: string } }) => i.region.code).sort()).toEqual(['330106', '440305']);
    expect(analysis.summary).toMatchObject({ regions: 2, promisedDays: { min: 0, max: 0, average: 0 }, fullyOnline: 2 });
    const shenzhen = analysis.implementations.find((i: { region: { code: string } }) => i.region.code === '440305');
    expect(shenzhen).toMatchObject({ materialsCount: 3, compression: 1 });
  });
});

describe('life events', () => {
  it('lists the one-thing bundles and chains the items of one with merged materials and total days', async () => {
    const list = (await platform.call('GET', '/v1/life-events')).body.lifeEvents;
    expect(list.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining(['kaiban-qiye', 'xinshenger-chusheng', 'tuixiu']));
    const event = (await platform.call('GET', '/v1/life-events/kaiban-qiye?region=330106')).body;
    expect(event.items.map((i: { code: string }) => i.code)).toEqual(['SC-XK-0001', 'GA-QT-0001', 'SW-FW-0001', 'SW-QT-0001', 'RS-QR-0001', 'YB-QR-0002', 'ZJ-FW-0001']);
    expect(event.items[0]).toMatchObject({ order: 1, region: { code: '330106' }, implementationId: 'SC-XK-0001@330106' });
    expect(event.totalPromisedDays).toBe(event.items.reduce((sum: number, i: { promisedDays: number }) => sum + i.promisedDays, 0));
    const names = event.materials.map((m: { name: string }) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(event.materials.find((m: { name: string }) => m.name === '营业执照').usedBy.length).toBeGreaterThan(1);
    expect(event.sharedForm.map((f: { field: string }) => f.field)).toContain('businessScope');
    expect((await platform.call('GET', '/v1/life-events/no-such-event')).status).toBe(404);
  });
});

describe('negative list pre-judgment', () => {
  const prejudge = (body: unknown) => platform.call('POST', '/v1/negative-list/prejudge', { body });

  it('allows a foreign investor an open scope, prohibits a forbidden one, names restricted ones', async () => {
    const open = await prejudge({ itemCode: 'SC-XK-0004', investorType: 'foreign', businessScope: '软件开发；技术咨询；计算机系统服务' });
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ allowed: true, matchedMeasures: [], edition: '2024' });
    const prohibited = await prejudge({ itemCode: 'SC-XK-0001', investorType: 'foreign', businessScope: '新闻采编，图书出版发行' });
    expect(prohibited.body.allowed).toBe(false);
    expect(prohibited.body.matchedMeasures.map((m: { no: number; kind: string }) => [m.no, m.kind])).toEqual([
      [23, 'prohibited'],
      [24, 'prohibited'],
    ]);
    const restricted = await prejudge({ itemCode: 'SC-XK-0004', investorType: 'foreign', businessScope: '玉米种子生产与销售' });
    expect(restricted.body.allowed).toBe(true);
    expect(restricted.body.matchedMeasures[0]).toMatchObject({ no: 1, kind: 'restricted', matchedHints: ['种子生产', '玉米'] });
    const domestic = await prejudge({ itemCode: 'SC-XK-0001', investorType: 'domestic', businessScope: '新闻采编' });
    expect(domestic.body).toMatchObject({ allowed: true, matchedMeasures: [] });
  });

  it('applies to establishment items only and validates its input', async () => {
    expect((await prejudge({ itemCode: 'GA-QR-0002', investorType: 'foreign', businessScope: '软件开发' })).status).toBe(422);
    expect((await prejudge({ itemCode: 'XX-XX-0000', investorType: 'foreign', businessScope: '软件开发' })).status).toBe(404);
    expect((await prejudge({ itemCode: 'SC-XK-0001', investorType: 'martian', businessScope: '软件开发' })).status).toBe(422);
    const list = await platform.call('GET', '/v1/negative-list');
    expect(list.body.measures).toHaveLength(29);
  });
});

describe('regions, halls and policies', () => {
  it('answers a GB/T 2260 region with its parent chain and children', async () => {
    const county = (await platform.call('GET', '/v1/regions/330106')).body;
    expect(county).toMatchObject({ name: '西湖区', level: 'county', fullName: '浙江省杭州市西湖区' });
    expect(county.parents.map((r: { code: string }) => r.code)).toEqual(['330100', '330000']);
    const city = (await platform.call('GET', '/v1/regions/330100')).body;
    expect(city.children.map((r: { code: string }) => r.code)).toContain('330106');
    expect((await platform.call('GET', '/v1/regions/999999')).status).toBe(404);
    expect((await platform.call('GET', '/v1/regions/33a')).status).toBe(422);
  });

  it('lets agency staff register halls and finds them nearest first', async () => {
    const hall = {
      name: '西湖区文新街道便民服务中心',
      address: '杭州市西湖区文一西路',
      region: '330106',
      location: { lat: 30.2876, lng: 120.1226 },
      openingHours: '工作日 9:00-17:00',
      itemCodes: ['SC-XK-0001', 'RS-FW-0001'],
      agencyName: DEMO_AGENCIES.a.name,
    };
    expect((await platform.call('POST', '/v1/catalog/halls', { body: { ...hall, region: '440305' }, token: staffA })).status).toBe(403);
    expect((await platform.call('POST', '/v1/catalog/halls', { body: { ...hall, itemCodes: ['XX-XX-0000'] }, token: staffA })).status).toBe(422);
    const created = await platform.call('POST', '/v1/catalog/halls', { body: hall, token: staffA });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await platform.call('PUT', `/v1/catalog/halls/${id}`, { body: { ...hall, expectedVersion: 1 }, token: staffB })).status).toBe(403);
    expect((await platform.call('PUT', `/v1/catalog/halls/${id}`, { body: { ...hall, openingHours: '每天 9:00-21:00', expectedVersion: 1 }, token: staffA })).status).toBe(200);
    expect((await platform.call('PUT', `/v1/catalog/halls/${id}`, { body: { ...hall, expectedVersion: 1 }, token: staffA })).status).toBe(409);

    const near = (await platform.call('GET', '/v1/halls?item=SC-XK-0001&near=30.2880,120.1230')).body.halls;
    expect(near[0]).toMatchObject({ id, openingHours: '每天 9:00-21:00' });
    expect(near[0].distanceMetres).toBeLessThan(100);
    expect(near.map((h: { distanceMetres: number }) => h.distanceMetres)).toEqual([...near.map((h: { distanceMetres: number }) => h.distanceMetres)].sort((a, b) => a - b));
    const inShenzhen = (await platform.call('GET', '/v1/halls?region=440305')).body.halls;
    expect(inShenzhen.map((h: { id: string }) => h.id)).toEqual(['HALL-440305-01']);
    expect((await platform.call('GET', '/v1/halls?near=91,0')).status).toBe(422);
  });

  it('publishes policies that apply by region and become searchable', async () => {
    const policy = {
      title: '关于推进公共数据授权运营的实施意见（演示）',
      issuer: '国家数据局',
      issuedOn: '2025-06-01',
      region: 'national',
      themes: ['数据服务'],
      body: '规范公共数据授权运营，鼓励企业依法申请使用公共数据。',
      relatedItems: ['SJ-FW-0001'],
    };
    expect((await platform.call('POST', '/v1/catalog/policies', { body: policy, token: staffA })).status).toBe(403);
    const created = await platform.call('POST', '/v1/catalog/policies', { body: policy, token: admin });
    expect(created.status).toBe(201);
    await platform.runtime.drainQueues();
    const found = await search(`q=${encodeURIComponent('公共数据授权运营')}&type=policy`);
    expect(found.hits[0]).toMatchObject({ type: 'policy', id: created.body.id, issuedOn: '2025-06-01' });
    const inHangzhou = (await platform.call('GET', '/v1/policies?region=330106')).body;
    const regions = inHangzhou.policies.map((p: { region: string }) => p.region);
    expect(regions).toEqual(expect.arrayContaining(['national', '330100']));
    expect(regions).not.toContain('440305');
    expect((await platform.call('GET', `/v1/policies/${created.body.id}`)).body.title).toBe(policy.title);
  });
});
