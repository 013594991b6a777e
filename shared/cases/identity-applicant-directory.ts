import type { AccountRepository } from '../identity/account-repository.js';
import type { ApplicantDirectory } from '../ports/applicant-directory.js';

/** The applicant directory of cases, read from the identity table's accounts. */
export function identityApplicantDirectory(accounts: AccountRepository): ApplicantDirectory {
  return {
    async profile(accountId) {
      const account = await accounts.get(accountId);
      if (!account) return undefined;
      const id = account.usccSealed
        ? { idType: 'uscc', idSealed: account.usccSealed, idMasked: account.usccMasked }
        : account.idNumberSealed
          ? { idType: account.idType ?? 'resident-id', idSealed: account.idNumberSealed, idMasked: account.idNumberMasked }
          : {};
      return {
        accountId: account.accountId,
        subjectType: account.subjectType,
        name: account.name,
        level: account.level,
        ...definedOnly(id),
        ...definedOnly({ phoneSealed: account.phoneSealed, phoneMasked: account.phoneMasked }),
      };
    },
  };
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}
