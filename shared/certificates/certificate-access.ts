import type { Principal } from '../auth/principal.js';
import { forbidden } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { CallerHolderResolver } from './certificate-holder.js';
import type { CertificateRecord, UsageGrant } from './certificate-model.js';
import type { CertificateRepository } from './certificate-repository.js';

/** why a relying agency reads a certificate: the GB/T 36906 use cause and its case */
export interface UseReason {
  readonly useCause?: string;
  readonly caseNo?: string;
}

export interface CertificateReader {
  readonly principal: Principal;
  readonly reason: UseReason;
}

export interface CertificateAccessDependencies {
  readonly certificates: CertificateRepository;
  readonly holderOf: CallerHolderResolver;
  readonly clock: Clock;
}

/** how the caller may see a certificate: as its holder (codes in clear), its issuer, or a relying agency */
export type ReaderRole = 'holder' | 'issuer' | 'relying';

/**
 * Decides whether the caller may read a certificate (GB/T 36906, GB/T 39047 6.3.4).
 * 1. its holder and the staff of its issuer may;
 * 2. anyone else must be agency staff giving a use cause and a case number, and hold a grant of
 *    the holder for their agency (and that case, if the grant names one) valid now;
 * 3. every third-party attempt is logged in the certificate's usage log, a refusal too (403).
 */
export async function authorizeCertificateRead(deps: CertificateAccessDependencies, reader: CertificateReader, record: CertificateRecord, operation: string): Promise<ReaderRole> {
  const { principal, reason } = reader;
  if ((await deps.holderOf(principal))?.lookup === record.holderLookup) return 'holder';
  if (principal.agency && principal.agency === record.issuerUscc) return 'issuer';
  const now = deps.clock.now();
  const entry = {
    identifier: record.identifier,
    at: now.toISOString(),
    user: principal.actor?.sub ?? principal.sub,
    ...(principal.agency ? { agency: principal.agency } : {}),
    operation,
    ...(reason.useCause ? { useCause: reason.useCause } : {}),
    ...(reason.caseNo ? { caseNo: reason.caseNo } : {}),
  };
  const refuse = async (why: string, code: string, message: string): Promise<never> => {
    await deps.certificates.recordUse({ ...entry, outcome: 'refused', reason: why });
    throw forbidden(message, code);
  };
  if (!principal.agency) return refuse('not-an-agency', 'not_certificate_reader', 'Only the holder, the issuer and relying agencies may read this certificate');
  if (!reason.useCause || !reason.caseNo) return refuse('no-use-cause', 'use_cause_required', 'A relying agency must give useCause and caseNo');
  const grant = activeGrant(await deps.certificates.grants(record.identifier), principal.agency, reason.caseNo, now);
  if (!grant) return refuse('no-grant', 'no_usage_grant', "The holder has not granted your agency the use of this certificate");
  await deps.certificates.recordUse({ ...entry, outcome: 'allowed', grantId: grant.grantId });
  return 'relying';
}

function activeGrant(grants: readonly UsageGrant[], agency: string, caseNo: string, now: Date): UsageGrant | undefined {
  return grants.find((grant) => grant.agency === agency && !grant.revokedAt && grant.validUntil > now.toISOString() && (!grant.caseNo || grant.caseNo === caseNo));
}
