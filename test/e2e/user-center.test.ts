import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_AGENCIES } from '../../infra/local/demo-seed.js';
import { act, freshLogin, submittedCase, uploadPdf } from '../support/case-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
});
afterAll(async () => {
  await platform?.close();
});

const messages = async (token: string, query = '') => (await platform.call('GET', `/v1/me/messages${query}`, { token })).body as { messages: { messageId: string; source: string; ref?: string; readAt?: string }[]; unreadCount: number };
const privacy = (token: string, settings: Record<string, unknown>) =>
  platform.call('PUT', '/v1/me/privacy', { token, body: { privateSpace: false, autoDestroyReadMessages: 'off', recordFootprints: true, ...settings } });

describe('the user centre', () => {
  it('brings case state changes and interaction replies to the inbox, and destroys read messages after the chosen delay', async () => {
    const [citizen, staff] = await Promise.all([freshLogin(platform, 'citizen'), freshLogin(platform, 'staff')]);
    const caseNo = await submittedCase(platform, citizen, 'SC-XK-0007', '330106');
    expect((await act(platform, staff, caseNo, { action: 'accept' })).status).toBe(200);
    await platform.runtime.drainQueues();
    await platform.runtime.drainQueues();
    const consult = (await platform.call('POST', '/v1/interactions', { token: citizen, body: { kind: 'consult', agency: DEMO_AGENCIES.a.uscc, title: '问', content: '内容' } })).body;

    const inbox = await messages(citizen);
    const ofCase = inbox.messages.filter((m) => m.source === 'case' && m.ref === caseNo);
    expect(ofCase.length).toBeGreaterThanOrEqual(2);
    expect(inbox.messages.some((m) => m.source === 'interaction' && m.ref === consult.id)).toBe(true);
    expect(inbox.unreadCount).toBe(inbox.messages.length);
    await platform.runtime.drainQueues();
    expect((await messages(citizen)).messages).toHaveLength(inbox.messages.length);

    expect((await privacy(citizen, { autoDestroyReadMessages: '1h' })).status).toBe(200);
    const target = ofCase[0]!.messageId;
    expect((await platform.call('POST', `/v1/me/messages/${encodeURIComponent(target)}/read`, { token: citizen })).status).toBe(200);
    const afterRead = await messages(citizen);
    expect(afterRead.unreadCount).toBe(inbox.unreadCount - 1);
    expect(afterRead.messages.find((m) => m.messageId === target)?.readAt).toBeDefined();
    expect((await messages(citizen, '?unread=true')).messages.map((m) => m.messageId)).not.toContain(target);

    clock.advance(59 * 60);
    const token = await freshLogin(platform, 'citizen');
    expect((await messages(token)).messages.map((m) => m.messageId)).toContain(target);
    clock.advance(60);
    const destroyed = await messages(token);
    expect(destroyed.messages.map((m) => m.messageId)).not.toContain(target);
    expect(destroyed.messages).toHaveLength(inbox.messages.length - 1);
    expect(destroyed.unreadCount).toBe(inbox.unreadCount - 1);
    expect((await platform.call('POST', `/v1/me/messages/${encodeURIComponent(target)}/read`, { token })).status).toBe(404);
  });

  it('records footprints newest first only while the privacy setting allows, and removes them one by one or all', async () => {
    const citizen = await freshLogin(platform, 'citizen');
    const record = (type: string, ref: string) => platform.call('POST', '/v1/me/footprints', { token: citizen, body: { type, ref } });
    expect((await record('item', 'SC-XK-0007')).body.recorded).toBe(true);
    clock.advance(1);
    expect((await record('search', '营业执照')).body.recorded).toBe(true);
    let list = (await platform.call('GET', '/v1/me/footprints', { token: citizen })).body.footprints;
    expect(list.map((f: { ref: string }) => f.ref)).toEqual(['营业执照', 'SC-XK-0007']);

    expect((await privacy(citizen, { recordFootprints: false })).status).toBe(200);
    expect((await record('item', 'SC-XK-0005')).body).toEqual({ recorded: false });
    expect((await platform.call('GET', '/v1/me/footprints', { token: citizen })).body.footprints).toHaveLength(2);
    expect((await privacy(citizen, { recordFootprints: true })).status).toBe(200);
    clock.advance(1);
    await record('item', 'SC-XK-0005');

    list = (await platform.call('GET', '/v1/me/footprints', { token: citizen })).body.footprints;
    expect(list.map((f: { ref: string }) => f.ref)).toEqual(['SC-XK-0005', '营业执照', 'SC-XK-0007']);
    expect((await platform.call('DELETE', `/v1/me/footprints/${list[1].footprintId}`, { token: citizen })).status).toBe(200);
    expect((await platform.call('GET', '/v1/me/footprints', { token: citizen })).body.footprints.map((f: { ref: string }) => f.ref)).toEqual(['SC-XK-0005', 'SC-XK-0007']);
    expect((await platform.call('DELETE', '/v1/me/footprints', { token: citizen })).body).toEqual({ removed: 2 });
    expect((await platform.call('GET', '/v1/me/footprints', { token: citizen })).body.footprints).toEqual([]);
  });

  it('keeps favourites once each, and shows subscribed items and favourites on the home page', async () => {
    const citizen = await freshLogin(platform, 'citizen');
    const add = (type: string, ref: string) => platform.call('POST', '/v1/me/favorites', { token: citizen, body: { type, ref } });
    expect((await add('item', 'SC-XK-0007')).status).toBe(201);
    await add('item', 'SC-XK-0007');
    expect((await add('policy', 'POL-HZ-2025-01')).status).toBe(201);
    expect((await add('video', 'x')).status).toBe(422);
    const favorites = (await platform.call('GET', '/v1/me/favorites', { token: citizen })).body.favorites;
    expect(favorites.map((f: { type: string; ref: string }) => `${f.type}:${f.ref}`).sort()).toEqual(['item:SC-XK-0007', 'policy:POL-HZ-2025-01']);
    const policy = favorites.find((f: { type: string }) => f.type === 'policy');
    expect((await platform.call('DELETE', `/v1/me/favorites/${policy.favoriteId}`, { token: citizen })).status).toBe(200);
    expect((await platform.call('DELETE', `/v1/me/favorites/${policy.favoriteId}`, { token: citizen })).status).toBe(404);

    expect((await platform.call('PUT', '/v1/me/preferences', { token: citizen, body: { region: '330106', themes: ['设立变更'], subscribedItems: ['SC-XK-0005'] } })).status).toBe(200);
    const home = (await platform.call('GET', '/v1/me/home', { token: citizen })).body;
    expect(home.subscribedItems).toEqual([expect.objectContaining({ itemCode: 'SC-XK-0005', region: '330106' })]);
    expect(home.favorites.map((f: { ref: string }) => f.ref)).toEqual(['SC-XK-0007']);
    expect(home.policies.map((p: { id: string }) => p.id)).toContain('POL-HZ-2025-01');
    expect(home.policies.map((p: { id: string }) => p.id)).not.toContain('POL-NS-2025-02');
    expect(home.policies.every((p: { themes: string[] }) => p.themes.includes('设立变更'))).toBe(true);
    expect(home.unreadMessages).toEqual(expect.any(Number));

    const recommended = (await platform.call('GET', '/v1/search/recommendations?region=330106', { token: citizen })).body.recommendations;
    expect(recommended).toContainEqual(expect.objectContaining({ code: 'SC-XK-0007', reason: 'personal' }));
  });

  it('keeps uploads as private-space documents only the owner sees, and only while the private space is on', async () => {
    const [citizen, enterprise] = await Promise.all([freshLogin(platform, 'citizen'), freshLogin(platform, 'enterprise')]);
    const documents = (token: string) => platform.call('GET', '/v1/me/private-space/documents', { token });
    const blobId = await uploadPdf(platform, citizen);
    const store = (token: string, body: Record<string, unknown>) => platform.call('POST', '/v1/me/private-space/documents', { token, body });

    const off = await store(citizen, { blobId, title: '房产证扫描件' });
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('private_space_off');
    expect((await privacy(citizen, { privateSpace: true })).status).toBe(200);
    expect((await privacy(enterprise, { privateSpace: true })).status).toBe(200);

    expect((await store(enterprise, { blobId, title: '别人的文件' })).status).toBe(404);
    const stored = await store(citizen, { blobId, title: '房产证扫描件' });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ documentId: blobId, title: '房产证扫描件', fileName: 'material.pdf', contentType: 'application/pdf' });
    expect((await documents(citizen)).body.documents).toEqual([stored.body]);

    expect((await documents(enterprise)).body.documents).toEqual([]);
    expect((await platform.call('DELETE', `/v1/me/private-space/documents/${blobId}`, { token: enterprise })).status).toBe(404);
    expect((await platform.call('DELETE', `/v1/me/private-space/documents/${blobId}`, { token: citizen })).body).toEqual({ removed: 1 });
    expect((await documents(citizen)).body.documents).toEqual([]);
    expect((await platform.call('DELETE', `/v1/me/private-space/documents/${blobId}`, { token: citizen })).status).toBe(404);

    expect((await privacy(citizen, { privateSpace: false })).status).toBe(200);
    expect((await documents(citizen)).status).toBe(409);
  });

  it('aggregates access events of a scripted day exactly, zero-result keywords included', async () => {
    const events = platform.runtime.dependencies.accessEvents!;
    await events.flush();
    await platform.runtime.drainQueues();
    clock.set(new Date(clock.now().getTime() + 40 * 86_400_000));
    const day = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

    const citizen = await freshLogin(platform, 'citizen');
    await platform.call('GET', '/health');
    await platform.call('GET', '/health', { headers: { 'x-channel': 'app' } });
    expect((await platform.call('GET', `/v1/search?q=${encodeURIComponent('营业执照')}&region=330106`, { token: citizen })).body.total).toBeGreaterThan(0);
    expect((await platform.call('GET', `/v1/search?q=${'qqzzxxjjkkww'}&region=330106`)).body.total).toBe(0);
    await platform.call('GET', `/v1/search?q=${'qqzzxxjjkkww'}`);
    await platform.call('GET', '/v1/items/SC-XK-0007?region=330106', { token: citizen });
    expect((await platform.call('GET', '/v1/items/XX-XX-9999')).status).toBe(404);
    await events.flush();
    await platform.runtime.drainQueues();

    const admin = await freshLogin(platform, 'admin');
    const stats = async (dimension: string) => {
      const response = await platform.call('GET', `/v1/analytics/access?from=${day}&to=${day}&dimension=${dimension}`, { token: admin });
      expect(response.status).toBe(200);
      return Object.fromEntries(response.body.rows.map((r: { value: string; count: number }) => [r.value, r.count]));
    };
    const routes = await platform.call('GET', `/v1/analytics/access?from=${day}&to=${day}&dimension=route`, { token: admin });
    expect(routes.body.totals).toMatchObject({ requests: 8, successes: 7, failures: 1, uniqueUsers: 1 });
    expect(Object.fromEntries(routes.body.rows.map((r: { value: string; count: number }) => [r.value, r.count]))).toEqual({
      'POST /v1/identity/sessions': 1,
      'GET /health': 2,
      'GET /v1/search': 3,
      'GET /v1/items/{code}': 2,
    });
    expect(await stats('keyword')).toEqual({ 营业执照: 1, qqzzxxjjkkww: 2 });
    expect(await stats('zero-result-keyword')).toEqual({ qqzzxxjjkkww: 2 });
    expect(await stats('item')).toEqual({ 'SC-XK-0007': 1, 'XX-XX-9999': 1 });
    expect(await stats('status')).toEqual({ '200': 6, '201': 1, '404': 1 });
    expect(await stats('channel')).toEqual({ api: 7, app: 1 });
    expect(await stats('subjectType')).toEqual({ anonymous: 6, natural: 2 });
    expect((await platform.call('GET', `/v1/analytics/access?from=${day}&to=${day}`, { token: citizen })).status).toBe(403);
  });
});
