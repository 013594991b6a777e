/**
 * Electronic certificates (电子证照, GB/T 36901–36906) and the card wallet (GB/T 39047 6.1.10 g).
 * The holder's code is stored sealed, with its lookup hash and a masked copy (DESIGN §4).
 */

export type HolderType = 'natural' | 'legal';
export type HolderCodeType = 'resident-id' | 'uscc';
export type CertificateStatus = 'valid' | 'revoked' | 'expired' | 'superseded';

export interface CertificateField {
  readonly name: string;
  readonly type: 'string' | 'number' | 'date';
  readonly required: boolean;
}

/** A certificate type of the catalog (GB/T 36902 style) and who issues it with which seal. */
export interface CertificateType {
  readonly typeCode: string;
  readonly name: string;
  readonly issuerDepartment: string;
  /** the issuing organisation: its USCC and name, as the identifier and metadata carry them */
  readonly issuerUscc: string;
  /** the issuer's electronic seal every certificate of the type is sealed with */
  readonly sealId: string;
  readonly holderType: HolderType;
  readonly fields: readonly CertificateField[];
  readonly validityYears?: number;
  /** items whose approval produces a certificate of this type */
  readonly itemCodes: readonly string[];
  readonly createdAt: string;
}

/** the GB/T 36903 metadata every form of a certificate carries: its file, its stored record, what readers see */
export interface CertificateMetadata {
  readonly identifier: string;
  readonly typeCode: string;
  readonly name: string;
  readonly holderName: string;
  readonly holderCodeType: HolderCodeType;
  readonly issuerName: string;
  readonly issuerUscc: string;
  readonly issueDate: string;
  readonly validFrom: string;
  readonly validUntil?: string;
}

/** GB/T 36903 metadata of one certificate version, as stored. */
export interface CertificateRecord extends CertificateMetadata {
  readonly holderCodeSealed: string;
  readonly holderCodeMasked: string;
  readonly holderLookup: string;
  readonly status: 'valid' | 'revoked' | 'superseded';
  readonly statusReason?: string;
  readonly statusChangedAt?: string;
  readonly serial: number;
  readonly version: number;
  readonly surface: Readonly<Record<string, unknown>>;
  readonly caseNo?: string;
  /** the certificate file (JSON), sealed: it carries the holder's code in clear */
  readonly fileSealed: string;
  readonly fileSha256: string;
  /** the GB/T 38540 SES_Signature over the file, base64 */
  readonly signature: string;
  readonly esID: string;
  readonly issuedAt: string;
}

/** The holder's permission for an agency (optionally for one case) to read a certificate until a moment. */
export interface UsageGrant {
  readonly grantId: string;
  readonly identifier: string;
  readonly agency: string;
  readonly caseNo?: string;
  readonly validUntil: string;
  readonly grantedAt: string;
  readonly revokedAt?: string;
}

/** One use (or refused use) of a certificate by someone other than its holder: who, when, why, which case. */
export interface UsageEntry {
  readonly identifier: string;
  readonly at: string;
  readonly user: string;
  readonly agency?: string;
  readonly operation: string;
  readonly useCause?: string;
  readonly caseNo?: string;
  readonly outcome: 'allowed' | 'refused';
  readonly reason?: string;
  readonly grantId?: string;
}

/** the status a reader sees: a valid certificate past its validity is expired */
export function effectiveStatus(record: Pick<CertificateRecord, 'status' | 'validUntil'>, now: Date): CertificateStatus {
  if (record.status !== 'valid') return record.status;
  if (record.validUntil && record.validUntil < now.toISOString().slice(0, 10)) return 'expired';
  return 'valid';
}
