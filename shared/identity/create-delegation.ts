import { ulid } from 'ulid';
import { maskIdNumber, maskMiddle } from '../codes/masking.js';
import { forbidden, invalidField, notFound } from '../errors.js';
import type { AccountHolder } from './account-holder.js';
import { delegationView, type DelegationView } from './delegations.js';
import type { IdentityServices } from './identity-services.js';

/** a delegation lasts at most a year; a new one can follow */
export const MAX_DELEGATION_DAYS = 366;

export type DelegateRef = { readonly delegateIdNumber: string } | { readonly delegateUscc: string };
export type DelegatedItems = { readonly itemCodes: readonly string[] } | { readonly scope: readonly string[] };

/**
 * Offers a delegation (GB/T 39047 6.1.10 k): the caller lets the holder of an ID number or USCC
 * act for them on some items, or within some scopes, until a date.
 * 1. only people and organisations delegate, never with a delegated token;
 * 2. the delegate is named by the keyed hash of the number (whether or not it is registered:
 *    the answer reveals nothing), and is never the caller;
 * 3. validUntil lies in the future and at most a year ahead;
 * 4. the offer and its audit event are written together; the delegate must accept it.
 */
export async function createDelegation(
  deps: Pick<IdentityServices, 'accounts' | 'delegations' | 'personalData' | 'audit' | 'clock'>,
  input: { caller: AccountHolder; validUntil: string; sourceIp: string } & DelegateRef & DelegatedItems,
): Promise<DelegationView> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(input.caller.sub);
  if (!account) throw notFound('No such account', 'account_not_found');
  if (!['natural', 'legal', 'organization'].includes(account.subjectType)) throw forbidden('Only people and organisations delegate');

  const validUntil = new Date(input.validUntil);
  if (validUntil <= now) throw invalidField('validUntil', 'must lie in the future');
  if (validUntil.getTime() - now.getTime() > MAX_DELEGATION_DAYS * 24 * 3600 * 1000) throw invalidField('validUntil', `must lie at most ${MAX_DELEGATION_DAYS} days ahead`);

  const [field, kind, value] = 'delegateUscc' in input ? (['delegateUscc', 'uscc', input.delegateUscc] as const) : (['delegateIdNumber', 'resident-id', input.delegateIdNumber] as const);
  const hash = await deps.personalData.lookupHash(kind, value);
  if (account.claims.some((c) => c.kind === kind && c.hash === hash)) throw invalidField(field, 'must not be your own');

  const delegationId = ulid(now.getTime());
  const delegation = {
    delegationId,
    principalAccountId: account.accountId,
    principalName: account.name,
    principalSubjectType: account.subjectType,
    delegate: { kind, hash, masked: kind === 'uscc' ? maskMiddle(value, 4, 4) : maskIdNumber(value) },
    itemCodes: 'itemCodes' in input ? input.itemCodes : [],
    scope: 'scope' in input ? input.scope : [],
    validUntil: validUntil.toISOString(),
    state: 'offered' as const,
    createdAt: now.toISOString(),
    sessionIds: [],
    version: 1,
  };
  await deps.delegations.create(delegation, [
    deps.audit.entry(
      { accountId: account.accountId },
      { action: 'delegation-created', actor: account.accountId, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { delegationId, validUntil: delegation.validUntil } },
    ),
  ]);
  return delegationView(delegation, 'principal', now);
}
