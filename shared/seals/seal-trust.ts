import { certificateFingerprint, parseCertificate } from '../crypto/x509.js';
import { invalidField } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { SealAuthority, SealAuthorityRepository, TrustAnchorRecord } from './seal-authority.js';
import type { SealCaller } from './seal-access.js';

/** The published trust list (GB/T 39047 §6.3.3 a). */
export interface TrustList {
  readonly algorithm: string;
  /** base64 DER */
  readonly root: string;
  /** base64 DER */
  readonly maker: string;
  readonly anchors: readonly { readonly fingerprint: string; readonly subject: string; readonly certificate: string; readonly source: 'configured' | 'registered'; readonly addedAt?: string }[];
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Our root and maker certificates, and every other platform's CA we accept, configured or registered. */
export async function trustList(deps: { authority: () => Promise<SealAuthority>; authorities: SealAuthorityRepository; configuredAnchors: readonly Uint8Array[] }): Promise<TrustList> {
  const authority = await deps.authority();
  const registered = await deps.authorities.listAnchors();
  return {
    algorithm: authority.record.algorithm,
    root: base64(authority.record.rootCertificate),
    maker: base64(authority.record.makerCertificate),
    anchors: [
      ...deps.configuredAnchors.map((certificate) => ({ fingerprint: certificateFingerprint(certificate), subject: parseCertificate(certificate).subject.text, certificate: base64(certificate), source: 'configured' as const })),
      ...registered.map((anchor) => ({ fingerprint: anchor.fingerprint, subject: anchor.subject, certificate: base64(anchor.certificate), source: 'registered' as const, addedAt: anchor.addedAt })),
    ],
  };
}

/**
 * Accepts another platform's seal CA as a trust anchor.
 * 1. the certificate must parse and carry an SM2 or P-256 key;
 * 2. it must be a CA certificate (basic constraints cA);
 * 3. it is stored under its SHA-256 fingerprint (409 when registered already).
 */
export async function addTrustAnchor(deps: { authorities: SealAuthorityRepository; clock: Clock }, input: { caller: SealCaller; certificate: Uint8Array }): Promise<TrustAnchorRecord> {
  let certificate;
  try {
    certificate = parseCertificate(input.certificate);
  } catch (error) {
    throw invalidField('certificate', `is not a DER X.509 certificate: ${(error as Error).message}`);
  }
  if (!certificate.publicKey) throw invalidField('certificate', 'must carry an SM2 or P-256 key');
  if (certificate.basicConstraints?.ca !== true) throw invalidField('certificate', 'must be a CA certificate (basic constraints cA)');
  const anchor: TrustAnchorRecord = {
    fingerprint: certificateFingerprint(certificate.der),
    certificate: certificate.der,
    subject: certificate.subject.text,
    addedAt: deps.clock.now().toISOString(),
    addedBy: input.caller.principal.sub,
  };
  await deps.authorities.addAnchor(anchor);
  return anchor;
}
