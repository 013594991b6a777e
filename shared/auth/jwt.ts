import { createHash, createPublicKey } from 'node:crypto';
import type { KeyVault, PublicKeyInfo } from '../ports/key-vault.js';
import { derToJoseSignature } from '../crypto/ecdsa-der.js';

/** The public half of a token-signing key, as published at /.well-known/jwks.json. */
export interface EcPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly use: 'sig';
  readonly alg: 'ES256';
  readonly kid: string;
}

export interface Jwks {
  readonly keys: readonly EcPublicJwk[];
}

/**
 * Signs claims as an ES256 JWS with a vault key whose private half never leaves the vault.
 * 1. encode the header (alg ES256, typ JWT unless given, kid) and the claims as base64url JSON;
 * 2. SHA-256 the signing input and have the vault sign the digest (KMS returns DER);
 * 3. convert DER to the JOSE r || s form and append it.
 * The caller sets every claim, including iss, aud, iat and exp.
 */
export async function signJwt(input: {
  vault: KeyVault;
  keyId: string;
  kid: string;
  claims: Record<string, unknown>;
  header?: Record<string, unknown>;
}): Promise<string> {
  const header = { typ: 'JWT', ...input.header, alg: 'ES256', kid: input.kid };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(input.claims))}`;
  const digest = createHash('sha256').update(signingInput).digest();
  const der = await input.vault.signDigest(input.keyId, digest);
  return `${signingInput}.${base64url(derToJoseSignature(der, 32))}`;
}

/**
 * The JWK of a P-256 vault key. The kid defaults to the key's RFC 7638 thumbprint, which stays
 * the same across restarts and deployments as long as the key does.
 */
export function publicJwk(publicKey: PublicKeyInfo, kid?: string): EcPublicJwk {
  if (publicKey.spec !== 'ECC_NIST_P256') throw new Error(`ES256 needs a P-256 key; ${publicKey.keyId} is ${publicKey.spec}`);
  const { x, y } = createPublicKey({ key: Buffer.from(publicKey.spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (!x || !y) throw new Error(`${publicKey.keyId} has no EC point`);
  return { kty: 'EC', crv: 'P-256', x, y, use: 'sig', alg: 'ES256', kid: kid ?? jwkThumbprint({ crv: 'P-256', kty: 'EC', x, y }) };
}

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: { readonly crv: string; readonly kty: 'EC'; readonly x: string; readonly y: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}
