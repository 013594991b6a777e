import { createHash } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { decodeSignatureDer, encodeSignatureDer, MalformedSignatureError, toFixedBytes } from './ecdsa-der.js';

/**
 * SM2 signatures (GB/T 32918.2) with SM3 and the signer's identity hash ZA (GM/T 0009).
 *
 * Node's crypto cannot be used for SM2 signing: it runs plain ECDSA over the SM2 curve, with
 * neither ZA nor the SM2 signing equation. Here the digest e = SM3(ZA || M) is computed with
 * node's SM3, and the curve arithmetic comes from sm-crypto-v2. Signing takes the digest, the
 * way KMS (`MessageType: DIGEST`, `SM2DSA`) does, so callers hash large documents themselves.
 *
 * Keys are bytes: private keys the 32-byte scalar d, public keys the 65-byte uncompressed
 * point 04 || x || y, and SubjectPublicKeyInfo DER for exchange.
 */

/** The user ID both parties assume when none was agreed (GM/T 0009 §10). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** GB/T 32918.5 recommended curve parameters, as hashed into ZA. */
const curve = {
  a: hex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC'),
  b: hex('28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93'),
  xG: hex('32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7'),
  yG: hex('BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0'),
  n: BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123'),
};

/** DER prefix of an SM2 SubjectPublicKeyInfo: id-ecPublicKey, curve 1.2.156.10197.1.301, BIT STRING of 65 bytes. */
const SM2_SPKI_PREFIX = hex('3059301306072a8648ce3d020106082a811ccf5501822d034200');

export interface Sm2KeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const pair = sm2.generateKeyPairHex();
  return { privateKey: hex(pair.privateKey), publicKey: hex(pair.publicKey) };
}

export function sm2PublicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array {
  return hex(sm2.getPublicKeyFromPrivateKey(toHex(privateKey)));
}

/** ZA = SM3(ENTL || ID || a || b || xG || yG || xA || yA): binds the signer's identity and key into the digest. */
export function sm2IdentityHash(publicKey: Uint8Array, userId: string = SM2_DEFAULT_USER_ID): Uint8Array {
  assertUncompressedPoint(publicKey);
  const id = Buffer.from(userId, 'utf8');
  const entlBits = id.length * 8;
  if (entlBits > 0xffff) throw new RangeError('SM2 user ID is too long');
  return createHash('sm3')
    .update(Uint8Array.of(entlBits >> 8, entlBits & 0xff))
    .update(id)
    .update(curve.a)
    .update(curve.b)
    .update(curve.xG)
    .update(curve.yG)
    .update(publicKey.subarray(1))
    .digest();
}

/** The digest an SM2 signature covers: e = SM3(ZA || M). */
export function sm2Digest(message: Uint8Array, publicKey: Uint8Array, userId: string = SM2_DEFAULT_USER_ID): Uint8Array {
  return createHash('sm3').update(sm2IdentityHash(publicKey, userId)).update(message).digest();
}

/**
 * Signs a precomputed 32-byte digest e and returns the DER (r, s). sm-crypto-v2 without its
 * `hash` option runs exactly the SM2 signing steps on e: random k, (x1, y1) = kG,
 * r = (e + x1) mod n, s = (1 + d)^-1 (k - r·d) mod n, retrying on r = 0, r + k = n or s = 0.
 */
export function signSm2Digest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  assertDigest(digest);
  if (privateKey.length !== 32) throw new RangeError('SM2 private key must be 32 bytes');
  const raw = sm2.doSignature(digest, toHex(privateKey), { der: false, hash: false });
  return encodeSignatureDer({ r: BigInt(`0x${raw.slice(0, 64)}`), s: BigInt(`0x${raw.slice(64)}`) });
}

