import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalKeyVault, type LocalKeyVault } from '../../shared/adapters/local/local-key-vault.js';
import { jwkThumbprint, publicJwk, signJwt, type Jwks } from '../../shared/auth/jwt.js';
import { createTokenVerifier, InvalidTokenError, JwksUnavailableError, type InvalidTokenReason } from '../../shared/auth/token-verifier.js';

const issuer = 'https://gov.example.cn';
const audience = 'gov-service-platform';
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('access tokens signed by the local vault', () => {
  let dir: string;
  let vault: LocalKeyVault;
  let keyId: string;
  let kid: string;
  let jwks: Jwks;
  let jwksLoads = 0;
  const loadJwks = async () => {
    jwksLoads++;
    return jwks;
  };

  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: issuer,
    aud: audience,
    sub: 'natural-42',
    subjectType: 'natural',
    level: 3,
    iat: nowSeconds(),
    exp: nowSeconds() + 900,
    ...overrides,
  });

  const rejection = async (token: string, verifier = createTokenVerifier({ issuer, audience, jwks: loadJwks })): Promise<InvalidTokenReason> => {
    const error = await verifier.verify(token).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).kind).toBe('unauthenticated');
    return (error as InvalidTokenError).reason;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tokens-'));
    vault = createLocalKeyVault({ dir });
    keyId = (await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'token signing' })).keyId;
    const jwk = publicJwk(await vault.getPublicKey(keyId));
    kid = jwk.kid;
    jwks = { keys: [jwk] };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes an ES256 JWK whose kid is its RFC 7638 thumbprint, stable across restarts', async () => {
    const [jwk] = jwks.keys;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256', kid });
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kid).toBe(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk!.x, y: jwk!.y }));
    const restarted = createLocalKeyVault({ dir });
    expect(publicJwk(await restarted.getPublicKey(keyId)).kid).toBe(kid);
    expect(publicJwk(await vault.getPublicKey(keyId), 'explicit').kid).toBe('explicit');
  });

  it('refuses to describe an SM2 key as an ES256 JWK', async () => {
    const sm2 = await vault.createSigningKey({ spec: 'SM2', description: 'not for tokens' });
    expect(() => publicJwk({ keyId: sm2.keyId, spec: 'SM2', spki: new Uint8Array() })).toThrow('P-256');
  });

  it('signs a JWS that node crypto and the verifier accept', async () => {
    const token = await signJwt({ vault, keyId, kid, claims: claims() });
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ES256', kid });
    const spki = createPublicKey({ key: Buffer.from((await vault.getPublicKey(keyId)).spki), format: 'der', type: 'spki' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key: spki, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'))).toBe(true);

    const verified = await createTokenVerifier({ issuer, audience, jwks: loadJwks }).verify(token);
    expect(verified).toMatchObject({ sub: 'natural-42', level: 3, iss: issuer, aud: audience });
  });

  it('keeps alg and kid even when the caller passes header fields', async () => {
    const token = await signJwt({ vault, keyId, kid, claims: claims(), header: { typ: 'logout+jwt', alg: 'none', kid: 'forged' } });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ typ: 'logout+jwt', alg: 'ES256', kid });
  });

  it('rejects expired, not-yet-valid, wrong-audience, wrong-issuer and exp-less tokens', async () => {
    const sign = (overrides: Record<string, unknown>) => signJwt({ vault, keyId, kid, claims: claims(overrides) });
    expect(await rejection(await sign({ iat: nowSeconds() - 1000, exp: nowSeconds() - 100 }))).toBe('expired');
    expect(await rejection(await sign({ nbf: nowSeconds() + 600 }))).toBe('not-yet-valid');
    expect(await rejection(await sign({ aud: 'another-platform' }))).toBe('wrong-audience');
    expect(await rejection(await sign({ iss: 'https://evil.example' }))).toBe('wrong-issuer');
    expect(await rejection(await sign({ exp: undefined }))).toBe('malformed');
  });

  it('rejects a tampered payload and a signature by another key under our kid', async () => {
    const [header, , signature] = (await signJwt({ vault, keyId, kid, claims: claims() })).split('.');
    const elevated = Buffer.from(JSON.stringify(claims({ level: 5, roles: ['admin'] }))).toString('base64url');
    expect(await rejection(`${header}.${elevated}.${signature}`)).toBe('bad-signature');

    const otherKey = (await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'impostor' })).keyId;
    expect(await rejection(await signJwt({ vault, keyId: otherKey, kid, claims: claims() }))).toBe('bad-signature');
  });

  it('rejects alg none and HS256 headers', async () => {
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url');
    expect(await rejection(`${none}.${payload}.`)).toBe('malformed');
    const hs256 = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid })).toString('base64url');
    expect(await rejection(`${hs256}.${payload}.c2lnbmF0dXJl`)).toBe('bad-signature');
    expect(await rejection('not-a-jwt')).toBe('malformed');
  });

  it('rejects unknown kids and pauses reloads after one failed reload', async () => {
    const verifier = createTokenVerifier({ issuer, audience, jwks: loadJwks });
    await verifier.verify(await signJwt({ vault, keyId, kid, claims: claims() }));
    const loadsBefore = jwksLoads;

    const strangerKey = (await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'unpublished' })).keyId;
    const strangerKid = publicJwk(await vault.getPublicKey(strangerKey)).kid;
    const stranger = await signJwt({ vault, keyId: strangerKey, kid: strangerKid, claims: claims() });
    expect(await rejection(stranger, verifier)).toBe('unknown-key');
    expect(jwksLoads).toBe(loadsBefore + 1);
    expect(await rejection(stranger, verifier)).toBe('unknown-key');
    expect(jwksLoads).toBe(loadsBefore + 1);
  });

  it('picks up a rotated key by reloading the JWKS', async () => {
    const verifier = createTokenVerifier({ issuer, audience, jwks: loadJwks });
    await verifier.verify(await signJwt({ vault, keyId, kid, claims: claims() }));
    const nextKey = (await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'next token signing' })).keyId;
    const nextJwk = publicJwk(await vault.getPublicKey(nextKey));
    const previous = jwks;
    jwks = { keys: [...previous.keys, nextJwk] };
    try {
      const token = await signJwt({ vault, keyId: nextKey, kid: nextJwk.kid, claims: claims({ sub: 'after-rotation' }) });
      expect(await verifier.verify(token)).toMatchObject({ sub: 'after-rotation' });
    } finally {
      jwks = previous;
    }
  });

  it('reports a JWKS outage as such, not as a bad token', async () => {
    const verifier = createTokenVerifier({
      issuer,
      audience,
      jwks: async () => {
        throw new Error('vault unreachable');
      },
    });
    const token = await signJwt({ vault, keyId, kid, claims: claims() });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('measures verifications per second', async () => {
    const verifier = createTokenVerifier({ issuer, audience, jwks: loadJwks });
    const token = await signJwt({ vault, keyId, kid, claims: claims() });
    await verifier.verify(token);
    const count = 2000;
    const started = performance.now();
    for (let i = 0; i < count; i++) await verifier.verify(token);
    const seconds = (performance.now() - started) / 1000;
    const signStarted = performance.now();
    for (let i = 0; i < 200; i++) await signJwt({ vault, keyId, kid, claims: claims() });
    const signSeconds = (performance.now() - signStarted) / 1000;
    console.log(`ES256 access tokens: ${Math.round(count / seconds)} verifications/s, ${Math.round(200 / signSeconds)} local-vault signatures/s`);
    expect(seconds).toBeGreaterThan(0);
  });
});
