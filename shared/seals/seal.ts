import type { PublicKey, SignatureAlgorithm } from '../crypto/signature-algorithms.js';
import { parseCertificate } from '../crypto/x509.js';

/**
 * An electronic seal as the platform keeps it (GB/T 39047 §6.3.3 b, c): applied for by its owner
 * organisation, made by the seal authority, then changed, reported lost, renewed, replaced or
 * cancelled; or imported from another platform to track its status for verification.
 */

/** the largest seal or signature the platform reads (a seal holds its picture) */
export const MAX_SEAL_BYTES = 2 * 1024 * 1024;

export const SEAL_TYPES = ['official', 'finance', 'invoice', 'contract', 'legal-representative'] as const;
export type SealType = (typeof SEAL_TYPES)[number];

/**
 * SES_ESPropertyInfo.type of each seal type: the public-security seal type codes (01 unit seal,
 * 02 finance, 03 invoice, 04 contract, 05 legal representative), which producers also write
 * into electronic seals (a tax authority's invoice seal carries 3).
 */
export const SEAL_TYPE_CODES: Readonly<Record<SealType, number>> = {
  official: 1,
  finance: 2,
  invoice: 3,
  contract: 4,
  'legal-representative': 5,
};

export const SEAL_TYPE_NAMES: Readonly<Record<SealType, string>> = {
  official: '单位专用章',
  finance: '财务专用章',
  invoice: '发票专用章',
  contract: '合同专用章',
  'legal-representative': '法定代表人名章',
};

/** applied: waits for the authority; active: can sign; suspended: reported lost; revoked: cancelled or replaced, for good */
export type SealStatus = 'applied' | 'active' | 'suspended' | 'revoked';
/** what the status list publishes: expiry shows once the validity has ended */
export type PublishedStatus = 'active' | 'suspended' | 'revoked' | 'expired';

export interface StatusChange {
  readonly status: SealStatus;
  /** ISO time the seal entered the status */
  readonly at: string;
}

export interface SealPictureInput {
  readonly png: Uint8Array;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface Seal {
  readonly sealId: string;
  /** made here, or registered from another platform */
  readonly source: 'platform' | 'imported';
  readonly status: SealStatus;
  /** every status the seal has been in, oldest first: verification judges a signature by the status at its signing time */
  readonly statusHistory: readonly StatusChange[];
  readonly ownerUscc: string;
  /** the owner organisation's account (platform seals) */
  readonly ownerAccountId?: string;
  readonly ownerName: string;
  readonly type: SealType | 'external';
  readonly name: string;
  readonly algorithm: SignatureAlgorithm;
  readonly picture?: SealPictureInput;
  readonly validFrom: string;
  readonly validTo: string;
  /** seal code, given when the seal is made (or read from an imported seal) */
  readonly esID?: string;
  /** the vault key of the seal (platform seals, once made) */
  readonly keyId?: string;
  /** DER certificate of the owner's signing key */
  readonly certificate?: Uint8Array;
  /** DER SESeal of the current seal version */
  readonly esl?: Uint8Array;
  /** hex SHA-256 of the maker certificate in the seal: a signature's seal is this one only with the same esID and maker */
  readonly makerFingerprint?: string;
  /** 1 when made; each change or renewal makes a new version */
  readonly sealVersion: number;
  readonly replaces?: string;
  readonly replacedBy?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** optimistic lock: every write expects the version it read */
  readonly version: number;
}

export type SealAction = 'make' | 'change' | 'report-lost' | 'cancel' | 'renew' | 'replace';

/** the statuses each action may start from */
export const ACTION_FROM: Readonly<Record<SealAction, readonly SealStatus[]>> = {
  make: ['applied'],
  change: ['active'],
  'report-lost': ['active'],
  cancel: ['applied', 'active', 'suspended'],
  renew: ['active'],
  replace: ['active', 'suspended'],
};

/** The status at a time: the last change at or before it; undefined before the first. */
export function statusAt(seal: Pick<Seal, 'statusHistory'>, time: Date): SealStatus | undefined {
  let current: SealStatus | undefined;
  for (const change of seal.statusHistory) {
    if (new Date(change.at) <= time) current = change.status;
  }
  return current;
}

/** The status other platforms see: an active or suspended seal past its validity is expired. */
export function publishedStatus(seal: Pick<Seal, 'status' | 'validTo'>, now: Date): PublishedStatus | undefined {
  if (seal.status === 'applied') return undefined;
  if (seal.status !== 'revoked' && new Date(seal.validTo) < now) return 'expired';
  return seal.status;
}

/** the seal's key from its owner certificate, so no vault call is needed */
export function publicKeyOf(seal: Pick<Seal, 'sealId' | 'certificate'>): PublicKey {
  const publicKey = seal.certificate ? parseCertificate(seal.certificate).publicKey : undefined;
  if (!publicKey) throw new Error(`seal ${seal.sealId} has no certified key`);
  return publicKey;
}
