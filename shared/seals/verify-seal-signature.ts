import { createHash } from 'node:crypto';
import { bytesEqual } from '../crypto/der.js';
import { hashAlgorithmOf, hashData, signatureAlgorithmOf, verifySignature, type SignatureAlgorithm } from '../crypto/signature-algorithms.js';
import { certificateFingerprint, parseCertificate, type Certificate } from '../crypto/x509.js';
import type { Clock } from '../ports/clock.js';
import { publishedStatus, statusAt, type PublishedStatus, type Seal } from './seal.js';
import { decodeSignature, type DecodedSignature } from './ses-signature.js';
import type { CertList, DecodedSeal } from './ses-seal.js';
import { verifyTimeStampToken } from './time-stamp.js';
import { validateCertificateAt, type TrustStore } from './trust-store.js';

/**
 * Verification of electronic signatures (GB/T 39047 §6.3.3 e) made by anyone, v4 or v1: the
 * eight checks of GB/T 38540, each reported on its own with a reason. Time-dependent checks are
 * judged at the signing time (TBS_Sign.timeInfo): a certificate or seal that has expired since
 * still counts, and so does a seal revoked or reported lost after the signature was made.
 */

export const CHECKS = ['format', 'signature', 'signerInCertList', 'sealValid', 'signerCertValid', 'signingTime', 'dataHash', 'timestamp'] as const;
export type CheckName = (typeof CHECKS)[number];

