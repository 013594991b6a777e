import { ulid } from 'ulid';
import type { RealNameLevel, SubjectType } from '../auth/principal.js';
import { maskIdNumber, maskMiddle, maskName, maskPhone } from '../codes/masking.js';
import type { Clock } from '../ports/clock.js';
import type { LookupKind, PersonalDataProtector } from '../privacy/personal-data.js';
import type { TransactionItem } from '../tables/transactions.js';
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
  readonly representative?: { readonly name: string; readonly idNumber: string };
  readonly phone?: string;
  readonly email?: string;
  readonly username?: string;
  /** absent for federated accounts, which log in only through their peer platform */
  readonly password?: string;
  readonly federatedFrom?: string;
}

/** The lookup kind and value under which an identity document is unique. */
export function idDocumentClaim(idType: string, idNumber: string): { kind: LookupKind; value: string } {
  return idType === 'resident-id' ? { kind: 'resident-id', value: idNumber } : { kind: 'id-document', value: `${idType}:${idNumber}` };
}

/**
 * Creates an account.
 * 1. hash the password (scrypt), when there is one;
 * 2. seal and mask ID number, USCC, representative and phone; compute the lookup hashes of every unique login name;
 * 3. write the account, its unique claims and `alsoWrite` in one transaction (409 if a claim is taken, nothing written).
 */
export async function createAccount(
  deps: { accounts: AccountRepository; personalData: PersonalDataProtector; clock: Clock },
  input: NewAccount,
  alsoWrite: (account: Account) => readonly TransactionItem[] = () => [],
): Promise<Account> {
  const { personalData } = deps;
  const claimOf = async ({ kind, value }: { kind: LookupKind; value: string }): Promise<UniqueClaim> => ({ kind, hash: await personalData.lookupHash(kind, value) });

  const claims = await Promise.all([
    ...(input.idNumber ? [claimOf(idDocumentClaim(input.idType ?? 'resident-id', input.idNumber))] : []),
    ...(input.uscc ? [claimOf({ kind: 'uscc', value: input.uscc })] : []),
    ...(input.phone ? [claimOf({ kind: 'phone', value: input.phone })] : []),
    ...(input.email ? [claimOf({ kind: 'email', value: input.email.toLowerCase() })] : []),
    ...(input.username ? [claimOf({ kind: 'username', value: input.username.toLowerCase() })] : []),
  ]);
  const now = deps.clock.now();
  const account: Account = {
    accountId: ulid(now.getTime()),
    subjectType: input.subjectType,
    name: input.name,
    level: input.level,
    verifiedMethods: input.verifiedMethods,
    roles: input.roles ?? [],
    claims,
    status: 'active',
    createdAt: now.toISOString(),
    version: 1,
    ...(input.password === undefined ? {} : { passwordHash: await hashPassword(input.password) }),
    ...(input.agency ? { agency: input.agency } : {}),
    ...(input.region ? { region: input.region } : {}),
    ...(input.federatedFrom ? { federatedFrom: input.federatedFrom } : {}),
    ...(input.idNumber
      ? { idType: input.idType ?? 'resident-id', idNumberSealed: await personalData.seal(input.idNumber), idNumberMasked: maskIdNumber(input.idNumber) }
      : {}),
    ...(input.uscc ? { usccSealed: await personalData.seal(input.uscc), usccMasked: maskMiddle(input.uscc, 4, 4) } : {}),
    ...(input.representative
      ? {
          representativeSealed: await personalData.seal(JSON.stringify(input.representative)),
          representativeMasked: { name: maskName(input.representative.name), idNumber: maskIdNumber(input.representative.idNumber) },
        }
      : {}),
    ...(input.phone ? { phoneSealed: await personalData.seal(input.phone), phoneMasked: maskPhone(input.phone) } : {}),
    ...(input.email ? { email: input.email.toLowerCase() } : {}),
  };
  await deps.accounts.create(account, alsoWrite(account));
  return account;
}