/** Verifies a DER signature over a precomputed digest e. Malformed signatures are simply invalid. */
export function verifySm2Digest(digest: Uint8Array, derSignature: Uint8Array, publicKey: Uint8Array): boolean {
  assertDigest(digest);
  let values;
  try {
    values = decodeSignatureDer(derSignature);
  } catch (error) {
    if (error instanceof MalformedSignatureError) return false;
    throw error;
  }
  const { r, s } = values;
  // sm-crypto-v2 does not range-check r and s; GB/T 32918.2 §7.1 B1/B2 requires it
  if (r >= curve.n || s >= curve.n) return false;
  const raw = toHex(toFixedBytes(r, 32)) + toHex(toFixedBytes(s, 32));
  return sm2.doVerifySignature(digest, raw, publicPoint(publicKey), { der: false, hash: false });
}

/** Verifies a DER signature over a message with the signer's user ID (default ID unless agreed otherwise). */
export function verifySm2(message: Uint8Array, derSignature: Uint8Array, publicKey: Uint8Array, userId: string = SM2_DEFAULT_USER_ID): boolean {
  return verifySm2Digest(sm2Digest(message, publicKey, userId), derSignature, publicKey);
}

/** SubjectPublicKeyInfo DER of an SM2 public key (id-ecPublicKey with the SM2 curve OID, as KMS returns it). */
export function sm2PublicKeyToSpki(publicKey: Uint8Array): Uint8Array {
  assertUncompressedPoint(publicKey);
  const spki = new Uint8Array(SM2_SPKI_PREFIX.length + publicKey.length);
  spki.set(SM2_SPKI_PREFIX);
  spki.set(publicKey, SM2_SPKI_PREFIX.length);
  return spki;
}

/** The uncompressed point of an SM2 SubjectPublicKeyInfo; throws for any other key or a point off the curve. */
export function sm2PublicKeyFromSpki(spki: Uint8Array): Uint8Array {
  const prefixMatches = spki.length === SM2_SPKI_PREFIX.length + 65 && SM2_SPKI_PREFIX.every((byte, i) => spki[i] === byte);
  if (!prefixMatches) throw new Error('not an SM2 SubjectPublicKeyInfo with an uncompressed point');
  const publicKey = spki.slice(SM2_SPKI_PREFIX.length);
  if (!isOnCurve(publicKey)) throw new Error('SM2 public key is not a point on the curve');
  return publicKey;
}

function isOnCurve(publicKey: Uint8Array): boolean {
  try {
    return sm2.verifyPublicKey(toHex(publicKey));
  } catch {
    return false;
  }
}

/** Hex of the uncompressed point, the form sm-crypto and most Chinese SM2 tooling exchange. */
export function sm2PublicKeyHex(publicKey: Uint8Array): string {
  assertUncompressedPoint(publicKey);
  return toHex(publicKey);
}

type PrecomputedPoint = ReturnType<typeof sm2.precomputePublicKey>;

const KEYS_REMEMBERED = 64;
const keysSeen = new Map<string, PrecomputedPoint | undefined>();

/**
 * A window table costs about fifteen plain verifications to build and makes each later one about
 * five times faster, so it is built when a key (a seal, a trust anchor) is seen the second time.
 */
function publicPoint(publicKey: Uint8Array): PrecomputedPoint | string {
  const key = sm2PublicKeyHex(publicKey);
  if (!keysSeen.has(key)) {
    remember(key, undefined);
    return key;
  }
  let point = keysSeen.get(key);
  if (!point) {
    point = sm2.precomputePublicKey(key);
    remember(key, point);
  }
  return point;
}

function remember(key: string, point: PrecomputedPoint | undefined): void {
  if (!keysSeen.has(key) && keysSeen.size >= KEYS_REMEMBERED) keysSeen.delete(keysSeen.keys().next().value!);
  keysSeen.set(key, point);
}

function assertDigest(digest: Uint8Array): void {
  if (digest.length !== 32) throw new RangeError('SM2 digest must be 32 bytes (SM3)');
}

function assertUncompressedPoint(publicKey: Uint8Array): void {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) throw new RangeError('SM2 public key must be a 65-byte uncompressed point');
}

function hex(value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value, 'hex'));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
