import type { Principal } from '../auth/principal.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { CertificateRecord } from './certificate-model.js';
import type { CertificateRepository } from './certificate-repository.js';

/**
 * POST /v1/certificates/{identifier}/revocation: the issuer withdraws a certificate.
 * 1. the certificate must exist (404) and the caller be staff of its issuer (403);
 * 2. only a valid certificate can be revoked (409 otherwise);
 * 3. the status changes at once, so every verification and read after it shows `revoked`.
 */
export async function revokeCertificate(
  deps: { certificates: CertificateRepository; clock: Clock },
  input: { principal: Principal; identifier: string; reason: string },
): Promise<CertificateRecord> {
  const record = await deps.certificates.get(input.identifier);
  if (!record) throw notFound('No such certificate', 'certificate_not_found');
  if (input.principal.agency !== record.issuerUscc) throw forbidden('Only staff of the issuing agency may revoke a certificate', 'not_issuer');
  if (!(await deps.certificates.changeStatus(input.identifier, 'revoked', input.reason, deps.clock.now()))) throw conflict(`The certificate is ${record.status}`, 'certificate_not_valid');
  return (await deps.certificates.get(input.identifier))!;
}
