import { readPublicKey, signatureAlgorithmOf, signatureAlgorithmOid, verifySignature } from '../crypto/signature-algorithms.js';
import { isSignedBy, parseCertificate } from '../crypto/x509.js';
import type { Clock } from '../ports/clock.js';
import { publishedStatus, type PublishedStatus } from './seal.js';
import type { SealAuthority } from './seal-authority.js';
import type { SealRepository } from './seal-repository.js';

/**
 * The published status list (GB/T 39047 §6.3.3 c): every seal made here with its status, in
 * pages, each page signed by the seal maker so that other platforms can check statuses offline
 * with the certificates of the trust list, without asking about each seal.
 */

export interface StatusListEntry {
  readonly sealId: string;
  readonly esID: string;
  readonly status: PublishedStatus;
  readonly changedAt: string;
}

export interface StatusPage {
  /** the platform that publishes the list (its API base URL) */
  readonly issuer: string;
  readonly issuedAt: string;
  readonly items: readonly StatusListEntry[];
  /** pass as `cursor` for the next page; absent on the last page */
  readonly nextCursor?: string;
}

export interface SignedStatusPage extends StatusPage {
  /** over the RFC 8785 canonical JSON of the page without this member */
  readonly signature: {
    /** OID of the signature algorithm */
    readonly algorithm: string;
    /** base64 DER of the maker certificate (in the trust list) */
    readonly certificate: string;
    /** base64 DER (r, s) */
    readonly value: string;
  };
}

/**
 * One signed page of the status list.
 * 1. read `size` status entries after the cursor (seal ids in order);
 * 2. an active or suspended seal past its validity is listed as expired since its end;
 * 3. the maker signs the canonical JSON (RFC 8785) of issuer, issuedAt, items and nextCursor.
 */
export async function signedStatusPage(
  deps: { seals: SealRepository; authority: () => Promise<SealAuthority>; clock: Clock; issuer: string },
  input: { cursor?: string; size: number },
): Promise<SignedStatusPage> {
  const authority = await deps.authority();
  const now = deps.clock.now();
  const { entries, last } = await deps.seals.listPublished(input.size, input.cursor);
  const items = entries.map((entry): StatusListEntry => {
    const status = publishedStatus(entry, now)!;
    return { sealId: entry.sealId, esID: entry.esID, status, changedAt: status === 'expired' ? entry.validTo : entry.changedAt };
  });
  const page: StatusPage = { issuer: deps.issuer, issuedAt: now.toISOString(), items, ...(last ? { nextCursor: last } : {}) };
  const value = await authority.makerSigner.sign(Buffer.from(canonicalJson(page), 'utf8'));
  return {
    ...page,
    signature: {
      algorithm: signatureAlgorithmOid(authority.makerSigner.publicKey.algorithm),
      certificate: Buffer.from(authority.record.makerCertificate).toString('base64'),
      value: Buffer.from(value).toString('base64'),
    },
  };
}

/**
 * What a relying platform does with a page: the signature verifies with the certificate in the
 * page, and that certificate was issued by the root it trusts (from our trust list).
 */
export function verifyStatusPage(page: SignedStatusPage, trustedRoot: Uint8Array): boolean {
  const { signature, ...content } = page;
  const certificate = parseCertificate(Buffer.from(signature.certificate, 'base64'));
  const root = parseCertificate(trustedRoot);
  if (!certificate.publicKey || signatureAlgorithmOf(signature.algorithm) !== certificate.publicKey.algorithm || !isSignedBy(certificate, root)) return false;
  return verifySignature(readPublicKey(certificate.spki), Buffer.from(canonicalJson(content), 'utf8'), Buffer.from(signature.value, 'base64'));
}

/** RFC 8785 JSON canonicalization for JSON values: object members sorted by key, no white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
  return `{${members.join(',')}}`;
}
