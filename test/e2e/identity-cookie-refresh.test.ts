import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityAuditTrail } from '../../shared/identity/audit-trail.js';
import { SESSION_TTL_SECONDS } from '../../shared/identity/open-session.js';
import { startTestPlatform, type TestPlatform, type TestResponse } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';
import { claimsOf, postForm } from '../support/identity-helpers.js';

let platform: TestPlatform;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  platform = await startTestPlatform({ clock });
}, 60_000);
afterAll(() => platform?.close());

const COOKIE = '__Secure-gsp-refresh';
const COOKIE_DELIVERY = { 'x-token-delivery': 'cookie' };

/** the one Set-Cookie of a response, split into its value and attributes */
function setCookieOf(response: TestResponse): { name: string; value: string; attributes: Record<string, string> } {
  const all = response.headers.getSetCookie();
  expect(all).toHaveLength(1);
  const [pair, ...rest] = all[0]!.split(/;\s*/);
  const at = pair!.indexOf('=');
  const attributes = Object.fromEntries(rest.map((part) => [part.split('=')[0]!.toLowerCase(), part.split('=')[1] ?? '']));
  return { name: pair!.slice(0, at), value: pair!.slice(at + 1), attributes };
}

/** logs the demo citizen in as the portal does; returns the access token and the refresh cookie */
async function browserLogin() {
  const { username, password } = platform.account('citizen');
  const response = await platform.call('POST', '/v1/identity/sessions', { body: { username, password }, headers: COOKIE_DELIVERY });
  expect(response.status).toBe(201);
  return { response, accessToken: response.body.accessToken as string, cookie: setCookieOf(response).value };
}

const refreshWithCookie = (cookie: string, headers: Record<string, string> = COOKIE_DELIVERY) =>
  platform.call('POST', '/v1/identity/token', { body: { grant_type: 'refresh_token' }, headers: { cookie: `theme=dark; ${COOKIE}=${cookie}`, ...headers } });

describe('refresh tokens in an httpOnly cookie (X-Token-Delivery: cookie)', () => {
  it('logs in with the access token in the body and the refresh token only in a strict httpOnly cookie', async () => {
    const { response, accessToken } = await browserLogin();
    expect(response.body).toEqual({ accessToken, expiresIn: 900, tokenType: 'Bearer' });
    expect(response.text).not.toContain('refreshToken');
    const cookie = setCookieOf(response);
    expect(cookie.name).toBe(COOKIE);
    expect(cookie.value).toMatch(/^[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes).toEqual({ path: '/v1/identity', 'max-age': String(SESSION_TTL_SECONDS), httponly: '', secure: '', samesite: 'Strict' });
    expect((await platform.call('GET', '/v1/identity/me', { token: accessToken })).status).toBe(200);
  });

  it('refreshes from the cookie with the header: a new access token in the body and a rotated cookie', async () => {
    const { cookie } = await browserLogin();
    clock.advance(60);
    const refreshed = await refreshWithCookie(cookie);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 });
    const rotated = setCookieOf(refreshed);
    expect(rotated.name).toBe(COOKIE);
    expect(rotated.value).not.toBe(cookie);
    // the cookie lives as long as the session, which a refresh does not extend
    expect(Number(rotated.attributes['max-age'])).toBe(SESSION_TTL_SECONDS - 60);
    expect((await platform.call('GET', '/v1/identity/me', { token: refreshed.body.access_token })).status).toBe(200);
    expect((await refreshWithCookie(rotated.value)).status).toBe(200);
  });

  it('refuses a refresh that relies on the cookie without the header, as a cross-site form would send it', async () => {
    const { cookie } = await browserLogin();
    const withoutHeader = await refreshWithCookie(cookie, {});
    expect(withoutHeader.status).toBe(422);
    expect(withoutHeader.body.error.details[0].field).toBe('refresh_token');
    const form = await postForm(platform, '/v1/identity/token', { grant_type: 'refresh_token' }, { cookie: `${COOKIE}=${cookie}` });
    expect(form.status).toBe(422);
    expect(form.headers.getSetCookie()).toEqual([]);
    const otherDelivery = await refreshWithCookie(cookie, { 'x-token-delivery': 'body' });
    expect(otherDelivery.status).toBe(422);
    expect(otherDelivery.body.error.details[0].field).toBe('header.x-token-delivery');
    // none of the refused attempts used the token up
    expect((await refreshWithCookie(cookie)).status).toBe(200);
  });

  it('refuses cookie delivery without a cookie, and a body token next to it', async () => {
    const missing = await platform.call('POST', '/v1/identity/token', { body: { grant_type: 'refresh_token' }, headers: COOKIE_DELIVERY });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_grant');
    const { cookie } = await browserLogin();
    const both = await refreshWithCookie(cookie, { ...COOKIE_DELIVERY, 'content-type': 'application/json' });
    expect(both.status).toBe(200);
    const bodyToken = await platform.call('POST', '/v1/identity/token', {
      body: { grant_type: 'refresh_token', refresh_token: setCookieOf(both).value },
      headers: { ...COOKIE_DELIVERY, cookie: `${COOKIE}=${setCookieOf(both).value}` },
    });
    expect(bodyToken.status).toBe(422);
  });

  it('ends the session when an old cookie is presented again (reuse detection, as with body tokens)', async () => {
    const { cookie, accessToken } = await browserLogin();
    const first = await refreshWithCookie(cookie);
    expect(first.status).toBe(200);
    const reuse = await refreshWithCookie(cookie);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error.code).toBe('invalid_grant');
    // the thief's reuse also ends the legitimate holder's session
    expect((await refreshWithCookie(setCookieOf(first).value)).status).toBe(400);
    const audit = await identityAuditTrail(platform.runtime.dependencies.tables).list({ accountId: claimsOf(accessToken).sub });
    expect(audit.map((entry) => entry.action)).toContain('refresh-token-reused');
  });

  it('clears the cookie at logout, and the logged-out cookie no longer refreshes', async () => {
    const { cookie, accessToken } = await browserLogin();
    const logout = await platform.call('DELETE', '/v1/identity/sessions/current', { token: accessToken, headers: { ...COOKIE_DELIVERY, cookie: `${COOKIE}=${cookie}` } });
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ sessionsEnded: 1 });
    const cleared = setCookieOf(logout);
    expect(cleared).toMatchObject({ name: COOKIE, value: '', attributes: { path: '/v1/identity', 'max-age': '0', httponly: '', secure: '' } });
    expect((await refreshWithCookie(cookie)).status).toBe(400);
  });

  it('keeps API clients as they were: the refresh token in the body, no cookie', async () => {
    const { username, password } = platform.account('citizen');
    const login = await platform.call('POST', '/v1/identity/sessions', { body: { username, password } });
    expect(login.body.refreshToken).toEqual(expect.any(String));
    expect(login.headers.getSetCookie()).toEqual([]);
    const refreshed = await platform.call('POST', '/v1/identity/token', { body: { grant_type: 'refresh_token', refresh_token: login.body.refreshToken } });
    expect(refreshed.body.refresh_token).toEqual(expect.any(String));
    expect(refreshed.headers.getSetCookie()).toEqual([]);
  });

  it('documents the header in the OpenAPI document', async () => {
    const document = (await platform.call('GET', '/openapi.json')).body;
    for (const [path, method] of [['/v1/identity/sessions', 'post'], ['/v1/identity/token', 'post'], ['/v1/identity/sessions/current', 'delete']] as const) {
      expect(document.paths[path][method].parameters).toContainEqual(expect.objectContaining({ name: 'x-token-delivery', in: 'header', required: false }));
    }
  });
});
