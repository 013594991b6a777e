import type { RealNameLevel, SubjectType } from '../auth/principal.js';

/**
 * The applicant as the account knows them: name, kind and the protected copies of their ID number
 * (or USCC) and phone. Sealed values stay sealed; cases copy them without opening them.
 */
export interface ApplicantProfile {
  readonly accountId: string;
  readonly subjectType: SubjectType;
  readonly name: string;
  readonly level: RealNameLevel;
  readonly idType?: string;
  readonly idMasked?: string;
  readonly idSealed?: string;
  readonly phoneMasked?: string;
  readonly phoneSealed?: string;
}

export interface ApplicantDirectory {
  profile(accountId: string): Promise<ApplicantProfile | undefined>;
}
