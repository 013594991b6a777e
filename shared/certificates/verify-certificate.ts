import { notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import { verifySealSignature, type VerificationDependencies } from '../seals/verify-seal-signature.js';
import { readCertificateFile, sha256Hex } from './certificate-file.js';
import { effectiveStatus, type CertificateStatus } from './certificate-model.js';
import type { CertificateRepository } from './certificate-repository.js';

export interface CertificateVerification {
  readonly valid: boolean;
  readonly identifier?: string;
  /** the seal signature verifies, its seal and signer chain to a trusted anchor, and the seal is the issuer's */
  readonly authenticity: boolean;
  /** the file is byte for byte what the issuer sealed */
  readonly integrity: boolean;
  /** the certificate's status here; absent for a file of no certificate we know */
  readonly status?: CertificateStatus;
}

export interface VerifyCertificateDependencies {
  readonly certificates: Pick<CertificateRepository, 'get'>;
  readonly personalData: Pick<PersonalDataProtector, 'open'>;
  readonly seals: VerificationDependencies;
  readonly clock: Clock;
}

/**
 * POST /v1/certificate-verifications: is a certificate genuine, intact and in force (GB/T 36906).
 * 1. by identifier, the stored sealed file is checked (404 for an unknown identifier); a presented
 *    file (document and signature) is checked as given;
 * 2. the GB/T 38540 checks of the seal signature over the document: authenticity is every check but
 *    the data hash passing, with the seal being the one the issuer sealed the certificate with;
 * 3. integrity: the data hash matches and the document is the one issued under its identifier;
 * 4. status: revoked, superseded or expired as recorded now (revocation shows at once).
 */
export async function verifyCertificate(
  deps: VerifyCertificateDependencies,
  input: { identifier: string } | { document: Uint8Array; signature: Uint8Array },
): Promise<CertificateVerification> {
  let document: Uint8Array;
  let signature: Uint8Array;
  let identifier: string | undefined;
  if ('identifier' in input) {
    const stored = await deps.certificates.get(input.identifier);
    if (!stored) throw notFound('No such certificate', 'certificate_not_found');
    document = Buffer.from(await deps.personalData.open(stored.fileSealed), 'base64');
    signature = Buffer.from(stored.signature, 'base64');
    identifier = input.identifier;
  } else {
    ({ document, signature } = input);
    identifier = readCertificateFile(document)?.identifier;
  }
  const record = identifier ? await deps.certificates.get(identifier) : undefined;
  const report = await verifySealSignature(deps.seals, { signature, document });
  const { dataHash, ...others } = report.checks;
  const authenticity = record !== undefined && report.esID === record.esID && Object.values(others).every((check) => check.ok !== false);
  const integrity = record !== undefined && dataHash.ok === true && sha256Hex(document) === record.fileSha256;
  const status = record ? effectiveStatus(record, deps.clock.now()) : undefined;
  return {
    valid: authenticity && integrity && status === 'valid',
    ...(identifier ? { identifier } : {}),
    authenticity,
    integrity,
    ...(status ? { status } : {}),
  };
}