export const FAILURE_REASONS = [
  'bad-format',
  'bad-signature',
  'not-in-cert-list',
  'expired',
  'not-yet-valid',
  'untrusted-issuer',
  'revoked',
  'suspended',
  'hash-mismatch',
  'bad-timestamp',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
/** why a check did not apply */
export type NotApplicableReason = 'no-document' | 'no-timestamp';

export type CheckResult =
  | { readonly ok: true; readonly reason: null }
  | { readonly ok: false; readonly reason: FailureReason }
  | { readonly ok: null; readonly reason: NotApplicableReason };

export interface VerificationReport {
  /** true only when every applicable check passed */
  readonly valid: boolean;
  /** null when the bytes are no SES_Signature at all */
  readonly version: 1 | 4 | null;
  readonly checks: Readonly<Record<CheckName, CheckResult>>;
  /** the signing time the signature asserts */
  readonly signedAt?: string;
  readonly esID?: string;
  readonly sealName?: string;
  /** subject of the signer certificate */
  readonly signer?: string;
  /** the seal's status now, when the platform tracks the seal (made here or imported) */
  readonly sealStatus?: PublishedStatus;
}

/** Seals the platform tracks, found by seal code. */
export interface SealStatusLookup {
  findByEsId(esID: string): Promise<Seal | undefined>;
}

export interface VerificationDependencies {
  readonly trust: () => Promise<TrustStore>;
  readonly seals: SealStatusLookup;
  readonly clock: Clock;
}

/** how far in the future a signing time may lie (clock differences between machines) */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** how far the signer's claimed time may lie from the time-stamp authority's */
export const TIMESTAMP_TOLERANCE_MS = 10 * 60 * 1000;

const PASS: CheckResult = { ok: true, reason: null };
const fail = (reason: FailureReason): CheckResult => ({ ok: false, reason });

/**
 * Verifies an SES_Signature.
 * 1. format: it parses (v4 or v1), header "ES", a known version, known algorithms, certificates that parse;
 * 2. signature: the signer certificate's key verifies the signature over TBS_Sign;
 * 3. signerInCertList: the signer certificate is in the seal's certList (or certDigestList by digest);
 * 4. sealValid: the maker's signature over the seal, the seal's validity at the signing time, the
 *    seal's status at that time (when tracked here), the maker certificate's validity and its chain;
 * 5. signerCertValid: the signer certificate's validity at the signing time and its chain;
 * 6. signingTime: not in the future, inside the seal's and the signer certificate's validity, and
 *    close to the time-stamp authority's time when a token is present;
 * 7. dataHash: the hash of the document (or the hash given) equals TBS_Sign.dataHash;
 * 8. timestamp: an RFC 3161 token over the signature value, when present, verifies.
 * A certificate whose chain reaches no trusted anchor fails with untrusted-issuer.
 */
export async function verifySealSignature(
  deps: VerificationDependencies,
  input: { signature: Uint8Array; document?: Uint8Array; documentHash?: Uint8Array },
): Promise<VerificationReport> {
  const parsed = parseSignature(input.signature);
  if ('failure' in parsed) {
    return { valid: false, version: parsed.version, checks: Object.fromEntries(CHECKS.map((check) => [check, fail('bad-format')])) as Record<CheckName, CheckResult> };
  }
  const { decoded, signer, maker, algorithm } = parsed;
  const at = decoded.timeInfo;
  const store = await deps.trust();
  const tracked = await trackedSeal(deps.seals, decoded.seal);
  const timestamp = decoded.timeStamp ? verifyTimeStampToken(decoded.timeStamp, decoded.signature, store) : undefined;
  const seal = decoded.seal.info.property;

  const checks: Record<CheckName, CheckResult> = {
    format: PASS,
    signature: signer.publicKey && signer.publicKey.algorithm === algorithm && verifySignature(signer.publicKey, decoded.signedBytes, decoded.signature) ? PASS : fail('bad-signature'),
    signerInCertList: isInCertList(decoded.signerCertificate, seal.certList) ? PASS : fail('not-in-cert-list'),
    sealValid: checkSealAt(decoded.seal, maker, at, store, tracked),
    signerCertValid: checkCertificateAt(signer, at, store, [maker]),
    signingTime: checkSigningTime(at, deps.clock.now(), [windowOf(seal.validStart, seal.validEnd), windowOf(signer.notBefore, signer.notAfter)], timestamp),
    dataHash: checkDataHash(decoded.dataHash, hashAlgorithmOf(algorithm), input),
    timestamp: timestamp ? (timestamp.ok ? PASS : fail('bad-timestamp')) : { ok: null, reason: 'no-timestamp' },
  };
  const sealStatus = tracked ? publishedStatus(tracked, deps.clock.now()) : undefined;
  return {
    valid: Object.values(checks).every((check) => check.ok !== false),
    version: decoded.version,
    checks,
    signedAt: at.toISOString(),
    esID: decoded.seal.info.esID,
    sealName: seal.name,
    signer: signer.subject.text,
    ...(sealStatus ? { sealStatus } : {}),
  };
}

type ParsedSignature =
  | { readonly decoded: DecodedSignature; readonly signer: Certificate; readonly maker: Certificate; readonly algorithm: SignatureAlgorithm }
  | { readonly failure: string; readonly version: 1 | 4 | null };

/** Decodes the signature and everything check 1 covers, or says why it is no valid format. */
export function parseSignature(bytes: Uint8Array): ParsedSignature {
  let decoded: DecodedSignature;
  try {
    decoded = decodeSignature(bytes);
  } catch (error) {
    return { failure: (error as Error).message, version: null };
  }
  const failure = formatProblem(decoded.seal) ?? (signatureAlgorithmOf(decoded.signatureAlgorithm) ? undefined : `unknown signature algorithm ${decoded.signatureAlgorithm}`);
  if (failure) return { failure, version: decoded.version };
  try {
    return {
      decoded,
      signer: parseCertificate(decoded.signerCertificate),
      maker: parseCertificate(decoded.seal.makerCertificate),
      algorithm: signatureAlgorithmOf(decoded.signatureAlgorithm)!,
    };
  } catch (error) {
    return { failure: (error as Error).message, version: decoded.version };
  }
}

/** why a decoded seal is not a valid format: header, version, maker algorithm */
export function formatProblem(seal: DecodedSeal): string | undefined {
  const { header } = seal.info;
  if (header.id !== 'ES') return `header id "${header.id}" is not "ES"`;
  if (seal.version === 4 ? header.version !== 4 : header.version < 1 || header.version > 3) return `header version ${header.version} does not fit a v${seal.version} seal`;
  if (!signatureAlgorithmOf(seal.signatureAlgorithm)) return `unknown seal signature algorithm ${seal.signatureAlgorithm}`;
  return undefined;
}

/** certs: the same DER; certDigestList: the digest of the certificate by the named hash */
export function isInCertList(certificate: Uint8Array, list: CertList): boolean {
  if (list.kind === 'certs') return list.certificates.some((entry) => bytesEqual(entry, certificate));
  return list.digests.some(({ type, value }) => {
    const hash = { sm3: 'sm3', sha1: 'sha1', 'sha-1': 'sha1', sha256: 'sha256', 'sha-256': 'sha256' }[type.toLowerCase()];
    return hash !== undefined && bytesEqual(createHash(hash).update(certificate).digest(), value);
  });
}

/** The seal record the platform tracks for this seal: same esID and same maker. */
async function trackedSeal(seals: SealStatusLookup, seal: DecodedSeal): Promise<Seal | undefined> {
  const record = await seals.findByEsId(seal.info.esID);
  return record && record.makerFingerprint === certificateFingerprint(seal.makerCertificate) ? record : undefined;
}

/**
 * Check 4 at a time: the maker's signature, the seal's validity window, the tracked status at
 * that time, the maker certificate's validity and its chain to an anchor.
 */
export function checkSealAt(seal: DecodedSeal, maker: Certificate, at: Date, store: TrustStore, tracked?: Pick<Seal, 'statusHistory'>): CheckResult {
  if (!maker.publicKey || maker.publicKey.algorithm !== signatureAlgorithmOf(seal.signatureAlgorithm) || !verifySignature(maker.publicKey, seal.signedBytes, seal.signature)) {
    return fail('bad-signature');
  }
  const { validStart, validEnd } = seal.info.property;
  if (at < validStart) return fail('not-yet-valid');
  if (at > validEnd) return fail('expired');
  const status = tracked ? statusAt(tracked, at) : undefined;
  if (status === 'revoked' || status === 'suspended') return fail(status);
  return checkCertificateAt(maker, at, store);
}

/** a certificate's validity at a time and its chain to a trust anchor, as a check */
export function checkCertificateAt(certificate: Certificate, at: Date, store: TrustStore, extraIntermediates: readonly Certificate[] = []): CheckResult {
  const chain = validateCertificateAt(certificate, at, store, extraIntermediates);
  return chain.ok ? PASS : fail(chain.reason);
}

interface Window {
  readonly from: Date;
  readonly to: Date;
}
const windowOf = (from: Date, to: Date): Window => ({ from, to });

function checkSigningTime(at: Date, now: Date, windows: readonly Window[], timestamp: { ok: boolean; time?: Date } | undefined): CheckResult {
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) return fail('not-yet-valid');
  for (const window of windows) {
    if (at < window.from) return fail('not-yet-valid');
    if (at > window.to) return fail('expired');
  }
  if (timestamp?.ok && timestamp.time && Math.abs(timestamp.time.getTime() - at.getTime()) > TIMESTAMP_TOLERANCE_MS) return fail('bad-timestamp');
  return PASS;
}

function checkDataHash(dataHash: Uint8Array, algorithm: ReturnType<typeof hashAlgorithmOf>, input: { document?: Uint8Array; documentHash?: Uint8Array }): CheckResult {
  const expected = input.document ? hashData(algorithm, input.document) : input.documentHash;
  if (!expected) return { ok: null, reason: 'no-document' };
  return bytesEqual(expected, dataHash) ? PASS : fail('hash-mismatch');
}
