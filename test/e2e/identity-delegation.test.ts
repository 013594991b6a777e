import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityAuditTrail } from '../../shared/identity/audit-trail.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';
import { claimsOf, postForm, STRONG_PASSWORD, login } from '../support/identity-helpers.js';

/** The demo enterprise (level 3) lets the demo citizen 张测试 (level 3) act for it on an item. */
let platform: TestPlatform;
const clock = new ManualClock(new Date());
const CITIZEN_ID = '330106199003071236';
const inDays = (days: number) => new Date(clock.now().getTime() + days * 24 * 3600 * 1000).toISOString();

beforeAll(async () => {
  platform = await startTestPlatform({ clock });
});
afterAll(async () => {
  await platform?.close();
});

const offer = (token: string, body: Record<string, unknown>) => platform.call('POST', '/v1/identity/delegations', { token, body });
const actFor = (token: string, delegationId: string) =>
  postForm(platform, '/v1/identity/token', {
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: token,
    subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    delegation_id: delegationId,
  });
/** a fresh login of a demo role (the clock moves past session lifetimes here, so tokens are not reused) */
const loginAs = async (role: string) => {
  const { username, password } = platform.account(role);
  return (await login(platform, username, password)).accessToken;
};
const fieldsOf = (res: { body: { error: { details?: { field: string }[] } } }) => (res.body.error.details ?? []).map((d) => d.field).sort();

