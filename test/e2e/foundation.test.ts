import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.close();
});

describe('discovery', () => {
  it('reports every store healthy', async () => {
    const res = await platform.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { tables: 'ok', keyVault: 'ok', blobStore: 'ok', searchIndex: 'ok' } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the OpenAPI document', async () => {
    const res = await platform.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/v1/identity/me'].get.operationId).toBe('getMe');
  });

  it('publishes OIDC discovery and a JWKS that verifies our tokens', async () => {
    const config = await platform.call('GET', '/.well-known/openid-configuration');
    expect(config.body.issuer).toBe(platform.url);
    const jwks = await platform.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  it('answers unknown routes with the JSON error model, before any auth', async () => {
    const res = await platform.call('GET', '/v1/no-such-thing', { headers: { authorization: 'Bearer garbage' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route_not_found');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('login and me', () => {
  it('logs the demo citizen in and shows the profile masked', async () => {
    const token = await platform.login('citizen');
    const me = await platform.call('GET', '/v1/identity/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: '张测试', level: 3, subjectType: 'natural', idNumber: '3301**********1236', phone: '138****0001' });
    expect(me.text).not.toContain('330106199003071236');
  });

  it('refuses a wrong password with the same message as an unknown account', async () => {
    const wrong = await platform.call('POST', '/v1/identity/sessions', { body: { username: platform.account('citizen').username, password: 'nope-nope-nope' } });
    const unknown = await platform.call('POST', '/v1/identity/sessions', { body: { username: '13999999999', password: 'nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
  });

  it('requires a valid token for /me', async () => {
    expect((await platform.call('GET', '/v1/identity/me')).status).toBe(401);
    expect((await platform.call('GET', '/v1/identity/me', { token: 'a.b.c' })).status).toBe(401);
  });
});

describe('bad input', () => {
  it('400 for malformed JSON, 422 with field details for invalid fields, 415 for other types', async () => {
    const malformed = await platform.call('POST', '/v1/identity/sessions', { rawBody: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
    const invalid = await platform.call('POST', '/v1/identity/sessions', { body: { username: '', extra: 1 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'password', 'username']);
    const text = await platform.call('POST', '/v1/identity/sessions', { rawBody: 'username=a', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('413 for bodies over the route limit', async () => {
    const res = await platform.call('POST', '/v1/identity/sessions', { body: { username: 'x'.repeat(1024 * 1024 + 10), password: 'p' } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });
});

describe('Idempotency-Key', () => {
  const upload = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) };

  it('returns the first response again for the same key and body, and refuses the key for another body', async () => {
    const token = await platform.login('citizen');
    const headers = { 'idempotency-key': 'upload-key-0001' };
    const first = await platform.call('POST', '/v1/uploads', { token, body: upload, headers });
    const again = await platform.call('POST', '/v1/uploads', { token, body: upload, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.blobId).toBe(first.body.blobId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await platform.call('POST', '/v1/uploads', { token, body: { ...upload, size: 11 }, headers });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('keeps keys apart per caller, and refuses malformed keys', async () => {
    const headers = { 'idempotency-key': 'upload-key-0002' };
    const citizen = await platform.call('POST', '/v1/uploads', { token: await platform.login('citizen'), body: upload, headers });
    const enterprise = await platform.call('POST', '/v1/uploads', { token: await platform.login('enterprise'), body: upload, headers });
    expect(enterprise.body.blobId).not.toBe(citizen.body.blobId);
    const bad = await platform.call('POST', '/v1/uploads', { token: await platform.login('citizen'), body: upload, headers: { 'idempotency-key': 'short' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('Idempotency-Key');
  });
});

describe('encodings', () => {
  it('400 for a JSON body that is not valid UTF-8', async () => {
    const res = await platform.call('POST', '/v1/identity/sessions', {
      rawBody: Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","password":"x"}')]),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });
});
