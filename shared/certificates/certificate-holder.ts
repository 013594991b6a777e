import type { Principal } from '../auth/principal.js';
import { maskIdNumber } from '../codes/masking.js';
import type { AccountRepository } from '../identity/account-repository.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { HolderCodeType } from './certificate-model.js';

/** ID numbers and USCCs alike keep their first and last four characters */
export const holderCodeMask = (code: string) => maskIdNumber(code);

/** the holder the caller is: a natural person by ID number, a legal person or organisation by USCC */
export interface CallerHolder {
  readonly codeType: HolderCodeType;
  readonly lookup: string;
  /** the code itself, in memory only: to recognise certificates that arrived without a lookup hash */
  readonly code: string;
}

/**
 * Resolves a signed-in person or organisation to the lookup hash of their ID number or USCC, read
 * from their account; undefined for staff, platforms and accounts without one.
 */
export function callerHolderResolver(deps: { accounts: Pick<AccountRepository, 'get'>; personalData: Pick<PersonalDataProtector, 'open' | 'lookupHash'> }) {
  return async (principal: Principal): Promise<CallerHolder | undefined> => {
    if (principal.subjectType === 'platform') return undefined;
    const account = await deps.accounts.get(principal.sub);
    if (!account) return undefined;
    const [codeType, sealed]: [HolderCodeType, string | undefined] = account.usccSealed
      ? ['uscc', account.usccSealed]
      : ['resident-id', (account.idType ?? 'resident-id') === 'resident-id' ? account.idNumberSealed : undefined];
    if (!sealed) return undefined;
    const code = await deps.personalData.open(sealed);
    return { codeType, code, lookup: await deps.personalData.lookupHash(codeType, code) };
  };
}

export type CallerHolderResolver = ReturnType<typeof callerHolderResolver>;
