import { ulid } from 'ulid';
import type { RealNameLevel, SubjectType } from '../auth/principal.js';
import { maskIdNumber, maskMiddle, maskPhone } from '../codes/masking.js';
import type { Clock } from '../ports/clock.js';
import type { LookupKind, PersonalDataProtector } from '../privacy/personal-data.js';
import type { Account, AccountRepository, UniqueClaim } from './account-repository.js';
import { hashPassword } from './password.js';

/** A validated, normalised new account with its personal data in clear (never stored so). */
export interface NewAccount {
  readonly subjectType: SubjectType;
  readonly name: string;
  readonly level: RealNameLevel;
  readonly verifiedMethods: readonly string[];
  readonly roles?: readonly string[];
  readonly agency?: string;
  readonly region?: string;
  readonly idType?: string;
  readonly idNumber?: string;
  readonly uscc?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly username?: string;
  readonly password: string;
}

/**
 * Creates an account.
 * 1. hash the password (scrypt);
 * 2. seal and mask ID number, USCC and phone; compute the lookup hashes of every unique login name;
 * 3. write the account and its unique claims in one transaction (409 if any is taken, nothing written).
 */
export async function createAccount(
  deps: { accounts: AccountRepository; personalData: PersonalDataProtector; clock: Clock },
  input: NewAccount,
): Promise<Account> {
  const { personalData } = deps;
  const claimOf = async (kind: LookupKind, value: string): Promise<UniqueClaim> => ({ kind, hash: await personalData.lookupHash(kind, value) });
  const idKind: LookupKind = input.idType === 'resident-id' ? 'resident-id' : 'id-document';
  const idLookupValue = idKind === 'resident-id' ? input.idNumber : `${input.idType}:${input.idNumber}`;

  const claims = await Promise.all([
    ...(input.idNumber && idLookupValue ? [claimOf(idKind, idLookupValue)] : []),
    ...(input.uscc ? [claimOf('uscc', input.uscc)] : []),
    ...(input.phone ? [claimOf('phone', input.phone)] : []),
    ...(input.email ? [claimOf('email', input.email.toLowerCase())] : []),
    ...(input.username ? [claimOf('username', input.username.toLowerCase())] : []),
  ]);
  const now = deps.clock.now();
  const account: Account = {
    accountId: ulid(now.getTime()),
    subjectType: input.subjectType,
    name: input.name,
    level: input.level,
    verifiedMethods: input.verifiedMethods,
    roles: input.roles ?? [],
    status: 'active',
    createdAt: now.toISOString(),
    version: 1,
    passwordHash: await hashPassword(input.password),
    ...(input.agency ? { agency: input.agency } : {}),
    ...(input.region ? { region: input.region } : {}),
    ...(input.idNumber
      ? { idType: input.idType, idNumberSealed: await personalData.seal(input.idNumber), idNumberMasked: maskIdNumber(input.idNumber) }
      : {}),
    ...(input.uscc ? { usccSealed: await personalData.seal(input.uscc), usccMasked: maskMiddle(input.uscc, 4, 4) } : {}),
    ...(input.phone ? { phoneSealed: await personalData.seal(input.phone), phoneMasked: maskPhone(input.phone) } : {}),
    ...(input.email ? { email: input.email.toLowerCase() } : {}),
  };
  await deps.accounts.create(account, claims);
  return account;
}
