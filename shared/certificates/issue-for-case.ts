import type { CaseEventMessage } from '../cases/case-event-message.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { HolderCodeType } from './certificate-model.js';
import { issueCertificate, type IssueCertificateDependencies } from './issue-certificate.js';

/** the system actor the case hook signs as, in the seal's usage log */
export const CASE_ISSUER = 'certificate-issue:case-approval';

/**
 * Issues the certificate a case produces when it is approved (from the case-events queue).
 * 1. only approvals count, and only cases whose result is a certificate of an item some
 *    certificate type names; anything else is ignored;
 * 2. the case is claimed once, so a repeated event issues nothing twice;
 * 3. the holder is the applicant (ID number or USCC opened from the case), the surface the case
 *    form's values of the type's fields; a failed issuance gives the claim back and fails the message.
 */
export async function issueForCase(
  deps: IssueCertificateDependencies & { cases: Pick<CaseRepository, 'get'>; personalData: Pick<PersonalDataProtector, 'open'> },
  event: CaseEventMessage,
): Promise<'issued' | 'ignored' | 'duplicate'> {
  if (event.state !== 'approved') return 'ignored';
  const record = await deps.cases.get(event.caseNo);
  if (record?.result?.kind !== 'certificate' || !record.applicant.idSealed) return 'ignored';
  const [typeCode] = await deps.certificates.typeCodesOfItem(record.itemCode);
  const type = typeCode ? await deps.certificates.getType(typeCode) : undefined;
  if (!type) return 'ignored';
  if (!(await deps.certificates.claimCase(record.caseNo))) return 'duplicate';
  try {
    const codeType: HolderCodeType = record.applicant.idType === 'uscc' ? 'uscc' : 'resident-id';
    const surface = Object.fromEntries(type.fields.filter((field) => record.form[field.name] !== undefined).map((field) => [field.name, record.form[field.name]]));
    await issueCertificate(deps, {
      issuer: { system: CASE_ISSUER },
      request: {
        typeCode: type.typeCode,
        holder: { name: record.applicant.name, codeType, code: await deps.personalData.open(record.applicant.idSealed) },
        surface,
        validFrom: event.at.slice(0, 10),
        caseNo: record.caseNo,
      },
    });
    return 'issued';
  } catch (error) {
    await deps.certificates.releaseCase(record.caseNo);
    throw error;
  }
}
