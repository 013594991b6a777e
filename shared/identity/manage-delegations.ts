import { conflict, notFound } from '../errors.js';
import type { AccountHolder } from './account-holder.js';
import type { Account } from './account-repository.js';
import type { Delegation } from './delegation-repository.js';
import { delegationView, roleIn, type DelegationView } from './delegations.js';
import type { IdentityServices } from './identity-services.js';

type Deps = Pick<IdentityServices, 'accounts' | 'delegations' | 'sessions' | 'audit' | 'clock'>;

const noSuchDelegation = () => notFound('No such delegation', 'delegation_not_found');

async function callerAccount(deps: Deps, caller: AccountHolder): Promise<Account> {
  const account = await deps.accounts.get(caller.sub);
  if (!account) throw notFound('No such account', 'account_not_found');
  return account;
}

/** A delegation and the caller's part in it; 404 for anyone who is neither principal nor delegate. */
async function delegationOf(deps: Deps, caller: AccountHolder, delegationId: string): Promise<{ account: Account; delegation: Delegation; role: DelegationView['role'] }> {
  const [account, delegation] = await Promise.all([callerAccount(deps, caller), deps.delegations.get(delegationId)]);
  const role = delegation ? roleIn(delegation, account) : undefined;
  if (!delegation || !role) throw noSuchDelegation();
  return { account, delegation, role };
}

/** The delegations the caller granted and those offered to the caller's ID number or USCC. */
export async function listDelegations(deps: Deps, input: { caller: AccountHolder }): Promise<{ granted: DelegationView[]; received: DelegationView[] }> {
  const now = deps.clock.now();
  const account = await callerAccount(deps, input.caller);
  const identityClaims = account.claims.filter((c) => c.kind === 'resident-id' || c.kind === 'uscc');
  const [granted, received] = await Promise.all([deps.delegations.listGranted(account.accountId), deps.delegations.listReceived(identityClaims)]);
  return { granted: granted.map((d) => delegationView(d, 'principal', now)), received: received.map((d) => delegationView(d, 'delegate', now)) };
}

export async function getDelegation(deps: Deps, input: { caller: AccountHolder; delegationId: string }): Promise<DelegationView> {
  const { delegation, role } = await delegationOf(deps, input.caller, input.delegationId);
  return delegationView(delegation, role, deps.clock.now());
}

/**
 * The delegate accepts an offered delegation.
 * 1. only the holder of the delegated ID number or USCC may (404 for anyone else);
 * 2. it must still be offered and not expired (409 otherwise);
 * 3. it becomes accepted by this account, audited for both sides in the same transaction.
 */
export async function acceptDelegation(deps: Deps, input: { caller: AccountHolder; delegationId: string; sourceIp: string }): Promise<DelegationView> {
  const now = deps.clock.now();
  const { account, delegation, role } = await delegationOf(deps, input.caller, input.delegationId);
  if (role !== 'delegate') throw noSuchDelegation();
  if (delegation.state !== 'offered' || new Date(delegation.validUntil) <= now) throw conflict('This delegation is no longer open for acceptance', 'delegation_not_offered');
  const event = { action: 'delegation-accepted' as const, actor: account.accountId, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success' as const, details: { delegationId: delegation.delegationId } };
  const accepted = await deps.delegations.update({ ...delegation, state: 'accepted', delegateAccountId: account.accountId, acceptedAt: now.toISOString() }, delegation.version, [
    deps.audit.entry({ accountId: delegation.principalAccountId }, event),
    deps.audit.entry({ accountId: account.accountId }, event),
  ]);
  return delegationView(accepted, 'delegate', now);
}

/**
 * The principal revokes a delegation, at any time.
 * 1. only the principal may (the delegate gets 404, others too);
 * 2. it becomes revoked with its audit event; revoking twice changes nothing;
 * 3. every delegated session opened under it ends, so the delegate's tokens are refused within 5 s.
 */
export async function revokeDelegation(deps: Deps, input: { caller: AccountHolder; delegationId: string; sourceIp: string }): Promise<DelegationView> {
  const now = deps.clock.now();
  const { account, delegation, role } = await delegationOf(deps, input.caller, input.delegationId);
  if (role !== 'principal') throw noSuchDelegation();
  if (delegation.state === 'revoked') return delegationView(delegation, 'principal', now);
  const revoked = await deps.delegations.update({ ...delegation, state: 'revoked', revokedAt: now.toISOString() }, delegation.version, [
    deps.audit.entry(
      { accountId: account.accountId },
      { action: 'delegation-revoked', actor: account.accountId, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { delegationId: delegation.delegationId } },
    ),
  ]);
  await deps.sessions.revoke(revoked.sessionIds, now, 'delegation-revoked');
  return delegationView(revoked, 'principal', now);
}
