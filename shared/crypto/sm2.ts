import { createHash, randomBytes } from 'node:crypto';
import { decodeSignatureDer, encodeSignatureDer, MalformedSignatureError, bytesToBigInt, toFixedBytes } from './ecdsa-der.js';
import { baseMultiply, combinedMultiplyX, fixedPointTable, invert, isOnCurve, modN, SM2_CURVE, type AffinePoint, type FixedPointTable } from './sm2-curve.js';

/**
 * SM2 signatures (GB/T 32918.2) with SM3 and the signer's identity hash ZA (GM/T 0009).
 *
 * Node's crypto cannot be used for SM2 signing: it runs plain ECDSA over the SM2 curve, with
 * neither ZA nor the SM2 signing equation. Here the digest e = SM3(ZA || M) is computed with
 * node's SM3, and the curve arithmetic is the small BigInt implementation in sm2-curve.ts (it
 * fits the Lambda bundles; the tests hold it to sm-crypto and sm-crypto-v2). Signing takes the
 * digest, the way KMS (`MessageType: DIGEST`, `SM2DSA`) does, so callers hash large documents
 * themselves. Signing here serves the local vault only; in AWS, KMS signs.
 *
 * Keys are bytes: private keys the 32-byte scalar d, public keys the 65-byte uncompressed
 * point 04 || x || y, and SubjectPublicKeyInfo DER for exchange.
 */

/** The user ID both parties assume when none was agreed (GM/T 0009 §10). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** GB/T 32918.5 recommended curve parameters, as hashed into ZA. */
const curve = {
  a: toFixedBytes(SM2_CURVE.a, 32),
  b: toFixedBytes(SM2_CURVE.b, 32),
  xG: toFixedBytes(SM2_CURVE.gx, 32),
  yG: toFixedBytes(SM2_CURVE.gy, 32),
  n: SM2_CURVE.n,
};

/** DER prefix of an SM2 SubjectPublicKeyInfo: id-ecPublicKey, curve 1.2.156.10197.1.301, BIT STRING of 65 bytes. */
const SM2_SPKI_PREFIX = hex('3059301306072a8648ce3d020106082a811ccf5501822d034200');

export interface Sm2KeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** d uniformly in [1, n − 2] (1 + d must be invertible), P = d·G. */
export function generateSm2KeyPair(): Sm2KeyPair {
  const d = randomScalar(curve.n - 2n);
  return { privateKey: toFixedBytes(d, 32), publicKey: encodePoint(baseMultiply(d)) };
}

export function sm2PublicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array {
  return encodePoint(baseMultiply(privateScalar(privateKey)));
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
 * Signs a precomputed 32-byte digest e and returns the DER (r, s): random k, (x1, y1) = k·G,
 * r = (e + x1) mod n, s = (1 + d)^-1 (k − r·d) mod n, retrying on r = 0, r + k = n or s = 0
 * (GB/T 32918.2 §6.1).
 */
export function signSm2Digest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  assertDigest(digest);
  const d = privateScalar(privateKey);
  const e = bytesToBigInt(digest);
  for (;;) {
    const k = randomScalar(curve.n - 1n);
    const r = modN(e + baseMultiply(k).x);
    if (r === 0n || r + k === curve.n) continue;
    const s = modN(invert(1n + d, curve.n) * (k - r * d));
    if (s !== 0n) return encodeSignatureDer({ r, s });
  }
}

/** Verifies a DER signature over a precomputed digest e (GB/T 32918.2 §7.1). Malformed signatures are simply invalid. */
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
  if (r >= curve.n || s >= curve.n) return false;
  const t = modN(r + s);
  if (t === 0n) return false;
  const point = decodePoint(publicKey);
  const x1 = combinedMultiplyX(s, t, point, tableFor(publicKey, point));
  return x1 !== undefined && modN(bytesToBigInt(digest) + x1) === r;
}

const KEYS_REMEMBERED = 64;
const keysSeen = new Map<string, FixedPointTable | undefined>();

/**
 * A key's table costs about as much as five verifications and makes each later one about three
 * times faster, so it is built when a key (a seal maker, a CA, a busy seal) is seen the second time.
 */
function tableFor(publicKey: Uint8Array, point: AffinePoint): FixedPointTable | undefined {
  const key = toHex(publicKey);
  if (!keysSeen.has(key)) {
    remember(key, undefined);
    return undefined;
  }
  let table = keysSeen.get(key);
  if (!table) {
    table = fixedPointTable(point);
    remember(key, table);
  }
  return table;
}

function remember(key: string, table: FixedPointTable | undefined): void {
  if (!keysSeen.has(key) && keysSeen.size >= KEYS_REMEMBERED) keysSeen.delete(keysSeen.keys().next().value!);
  keysSeen.set(key, table);
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
  if (!isOnCurveBytes(publicKey)) throw new Error('SM2 public key is not a point on the curve');
  return publicKey;
}

function isOnCurveBytes(publicKey: Uint8Array): boolean {
  return isOnCurve(decodePoint(publicKey));
}

/** Hex of the uncompressed point, the form sm-crypto and most Chinese SM2 tooling exchange. */
export function sm2PublicKeyHex(publicKey: Uint8Array): string {
  assertUncompressedPoint(publicKey);
  return toHex(publicKey);
}

function decodePoint(publicKey: Uint8Array): AffinePoint {
  assertUncompressedPoint(publicKey);
  return { x: bytesToBigInt(publicKey.subarray(1, 33)), y: bytesToBigInt(publicKey.subarray(33)) };
}

function encodePoint({ x, y }: AffinePoint): Uint8Array {
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(toFixedBytes(x, 32), 1);
  point.set(toFixedBytes(y, 32), 33);
  return point;
}

function privateScalar(privateKey: Uint8Array): bigint {
  if (privateKey.length !== 32) throw new RangeError('SM2 private key must be 32 bytes');
  const d = bytesToBigInt(privateKey);
  if (d < 1n || d > curve.n - 2n) throw new RangeError('SM2 private key out of range');
  return d;
}

/** uniform in [1, max] by rejection sampling */
function randomScalar(max: bigint): bigint {
  for (;;) {
    const candidate = bytesToBigInt(randomBytes(32));
    if (candidate >= 1n && candidate <= max) return candidate;
  }
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
