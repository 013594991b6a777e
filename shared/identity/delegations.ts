import type { Delegation } from './delegation-repository.js';
import type { Account } from './account-repository.js';

/** What a delegation can cover besides named items: kinds of action across every item. */
export const DELEGATION_SCOPES = ['cases:submit', 'cases:read', 'certificates:read', 'interactions:submit', 'seals:use'] as const;

/** A delegation as its principal or delegate sees it: the delegate's number masked. */
export interface DelegationView {
  readonly delegationId: string;
  /** "expired" once validUntil has passed without a revocation */
  readonly state: 'offered' | 'accepted' | 'revoked' | 'expired';
  /** whether the caller is the principal or the delegate */
  readonly role: 'principal' | 'delegate';
  readonly principal: { readonly name: string; readonly subjectType: string };
  readonly delegate: { readonly idNumber?: string; readonly uscc?: string };
  readonly itemCodes?: readonly string[];
  readonly scope?: readonly string[];
  readonly validUntil: string;
  readonly createdAt: string;
  readonly acceptedAt?: string;
  readonly revokedAt?: string;
}

export function delegationView(delegation: Delegation, role: DelegationView['role'], now: Date): DelegationView {
  const expired = delegation.state !== 'revoked' && new Date(delegation.validUntil) <= now;
  return {
    delegationId: delegation.delegationId,
    state: expired ? 'expired' : delegation.state,
    role,
    principal: { name: delegation.principalName, subjectType: delegation.principalSubjectType },
    delegate: delegation.delegate.kind === 'uscc' ? { uscc: delegation.delegate.masked } : { idNumber: delegation.delegate.masked },
    ...(delegation.itemCodes.length ? { itemCodes: delegation.itemCodes } : {}),
    ...(delegation.scope.length ? { scope: delegation.scope } : {}),
    validUntil: delegation.validUntil,
    createdAt: delegation.createdAt,
    ...(delegation.acceptedAt ? { acceptedAt: delegation.acceptedAt } : {}),
    ...(delegation.revokedAt ? { revokedAt: delegation.revokedAt } : {}),
  };
}

/** the caller's part in a delegation, if any: its principal, or the holder of the delegated ID number or USCC */
export function roleIn(delegation: Delegation, account: Account): DelegationView['role'] | undefined {
  if (delegation.principalAccountId === account.accountId) return 'principal';
  if (delegation.delegateAccountId === account.accountId) return 'delegate';
  return account.claims.some((c) => c.kind === delegation.delegate.kind && c.hash === delegation.delegate.hash) ? 'delegate' : undefined;
}