describe('delegation', () => {
  it('is offered, accepted by the delegate, used through token exchange with an act claim, and revoked', async () => {
    const enterprise = await loginAs('enterprise');
    const citizen = await loginAs('citizen');
    const enterpriseId = claimsOf(enterprise).sub;
    const citizenId = claimsOf(citizen).sub;

    const offered = await offer(enterprise, { delegateIdNumber: CITIZEN_ID, itemCodes: ['SC-XK-0001'], validUntil: inDays(30) });
    expect(offered.status).toBe(201);
    expect(offered.body).toMatchObject({ state: 'offered', role: 'principal', delegate: { idNumber: '3301**********1236' }, itemCodes: ['SC-XK-0001'], principal: { name: '示例科技有限公司', subjectType: 'legal' } });
    expect(offered.text).not.toContain(CITIZEN_ID);
    const id = offered.body.delegationId as string;

    // not in force before acceptance
    expect((await actFor(citizen, id)).body.error.code).toBe('invalid_grant');

    const received = await platform.call('GET', '/v1/identity/delegations', { token: citizen });
    expect(received.body.received.map((d: { delegationId: string }) => d.delegationId)).toContain(id);
    expect(received.body.granted).toEqual([]);

    expect((await platform.call('POST', `/v1/identity/delegations/${id}/accept`, { token: enterprise })).status).toBe(404);
    const accepted = await platform.call('POST', `/v1/identity/delegations/${id}/accept`, { token: citizen });
    expect(accepted.body).toMatchObject({ state: 'accepted', role: 'delegate' });
    expect((await platform.call('POST', `/v1/identity/delegations/${id}/accept`, { token: citizen })).status).toBe(409);

    const exchanged = await actFor(citizen, id);
    expect(exchanged.status).toBe(200);
    const delegated = exchanged.body.access_token as string;
    expect(claimsOf(delegated)).toMatchObject({ sub: enterpriseId, act: { sub: citizenId }, delegation_id: id, item_codes: ['SC-XK-0001'], subjectType: 'legal', level: 3, roles: [] });
    expect(exchanged.body.refresh_token).toBeUndefined();

    // the delegate acts for the enterprise, but cannot manage its account
    expect((await platform.call('GET', '/v1/identity/me', { token: delegated })).body.name).toBe('示例科技有限公司');
    for (const [method, path] of [['POST', '/v1/identity/logout-all'], ['DELETE', '/v1/identity/me'], ['GET', '/v1/identity/delegations']] as const) {
      const res = await platform.call(method, path, { token: delegated });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('delegated_token_not_allowed');
    }

    const revoked = await platform.call('DELETE', `/v1/identity/delegations/${id}`, { token: enterprise });
    expect(revoked.body).toMatchObject({ state: 'revoked' });
    clock.advance(5);
    expect((await platform.call('GET', '/v1/identity/me', { token: delegated })).status).toBe(401);
    expect((await actFor(citizen, id)).status).toBe(400);
    // the delegate's own session goes on
    expect((await platform.call('GET', '/v1/identity/me', { token: citizen })).status).toBe(200);

    const actions = (await identityAuditTrail(platform.runtime.dependencies.tables).list({ accountId: enterpriseId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['delegation-created', 'delegation-accepted', 'delegation-used', 'delegation-revoked']));
  });

  it('ends the delegated session when the delegate logs out', async () => {
    const enterprise = await loginAs('enterprise');
    const citizen = platform.account('citizen');
    const own = await login(platform, citizen.username, citizen.password);
    const { body } = await offer(enterprise, { delegateIdNumber: CITIZEN_ID, scope: ['cases:submit', 'cases:read'], validUntil: inDays(7) });
    await platform.call('POST', `/v1/identity/delegations/${body.delegationId}/accept`, { token: own.accessToken });
    const delegated = (await actFor(own.accessToken, body.delegationId)).body.access_token as string;
    expect(claimsOf(delegated).scope).toBe('cases:submit cases:read');

    await platform.call('DELETE', '/v1/identity/sessions/current', { token: own.accessToken });
    clock.advance(5);
    expect((await platform.call('GET', '/v1/identity/me', { token: delegated })).status).toBe(401);
  });

  it('expires at validUntil', async () => {
    const enterprise = await loginAs('enterprise');
    const citizen = await loginAs('citizen');
    const { body } = await offer(enterprise, { delegateIdNumber: CITIZEN_ID, itemCodes: ['SC-XK-0002'], validUntil: inDays(1) });
    await platform.call('POST', `/v1/identity/delegations/${body.delegationId}/accept`, { token: citizen });
    clock.advance(24 * 3600 + 1);
    const fresh = await loginAs('citizen');
    expect((await actFor(fresh, body.delegationId)).status).toBe(400);
    expect((await platform.call('GET', `/v1/identity/delegations/${body.delegationId}`, { token: fresh })).body.state).toBe('expired');
  });

  it('validates the offer: one delegate, items or scope, a future date within a year, not oneself', async () => {
    const enterprise = await loginAs('enterprise');
    const both = await offer(enterprise, { delegateIdNumber: CITIZEN_ID, delegateUscc: '91110101MA01ABCD2C', itemCodes: ['SC-XK-0001'], scope: ['cases:read'], validUntil: inDays(1) });
    expect(both.status).toBe(422);
    expect(fieldsOf(both)).toEqual(['delegateIdNumber', 'itemCodes']);
    const badId = await offer(enterprise, { delegateIdNumber: '330106199003071235', itemCodes: ['SC-XK-0001'], validUntil: inDays(1) });
    expect(fieldsOf(badId)).toEqual(['delegateIdNumber']);
    expect(fieldsOf(await offer(enterprise, { delegateIdNumber: CITIZEN_ID, scope: ['everything'], validUntil: inDays(1) }))).toEqual(['scope.0']);
    expect(fieldsOf(await offer(enterprise, { delegateIdNumber: CITIZEN_ID, itemCodes: ['SC-XK-0001'], validUntil: inDays(-1) }))).toEqual(['validUntil']);
    expect(fieldsOf(await offer(enterprise, { delegateIdNumber: CITIZEN_ID, itemCodes: ['SC-XK-0001'], validUntil: inDays(400) }))).toEqual(['validUntil']);
    expect(fieldsOf(await offer(enterprise, { delegateUscc: '91330106MA2B3C4D5D', itemCodes: ['SC-XK-0001'], validUntil: inDays(1) }))).toEqual(['delegateUscc']);
  });

  it('needs real-name level 3, and shows a delegation only to its principal and delegate', async () => {
    const phone = '13930000001';
    await platform.call('POST', '/v1/identity/registrations', {
      body: { type: 'natural', name: '周模拟', idType: 'resident-id', idNumber: '420106198808083186', phone, password: STRONG_PASSWORD },
    });
    const stranger = (await login(platform, phone, STRONG_PASSWORD)).accessToken;
    const low = await offer(stranger, { delegateIdNumber: CITIZEN_ID, itemCodes: ['SC-XK-0001'], validUntil: inDays(1) });
    expect(low.status).toBe(403);
    expect(low.body.error.code).toBe('level_too_low');

    const enterprise = await loginAs('enterprise');
    const { body } = await offer(enterprise, { delegateIdNumber: CITIZEN_ID, itemCodes: ['SC-XK-0001'], validUntil: inDays(1) });
    expect((await platform.call('GET', `/v1/identity/delegations/${body.delegationId}`, { token: stranger })).status).toBe(404);
    expect((await platform.call('DELETE', `/v1/identity/delegations/${body.delegationId}`, { token: await loginAs('citizen') })).status).toBe(404);
    expect((await platform.call('GET', `/v1/identity/delegations/${body.delegationId}`, { token: enterprise })).body.role).toBe('principal');
  });
});
