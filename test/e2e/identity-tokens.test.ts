import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { identityAuditTrail } from '../../shared/identity/audit-trail.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';
import { claimsOf, login, phoneNumbers, postForm, residentId, smsCodeFor, startTestPeer, STRONG_PASSWORD, type TestPeer } from '../support/identity-helpers.js';

let platform: TestPlatform;
let peer: TestPeer;
const clock = new ManualClock(new Date());
const nextPhone = phoneNumbers('1392');
let idSequence = 300;

beforeAll(async () => {
  // the demo platform's client id doubles as a configured peer, whose keys sign its client assertions
  peer = await startTestPeer('/zj');
  platform = await startTestPlatform({
    clock,
    peerPlatforms: [{ id: 'zj-regional', issuer: peer.issuer, jwksUri: peer.jwksUri, audience: 'https://zj.example/api', maxLevel: 3, allowFederatedAccounts: false }],
  });
});
afterAll(async () => {
  await platform?.close();
  await peer?.close();
});

/** registers a natural person and logs in */
async function newUser(overrides: Record<string, unknown> = {}) {
  const body = { type: 'natural', name: '测试人', idType: 'resident-id', idNumber: residentId('1991-02-03', idSequence++), phone: nextPhone(), password: STRONG_PASSWORD, ...overrides };
  const res = await platform.call('POST', '/v1/identity/registrations', { body });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.text}`);
  return { ...body, accountId: res.body.accountId as string, ...(await login(platform, body.phone as string, STRONG_PASSWORD)) };
}
const me = (token: string) => platform.call('GET', '/v1/identity/me', { token });
const refresh = (refreshToken: string) => postForm(platform, '/v1/identity/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
/** moves past the session-status cache: a revoked session's tokens are refused within 5 s */
const afterRevocationCache = () => clock.advance(5);

describe('access tokens', () => {
  it('are ES256 JWTs with the platform claims, for 15 minutes', async () => {
    const user = await newUser();
    const [header] = user.accessToken.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = claimsOf(user.accessToken);
    expect(claims).toMatchObject({ iss: platform.url, aud: platform.url, sub: user.accountId, subjectType: 'natural', level: 1, acr: 'urn:gov:cn:loa:1', amr: ['pwd'], roles: [] });
    expect(claims.exp - claims.iat).toBe(900);
    expect(typeof claims.jti).toBe('string');
    expect(typeof claims.sid).toBe('string');
  });
});

describe('refresh tokens', () => {
  it('rotate on use, by form or JSON, and a reused one ends the whole session (400 invalid_grant)', async () => {
    const user = await newUser();
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(first.body.refresh_token).not.toBe(user.refreshToken);
    expect(claimsOf(first.body.access_token).sid).toBe(claimsOf(user.accessToken).sid);

    const second = await platform.call('POST', '/v1/identity/token', { body: { grant_type: 'refresh_token', refresh_token: first.body.refresh_token } });
    expect(second.status).toBe(200);

    const reuse = await refresh(user.refreshToken);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error.code).toBe('invalid_grant');
    // the thief's reuse also ends the legitimate holder's session
    expect((await refresh(second.body.refresh_token)).status).toBe(400);
    afterRevocationCache();
    expect((await me(second.body.access_token)).status).toBe(401);
    const audit = await identityAuditTrail(platform.runtime.dependencies.tables).list({ accountId: user.accountId });
    expect(audit.map((e) => e.action)).toContain('refresh-token-reused');
  });

  it('refuses tokens that are not ours without ending anything', async () => {
    const user = await newUser();
    const forged = `${claimsOf(user.accessToken).sid}.${'A'.repeat(43)}`;
    expect((await refresh(forged)).body.error.code).toBe('invalid_grant');
    expect((await refresh('garbage')).status).toBe(400);
    expect((await refresh(user.refreshToken)).status).toBe(200);
  });

  it('validates the grant: unknown grant types and missing fields are 422', async () => {
    const unknown = await postForm(platform, '/v1/identity/token', { grant_type: 'password', username: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0].field).toBe('grant_type');
    const missing = await postForm(platform, '/v1/identity/token', { grant_type: 'refresh_token' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].field).toBe('refresh_token');
  });
});

describe('client_credentials for registered platforms', () => {
  it('issues platform tokens for the client secret, in the body or by HTTP Basic', async () => {
    const { username, password } = platform.account('platform');
    const posted = await postForm(platform, '/v1/identity/token', { grant_type: 'client_credentials', client_id: username, client_secret: password });
    expect(posted.status).toBe(200);
    expect(claimsOf(posted.body.access_token)).toMatchObject({ subjectType: 'platform', roles: ['exchange-source'], amr: ['pwd'] });
    expect(claimsOf(posted.body.access_token).sid).toBeUndefined();
    expect(posted.body.refresh_token).toBeUndefined();

    const basic = Buffer.from(`${encodeURIComponent(username)}:${encodeURIComponent(password)}`).toString('base64');
    const viaBasic = await postForm(platform, '/v1/identity/token', { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(viaBasic.status).toBe(200);
  });

  it('refuses a wrong secret and non-platform accounts alike (401 invalid_client)', async () => {
    const wrong = await postForm(platform, '/v1/identity/token', { grant_type: 'client_credentials', client_id: 'zj-regional', client_secret: 'not-the-secret' });
    const citizen = platform.account('citizen');
    const notAPlatform = await postForm(platform, '/v1/identity/token', { grant_type: 'client_credentials', client_id: citizen.username, client_secret: citizen.password });
    expect(wrong.status).toBe(401);
    expect(notAPlatform.status).toBe(401);
    expect(wrong.body).toEqual(notAPlatform.body);
    expect(wrong.body.error.code).toBe('invalid_client');
  });

  it('accepts a private_key_jwt assertion signed by the platform\'s configured keys, once', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = peer.sign({ iss: 'zj-regional', sub: 'zj-regional', aud: `${platform.url}/v1/identity/token`, iat: now, exp: now + 60, jti: `a-${now}` });
    const fields = { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion };
    const res = await postForm(platform, '/v1/identity/token', fields);
    expect(res.status).toBe(200);
    expect(claimsOf(res.body.access_token)).toMatchObject({ subjectType: 'platform', amr: ['swk'] });
    expect((await postForm(platform, '/v1/identity/token', fields)).status).toBe(401);
  });
});

describe('real-name level upgrades (table 1)', () => {
  it('climbs from 1 to 5 with confirmed evidence, and never on a mismatch', async () => {
    const user = await newUser({ name: '李示例', idNumber: '110101198511124560' });
    const upgrade = (body: Record<string, unknown>, token = user.accessToken) => platform.call('POST', '/v1/identity/level-upgrades', { token, body });

    const code = await smsCodeFor(platform, user.phone as string, 'upgrade');
    expect((await upgrade({ method: 'sms', evidence: { smsCode: code } })).body).toMatchObject({ level: 2, previousLevel: 1 });

    const tooEarly = await upgrade({ method: 'face', evidence: { livenessToken: 'live-2' } });
    expect(tooEarly.status).toBe(403);
    expect(tooEarly.body.error.code).toBe('level_too_low');

    const wrongName = await upgrade({ method: 'id-card', evidence: { name: '李错误', idNumber: '110101198511124560', validUntil: '2036-01-01' } });
    expect(wrongName.status).toBe(422);
    expect(wrongName.body.error).toMatchObject({ code: 'verification_failed', details: [{ field: 'evidence' }] });
    const wrongValidity = await upgrade({ method: 'id-card', evidence: { name: '李示例', idNumber: '110101198511124560', validUntil: '2030-01-01' } });
    expect(wrongValidity.status).toBe(422);
    expect((await me(user.accessToken)).body.level).toBe(2);

    expect((await upgrade({ method: 'id-card', evidence: { name: '李示例', idNumber: '110101198511124560', validUntil: '2036-01-01' } })).body.level).toBe(3);
    expect((await upgrade({ method: 'face', evidence: { livenessToken: 'live-1' } })).status).toBe(422);
    expect((await upgrade({ method: 'face', evidence: { livenessToken: 'live-2' } })).body.level).toBe(4);
    const top = await upgrade({ method: 'id-reader', evidence: { nfcToken: 'nfc-2' } });
    expect(top.body).toMatchObject({ level: 5, verifiedMethods: ['password', 'sms', 'id-card', 'face', 'id-reader'] });

    // the access token keeps its level; a refresh brings the new one
    expect(claimsOf(user.accessToken).level).toBe(1);
    expect(claimsOf((await refresh(user.refreshToken)).body.access_token)).toMatchObject({ level: 5, acr: 'urn:gov:cn:loa:5' });

    const audit = await identityAuditTrail(platform.runtime.dependencies.tables).list({ accountId: user.accountId });
    const refused = audit.filter((e) => e.action === 'level-upgrade-refused');
    expect(refused.map((e) => e.details?.method)).toEqual(['id-card', 'id-card', 'face']);
    expect(audit.filter((e) => e.action === 'level-raised').map((e) => e.details?.to)).toEqual([2, 3, 4, 5]);
    expect(JSON.stringify(audit)).not.toContain('110101198511124560');
  });

  it('reaches level 3 by social security too, and refuses evidence about someone else', async () => {
    const user = await newUser({ name: '王样本', idNumber: '440305200105202386' });
    const upgrade = (evidence: Record<string, string>) => platform.call('POST', '/v1/identity/level-upgrades', { token: user.accessToken, body: { method: 'social-security', evidence } });
    const someoneElse = await upgrade({ name: '张测试', idNumber: '330106199003071236', regionCode: '330100', ssNumber: '330106199003071236' });
    expect(someoneElse.status).toBe(422);
    const wrongRegion = await upgrade({ name: '王样本', idNumber: '440305200105202386', regionCode: '110100', ssNumber: '440305200105202386' });
    expect(wrongRegion.status).toBe(422);
    const ok = await upgrade({ name: '王样本', idNumber: '440305200105202386', regionCode: '440300', ssNumber: '440305200105202386' });
    expect(ok.body).toMatchObject({ level: 3, previousLevel: 1 });
  });

  it('validates the evidence of each method (422 with the field)', async () => {
    const user = await newUser();
    const res = await platform.call('POST', '/v1/identity/level-upgrades', {
      token: user.accessToken,
      body: { method: 'id-card', evidence: { name: '测试人', idNumber: '110101198511124561', validUntil: 'soon' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['evidence.idNumber', 'evidence.validUntil']);
  });
});

describe('logout', () => {
  it('ends the current session: its access token is refused within 5 s, its refresh token at once', async () => {
    const user = await newUser();
    const other = await login(platform, user.phone as string, STRONG_PASSWORD);
    expect((await me(user.accessToken)).status).toBe(200);
    const res = await platform.call('DELETE', '/v1/identity/sessions/current', { token: user.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionsEnded: 1 });
    expect((await refresh(user.refreshToken)).status).toBe(400);
    afterRevocationCache();
    expect((await me(user.accessToken)).status).toBe(401);
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it('logout-all ends every session of the caller', async () => {
    const user = await newUser();
    const second = await login(platform, user.phone as string, STRONG_PASSWORD);
    const res = await platform.call('POST', '/v1/identity/logout-all', { token: second.accessToken });
    expect(res.body).toEqual({ sessionsEnded: 2, peersNotified: [] });
    afterRevocationCache();
    expect((await me(user.accessToken)).status).toBe(401);
    expect((await me(second.accessToken)).status).toBe(401);
  });
});

describe('deregistration', () => {
  it('is for people and organisations: staff accounts are closed by an administrator', async () => {
    const { username, password } = platform.account('staff');
    const res = await platform.call('DELETE', '/v1/identity/me', { token: (await login(platform, username, password)).accessToken });
    expect(res.status).toBe(403);
  });

  it('needs a login within 5 minutes', async () => {
    const user = await newUser();
    clock.advance(5 * 60 + 1);
    const refreshed = await refresh(user.refreshToken);
    const res = await platform.call('DELETE', '/v1/identity/me', { token: refreshed.body.access_token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('fresh_login_required');
  });

  it('ends every session, removes personal data, frees the phone and ID number, and keeps the audit trail', async () => {
    const user = await newUser();
    const older = await login(platform, user.phone as string, STRONG_PASSWORD);
    const res = await platform.call('DELETE', '/v1/identity/me', { token: user.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.accountId).toBe(user.accountId);

    afterRevocationCache();
    expect((await me(older.accessToken)).status).toBe(401);
    expect((await refresh(older.refreshToken)).status).toBe(400);
    expect((await platform.call('POST', '/v1/identity/sessions', { body: { username: user.phone, password: STRONG_PASSWORD } })).status).toBe(401);

    const { tables } = platform.runtime.dependencies;
    const { Items } = await tables.client.send(
      new QueryCommand({ TableName: tables.name('identity'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ACCOUNT#${user.accountId}` } }),
    );
    const stored = JSON.stringify(Items);
    for (const personal of [user.phone as string, user.idNumber as string, '测试人', '****', 'Sealed', 'passwordHash']) {
      expect(stored).not.toContain(personal);
    }
    expect(Items!.find((item) => item.sk === 'PROFILE')).toMatchObject({ status: 'deregistered' });
    expect(Items!.filter((item) => item.type === 'audit').map((item) => item.action)).toEqual(
      expect.arrayContaining(['registered', 'login-succeeded', 'deregistered']),
    );

    const again = await platform.call('POST', '/v1/identity/registrations', {
      body: { type: 'natural', name: '测试人', idType: 'resident-id', idNumber: user.idNumber, phone: user.phone, password: STRONG_PASSWORD },
    });
    expect(again.status).toBe(201);
    expect(again.body.accountId).not.toBe(user.accountId);
  });
});
