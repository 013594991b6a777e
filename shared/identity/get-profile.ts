import { notFound } from '../errors.js';
import type { AccountRepository } from './account-repository.js';

export interface Profile {
  readonly accountId: string;
  readonly subjectType: string;
  readonly name: string;
  readonly level: number;
  readonly verifiedMethods: readonly string[];
  readonly roles: readonly string[];
  readonly agency?: string;
  readonly region?: string;
  readonly idType?: string;
  /** masked: 3301**********1236 */
  readonly idNumber?: string;
  readonly uscc?: string;
  /** masked: 138****5678 */
  readonly phone?: string;
  readonly email?: string;
  /** legal representative or person in charge, masked */
  readonly representative?: { readonly name: string; readonly idNumber: string };
  /** the peer platform whose token exchange created the account */
  readonly federatedFrom?: string;
  readonly createdAt: string;
}

/**
 * The caller's own profile with personal data masked.
 * 1. load the account; a deregistered one is gone (404);
 * 2. return only masked copies of ID number, USCC and phone (the clear values are never read here).
 */
export async function getProfile(deps: { accounts: AccountRepository }, input: { accountId: string }): Promise<Profile> {
  const account = await deps.accounts.get(input.accountId);
  if (!account) throw notFound('No such account', 'account_not_found');
  return {
    accountId: account.accountId,
    subjectType: account.subjectType,
    name: account.name,
    level: account.level,
    verifiedMethods: account.verifiedMethods,
    roles: account.roles,
    createdAt: account.createdAt,
    ...(account.agency ? { agency: account.agency } : {}),
    ...(account.region ? { region: account.region } : {}),
    ...(account.idType ? { idType: account.idType } : {}),
    ...(account.idNumberMasked ? { idNumber: account.idNumberMasked } : {}),
    ...(account.usccMasked ? { uscc: account.usccMasked } : {}),
    ...(account.phoneMasked ? { phone: account.phoneMasked } : {}),
    ...(account.email ? { email: account.email } : {}),
    ...(account.representativeMasked ? { representative: account.representativeMasked } : {}),
    ...(account.federatedFrom ? { federatedFrom: account.federatedFrom } : {}),
  };
}
