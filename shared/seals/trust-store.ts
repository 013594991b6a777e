import { bytesEqual } from '../crypto/der.js';
import { isSignedBy, parseCertificate, sameName, validAt, type Certificate } from '../crypto/x509.js';
import type { Clock } from '../ports/clock.js';
import type { SealAuthorityRepository } from './seal-authority.js';

/**
 * What the platform trusts when it verifies seals: its own seal CA root and the anchors of other
 * platforms (configured, or registered by an administrator). Intermediate certificates (our
 * maker, makers embedded in seals) are only stepping stones: a chain must end at an anchor.
 */
export interface TrustStore {
  readonly anchors: readonly Certificate[];
  /** CA certificates that may link a certificate to an anchor */
  readonly intermediates: readonly Certificate[];
}

export type ChainResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'untrusted-issuer' | 'expired' | 'not-yet-valid' };

const MAX_CHAIN = 5;

/**
 * Builds a path from a certificate to a trust anchor (RFC 5280 §6, simplified):
 * 1. a certificate that is itself an anchor is trusted;
 * 2. candidates are anchors and intermediates whose subject is the certificate's issuer and whose
 *    key verifies its signature;
 * 3. an anchor candidate ends the path (anchors are trusted by configuration, so their own
 *    extensions are not checked, as RFC 5280 leaves trust-anchor constraints to the relying party);
 * 4. an intermediate must be a CA allowed to sign certificates and valid at `at`, then its own
 *    issuer is sought, up to five links.
 * The certificate's own validity is the caller's check. No path: `untrusted-issuer`, or why the
 * only paths failed (an intermediate expired or not yet valid at `at`).
 */
export function validateChain(certificate: Certificate, at: Date, store: TrustStore, extraIntermediates: readonly Certificate[] = []): ChainResult {
  const intermediates = [...store.intermediates, ...extraIntermediates];
  let failure: ChainResult = { ok: false, reason: 'untrusted-issuer' };
  const walk = (current: Certificate, depth: number): boolean => {
    if (store.anchors.some((anchor) => isSameCertificate(anchor, current))) return true;
    if (depth >= MAX_CHAIN) return false;
    for (const anchor of store.anchors) {
      if (sameName(anchor.subject, current.issuer) && isSignedBy(current, anchor)) return true;
    }
    for (const issuer of intermediates) {
      if (isSameCertificate(issuer, current) || !sameName(issuer.subject, current.issuer) || !isSignedBy(current, issuer)) continue;
      if (!mayIssueCertificates(issuer)) continue;
      const validity = validAt(issuer, at);
      if (validity !== 'valid') {
        failure = { ok: false, reason: validity };
        continue;
      }
      if (walk(issuer, depth + 1)) return true;
    }
    return false;
  };
  return walk(certificate, 0) ? { ok: true } : failure;
}

/** A certificate's validity at a time, then its chain to a trust anchor. */
export function validateCertificateAt(certificate: Certificate, at: Date, store: TrustStore, extraIntermediates: readonly Certificate[] = []): ChainResult {
  const validity = validAt(certificate, at);
  return validity === 'valid' ? validateChain(certificate, at, store, extraIntermediates) : { ok: false, reason: validity };
}

/** a CA certificate (basic constraints cA) whose key usage, when stated, includes keyCertSign */
export function mayIssueCertificates(certificate: Certificate): boolean {
  return certificate.basicConstraints?.ca === true && (!certificate.keyUsage || certificate.keyUsage.has('keyCertSign'));
}

function isSameCertificate(a: Certificate, b: Certificate): boolean {
  return bytesEqual(a.der, b.der) || (sameName(a.subject, b.subject) && bytesEqual(a.spki, b.spki));
}

/** The trust store, read again after a while; `forget` makes the next load read it at once. */
export interface TrustStoreLoader {
  load(): Promise<TrustStore>;
  forget(): void;
}

/**
 * The trust store from the CA record, the configured anchors and the registered ones. A function
 * reads it again after `cacheSeconds`, so an anchor registered in one container counts in every
 * other within that time (and at once in the container that registered it, which forgets).
 */
export function trustStoreLoader(deps: { authorities: SealAuthorityRepository; configuredAnchors: readonly Uint8Array[]; clock: Clock; cacheSeconds: number }): TrustStoreLoader {
  const configured = deps.configuredAnchors.map((der) => parseCertificate(der));
  let cached: { store: TrustStore; until: number } | undefined;
  return {
    async load() {
      const now = deps.clock.now().getTime();
      if (cached && now < cached.until) return cached.store;
      const [authority, registered] = await Promise.all([deps.authorities.get(), deps.authorities.listAnchors()]);
      const store: TrustStore = {
        anchors: [...(authority ? [parseCertificate(authority.rootCertificate)] : []), ...configured, ...registered.map((anchor) => parseCertificate(anchor.certificate))],
        intermediates: authority ? [parseCertificate(authority.makerCertificate)] : [],
      };
      cached = { store, until: now + deps.cacheSeconds * 1000 };
      return store;
    },
    forget() {
      cached = undefined;
    },
  };
}
