import { createHash, verify as verifyWithNode } from 'node:crypto';
import type { KeyVault, SigningKeySpec } from '../ports/key-vault.js';
import { childrenOf, decodeDer, readBitString, readOid, Tag } from './der.js';
import { sm2Digest, verifySm2Digest } from './sm2.js';

/**
 * The two signature suites of the platform's seals and certificates: SM2 with SM3 (GB/T 38540,
 * GM/T 0015; China regions and local) and ECDSA P-256 with SHA-256 (elsewhere), by OID.
 */
export const OID = {
  sm2WithSm3: '1.2.156.10197.1.501',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  sm2Curve: '1.2.156.10197.1.301',
  p256Curve: '1.2.840.10045.3.1.7',
  sm3: '1.2.156.10197.1.401',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export type SignatureAlgorithm = 'SM2' | 'P-256';
export type HashAlgorithm = 'SM3' | 'SHA-256';

export const signatureAlgorithmOid = (algorithm: SignatureAlgorithm): string => (algorithm === 'SM2' ? OID.sm2WithSm3 : OID.ecdsaWithSha256);

/** the algorithm of a signature OID, undefined for one the platform does not verify */
export function signatureAlgorithmOf(oid: string): SignatureAlgorithm | undefined {
  return oid === OID.sm2WithSm3 ? 'SM2' : oid === OID.ecdsaWithSha256 ? 'P-256' : undefined;
}

/** the hash a suite uses for data (GB/T 38540 dataHash: SM3 with SM2) */
export const hashAlgorithmOf = (algorithm: SignatureAlgorithm): HashAlgorithm => (algorithm === 'SM2' ? 'SM3' : 'SHA-256');

export function hashData(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  return createHash(algorithm === 'SM3' ? 'sm3' : 'sha256').update(data).digest();
}

export const keySpecOf = (algorithm: SignatureAlgorithm): SigningKeySpec => (algorithm === 'SM2' ? 'SM2' : 'ECC_NIST_P256');
export const algorithmOfKeySpec = (spec: SigningKeySpec): SignatureAlgorithm => (spec === 'SM2' ? 'SM2' : 'P-256');

export interface PublicKey {
  readonly algorithm: SignatureAlgorithm;
  /** uncompressed point 04 || x || y */
  readonly point: Uint8Array;
  /** SubjectPublicKeyInfo DER */
  readonly spki: Uint8Array;
}

/** Reads an EC SubjectPublicKeyInfo on the SM2 or P-256 curve; throws for anything else. */
export function readPublicKey(spki: Uint8Array): PublicKey {
  const [algorithm, key] = childrenOf(decodeDer(spki), Tag.SEQUENCE, 'SubjectPublicKeyInfo');
  const [keyType, curve] = childrenOf(algorithm!, Tag.SEQUENCE, 'public key algorithm');
  const type = readOid(keyType, 'public key algorithm');
  const curveOid = curve?.tag === Tag.OID ? readOid(curve, 'curve') : undefined;
  // some SM2 producers name the curve as the key algorithm itself
  const kind = type === OID.sm2Curve || (type === OID.ecPublicKey && curveOid === OID.sm2Curve) ? 'SM2' : type === OID.ecPublicKey && curveOid === OID.p256Curve ? 'P-256' : undefined;
  if (!kind) throw new Error(`unsupported public key: ${type}${curveOid ? ` on ${curveOid}` : ''}`);
  const point = readBitString(key, 'public key');
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('public key is not an uncompressed point');
  return { algorithm: kind, point, spki };
}

/** The digest the key signs for a message: SM3(ZA || M) with the default ID for SM2, SHA-256 for P-256. */
export function signingDigest(key: PublicKey, message: Uint8Array): Uint8Array {
  return key.algorithm === 'SM2' ? sm2Digest(message, key.point) : hashData('SHA-256', message);
}

/** Verifies a DER (r, s) signature over a message; anything malformed is simply invalid. */
export function verifySignature(key: PublicKey, message: Uint8Array, derSignature: Uint8Array): boolean {
  if (key.algorithm === 'SM2') return verifySm2Digest(signingDigest(key, message), derSignature, key.point);
  try {
    return verifyWithNode('sha256', message, { key: Buffer.from(key.spki), format: 'der', type: 'spki', dsaEncoding: 'der' }, derSignature);
  } catch {
    return false;
  }
}

/** A vault key that signs messages: the message is hashed here and only the digest goes to the vault. */
export interface MessageSigner {
  readonly keyId: string;
  readonly publicKey: PublicKey;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer for a vault key whose public key the caller holds (from its certificate), so signing costs one vault call. */
export function vaultSigner(vault: KeyVault, keyId: string, publicKey: PublicKey): MessageSigner {
  return { keyId, publicKey, sign: (message) => vault.signDigest(keyId, signingDigest(publicKey, message)) };
}
