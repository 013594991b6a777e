import { createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * Signed exchange messages. A source registered with signing keys must sign every message it puts
 * on `exchange-inbound`; we verify before anything is stored. Scheme:
 * - the signed bytes are the canonical JSON (sorted keys, no whitespace: RFC 8785 for the values
 *   JSON messages carry) of the message without its `signature` member;
 * - `signature` is a detached compact JWS (RFC 7515 appendix F): `<protected header>..<signature>`,
 *   header `{"alg":"ES256","kid":"<key id>"}`, signing input `<header>.<base64url(canonical JSON)>`,
 *   the ECDSA P-256 SHA-256 signature in JOSE form (r‖s, 64 bytes);
 * - the key is found by `kid` among the source's registered public JWKs (EC P-256).
 */
export interface SigningJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid: string;
}

/** Canonical JSON: object members sorted by name (UTF-16 code units), no whitespace, `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const encoded = JSON.stringify(value);
    if (encoded === undefined) throw new TypeError('canonicalJson: value is not JSON');
    return encoded;
  }
  if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry ?? null)).join(',')}]`;
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(',')}}`;
}

function signingInput(header: string, message: Record<string, unknown>): Buffer {
  const { signature: _ignored, ...signed } = message;
  return Buffer.from(`${header}.${Buffer.from(canonicalJson(signed), 'utf8').toString('base64url')}`, 'ascii');
}

/** Signs a message the way a source must (tests, the benchmark and platforms' reference code use it). */
export function signExchangeMessage<M extends Record<string, unknown>>(message: M, privateKey: KeyObject, kid: string): M & { signature: string } {
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid }), 'utf8').toString('base64url');
  const signatureBytes = sign('sha256', signingInput(header, message), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return { ...message, signature: `${header}..${signatureBytes.toString('base64url')}` };
}

/** Why a message's signature does not verify against the source's keys, or undefined when it does. */
export function signatureProblem(message: Record<string, unknown>, keys: readonly SigningJwk[]): string | undefined {
  const signature = message.signature;
  if (typeof signature !== 'string') return 'the source signs its messages and this one has no signature';
  const [header, empty, signatureB64] = signature.split('.');
  if (!header || empty !== '' || !signatureB64) return 'the signature is not a detached JWS';
  let parsedHeader: { alg?: unknown; kid?: unknown };
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as typeof parsedHeader;
  } catch {
    return 'the JWS header is not JSON';
  }
  if (parsedHeader.alg !== 'ES256') return 'the JWS algorithm must be ES256';
  const jwk = keys.find((key) => key.kid === parsedHeader.kid);
  if (!jwk) return 'the JWS names a key the source has not registered';
  const valid = verify('sha256', signingInput(header, message), { key: publicKeyOf(jwk), dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureB64, 'base64url'));
  return valid ? undefined : 'the signature does not verify';
}

const importedKeys = new Map<string, KeyObject>();

function publicKeyOf(jwk: SigningJwk): KeyObject {
  const cacheKey = `${jwk.x}.${jwk.y}`;
  let key = importedKeys.get(cacheKey);
  if (!key) {
    key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as JsonWebKey, format: 'jwk' });
    importedKeys.set(cacheKey, key);
  }
  return key;
}

/** true when the JWK is a usable EC P-256 public key */
export function isUsableSigningKey(jwk: SigningJwk): boolean {
  try {
    publicKeyOf(jwk);
    return true;
  } catch {
    return false;
  }
}
