import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtVerifier } from 'aws-jwt-verify';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';
import { claimsOf, postForm, startTestPeer, type TestPeer } from '../support/identity-helpers.js';

/**
 * Trust transfer and unified logout with peer platforms. Two key sets play the peers: the
 * national platform (which may create federated accounts and takes back-channel logouts) and a
 * departmental one (which may not create accounts). Their JWKS are served over HTTP locally.
 */
let platform: TestPlatform;
let national: TestPeer;
let department: TestPeer;
const clock = new ManualClock(new Date());
const NATIONAL_AUDIENCE = 'https://national.example/api';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const ACCESS_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

beforeAll(async () => {
  national = await startTestPeer('/national');
  department = await startTestPeer('/department');
  platform = await startTestPlatform({
    clock,
    peerPlatforms: [
      { id: 'national', issuer: national.issuer, jwksUri: national.jwksUri, audience: NATIONAL_AUDIENCE, maxLevel: 3, allowFederatedAccounts: true, backchannelLogoutUri: national.backchannelLogoutUri },
      { id: 'department', issuer: department.issuer, jwksUri: department.jwksUri, audience: 'https://department.example', maxLevel: 2, allowFederatedAccounts: false },
    ],
  });
});
afterAll(async () => {
  await platform?.close();
  await national?.close();
  await department?.close();
});

let sequence = 0;
/** a token the peer issues for us about a person */
function peerToken(peer: TestPeer, claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return peer.sign({ iss: peer.issuer, aud: platform.url, sub: `peer-user-${++sequence}`, sid: `peer-session-${sequence}`, iat: now, exp: now + 300, subjectType: 'natural', level: 4, amr: ['pwd', 'face'], ...claims });
}
const exchange = (fields: Record<string, string>) => postForm(platform, '/v1/identity/token', { grant_type: TOKEN_EXCHANGE, ...fields });
const exchangePeerToken = (token: string) => exchange({ subject_token: token, subject_token_type: JWT_TYPE });
const me = (token: string) => platform.call('GET', '/v1/identity/me', { token });
/** a logout token the peer signs (OIDC back-channel logout) */
function logoutToken(peer: TestPeer, claims: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  return peer.sign({ iss: peer.issuer, aud: platform.url, iat: now, exp: now + 120, jti: `logout-${++sequence}`, events: { [LOGOUT_EVENT]: {} }, ...claims }, { typ: 'logout+jwt' });
}

describe('trust transfer in: a peer token becomes a session here', () => {
  it('creates a federated account, capping the asserted level at the trust configured for the peer', async () => {
    const res = await exchangePeerToken(peerToken(national, { name: '赵演示', idNumber: '510104197709180911' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', issued_token_type: ACCESS_TYPE, expires_in: 900 });
    expect(typeof res.body.refresh_token).toBe('string');
    expect(claimsOf(res.body.access_token)).toMatchObject({ iss: platform.url, level: 3, acr: 'urn:gov:cn:loa:3', amr: ['fed', 'pwd', 'face'], subjectType: 'natural' });
    const profile = await me(res.body.access_token);
    expect(profile.body).toMatchObject({ name: '赵演示', level: 3, federatedFrom: 'national', verifiedMethods: ['fed:national'], idNumber: '5101**********0911' });

    // the same person again maps onto the same account
    const again = await exchangePeerToken(peerToken(national, { name: '赵演示', idNumber: '510104197709180911' }));
    expect(claimsOf(again.body.access_token).sub).toBe(profile.body.accountId);
  });

  it('maps a peer subject onto the existing account by ID number hash', async () => {
    const citizen = await me(await platform.login('citizen'));
    const res = await exchangePeerToken(peerToken(department, { idNumber: '330106199003071236', level: 3 }));
    expect(res.status).toBe(200);
    expect(claimsOf(res.body.access_token)).toMatchObject({ sub: citizen.body.accountId, level: 2 });
  });

  it('refuses an unknown subject from a peer that may not create accounts', async () => {
    const res = await exchangePeerToken(peerToken(department, { name: '孙试用', idNumber: '320106199501010055' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_grant');
  });

  it('refuses forged, misaddressed, expired and unmappable peer tokens', async () => {
    const forged = peerToken(department, { iss: national.issuer, idNumber: '330106199003071236' });
    expect((await exchangePeerToken(forged)).body.error).toMatchObject({ code: 'invalid_grant', message: expect.stringContaining('unknown-key') });
    const misaddressed = peerToken(national, { aud: 'https://someone-else.example', idNumber: '330106199003071236' });
    expect((await exchangePeerToken(misaddressed)).body.error.message).toContain('wrong-audience');
    const expired = peerToken(national, { exp: Math.floor(Date.now() / 1000) - 120, idNumber: '330106199003071236' });
    expect((await exchangePeerToken(expired)).body.error.message).toContain('expired');
    const noId = peerToken(national, { name: '无证件' });
    expect((await exchangePeerToken(noId)).status).toBe(400);
    const stranger = await startTestPeer('/stranger');
    try {
      const unknownIssuer = stranger.sign({ iss: stranger.issuer, aud: platform.url, sub: 'x', exp: Math.floor(Date.now() / 1000) + 60, idNumber: '330106199003071236' });
      expect((await exchangePeerToken(unknownIssuer)).body.error.code).toBe('invalid_grant');
    } finally {
      await stranger.close();
    }
  });
});

describe('trust transfer out: our token for a peer audience', () => {
  it('issues a token for the peer, signed with our published key, naming the person by ID number', async () => {
    const token = await platform.login('citizen');
    const res = await exchange({ subject_token: token, subject_token_type: ACCESS_TYPE, audience: NATIONAL_AUDIENCE });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'N_A', issued_token_type: JWT_TYPE, expires_in: 300 });

    // the peer verifies it against our JWKS, as it would with aws-jwt-verify
    const verifier = JwtVerifier.create({ issuer: platform.url, audience: NATIONAL_AUDIENCE, jwksUri: `${platform.url}/.well-known/jwks.json` });
    const jwks = await platform.call('GET', '/.well-known/jwks.json');
    verifier.cacheJwks(jwks.body);
    const claims = await verifier.verify(res.body.access_token);
    expect(claims).toMatchObject({ name: '张测试', idNumber: '330106199003071236', idType: 'resident-id', level: 3, subjectType: 'natural', token_use: 'federation' });
  });

  it('refuses an audience no peer has, and our own token for our own API without one', async () => {
    const token = await platform.login('citizen');
    const unknown = await exchange({ subject_token: token, subject_token_type: ACCESS_TYPE, audience: 'https://evil.example' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_target');
    const none = await exchange({ subject_token: token, subject_token_type: ACCESS_TYPE });
    expect(none.status).toBe(422);
    expect(none.body.error.details[0].field).toBe('audience');
  });
});

describe('unified logout across platforms', () => {
  it('logout-all sends a signed back-channel logout token to every peer where the user has a session, retrying failures', async () => {
    const { username, password } = platform.account('enterprise');
    const login = await platform.call('POST', '/v1/identity/sessions', { body: { username, password } });
    const token = login.body.accessToken as string;
    const enterprise = await me(token);
    await exchange({ subject_token: token, subject_token_type: ACCESS_TYPE, audience: NATIONAL_AUDIENCE });

    national.logoutStatus = 503;
    const res = await platform.call('POST', '/v1/identity/logout-all', { token });
    expect(res.body).toMatchObject({ sessionsEnded: 1, peersNotified: ['national'] });
    const before = national.receivedLogoutTokens.length;
    await platform.runtime.drainQueues();
    expect(national.receivedLogoutTokens.length).toBe(before);

    // the queue redelivers after the visibility timeout
    national.logoutStatus = 200;
    clock.advance(61);
    await platform.runtime.drainQueues();
    expect(national.receivedLogoutTokens.length).toBe(before + 1);
    const delivered = national.receivedLogoutTokens.at(-1)!;
    expect(JSON.parse(Buffer.from(delivered.split('.')[0]!, 'base64url').toString())).toMatchObject({ typ: 'logout+jwt', alg: 'ES256' });
    const verifier = JwtVerifier.create({ issuer: platform.url, audience: NATIONAL_AUDIENCE, jwksUri: `${platform.url}/.well-known/jwks.json` });
    verifier.cacheJwks((await platform.call('GET', '/.well-known/jwks.json')).body);
    const claims = await verifier.verify(delivered);
    expect(claims).toMatchObject({ sub: enterprise.body.accountId, events: { [LOGOUT_EVENT]: {} } });
    expect(claims.sid).toBeUndefined();
  });

  it('takes a back-channel logout from a peer: the federated session ends and its token is refused within 5 s', async () => {
    const exchanged = await exchangePeerToken(peerToken(national, { name: '赵演示', idNumber: '510104197709180911', sub: 'national-user-7', sid: 'national-session-7' }));
    const token = exchanged.body.access_token as string;
    expect((await me(token)).status).toBe(200);

    const logout = logoutToken(national, { sub: 'national-user-7', sid: 'national-session-7' });
    const res = await postForm(platform, '/v1/identity/backchannel-logout', { logout_token: logout });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionsEnded: 1 });
    expect((await postForm(platform, '/v1/identity/token', { grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token })).status).toBe(400);
    clock.advance(5);
    expect((await me(token)).status).toBe(401);

    const replay = await postForm(platform, '/v1/identity/backchannel-logout', { logout_token: logout });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('invalid_logout_token');
  });

  it('ends every session of the peer subject when the logout token names no sid', async () => {
    const first = await exchangePeerToken(peerToken(national, { name: '赵演示', idNumber: '510104197709180911', sub: 'national-user-8', sid: 'a' }));
    const second = await exchangePeerToken(peerToken(national, { name: '赵演示', idNumber: '510104197709180911', sub: 'national-user-8', sid: 'b' }));
    const res = await postForm(platform, '/v1/identity/backchannel-logout', { logout_token: logoutToken(national, { sub: 'national-user-8' }) });
    expect(res.body).toEqual({ sessionsEnded: 2 });
    clock.advance(5);
    expect((await me(first.body.access_token)).status).toBe(401);
    expect((await me(second.body.access_token)).status).toBe(401);
  });

  it('refuses logout tokens that are not OIDC back-channel logout tokens of a trusted peer', async () => {
    const post = (token: string) => postForm(platform, '/v1/identity/backchannel-logout', { logout_token: token });
    expect((await post(logoutToken(national, { sub: 'x', events: {} }))).status).toBe(400);
    expect((await post(logoutToken(national, { sub: 'x', nonce: 'n' }))).status).toBe(400);
    expect((await post(logoutToken(national, {}))).status).toBe(400);
    expect((await post(logoutToken(department, { iss: national.issuer, sub: 'x' }))).status).toBe(400);
    expect((await post('not-a-jwt')).status).toBe(400);
    const missing = await postForm(platform, '/v1/identity/backchannel-logout', { token: 'x' });
    expect(missing.status).toBe(422);
  });
});
