import { ulid } from 'ulid';
import type { RealNameLevel } from '../auth/principal.js';
import { issueAccessToken, type IssuedAccessToken } from './access-tokens.js';
import type { AccountHolder } from './account-holder.js';
import type { IdentityServices } from './identity-services.js';
import { invalidGrant } from './refresh-session.js';
import { isLive } from './session-repository.js';

/**
 * A delegate's token exchange (GB/T 39047 6.1.10 k, RFC 8693 act claim): the delegate gets a
 * token whose subject is the principal and whose `act` is the delegate.
 * 1. the delegation must be accepted by this caller and still valid (400 invalid_grant);
 * 2. the principal's account must still exist;
 * 3. a delegated session is opened under the caller's session: it ends with that session, with
 *    the delegation's revocation, or at the delegation's end, whichever comes first;
 * 4. the token carries the principal as subject (without the principal's roles), the level of
 *    the weaker of the two, the delegation id and its item codes or scopes; the use is audited.
 */
export async function actForPrincipal(
  deps: Pick<IdentityServices, 'delegations' | 'accounts' | 'sessions' | 'audit' | 'vault' | 'tokenKeys' | 'clock' | 'settings'>,
  input: { caller: AccountHolder; delegationId: string; sourceIp: string },
): Promise<IssuedAccessToken> {
  const now = deps.clock.now();
  const delegation = await deps.delegations.get(input.delegationId);
  const validUntil = delegation ? new Date(delegation.validUntil) : now;
  if (!delegation || delegation.state !== 'accepted' || delegation.delegateAccountId !== input.caller.sub || validUntil <= now) {
    throw invalidGrant('The delegation is not in force for you');
  }
  const principal = await deps.accounts.get(delegation.principalAccountId);
  const parent = await deps.sessions.get(input.caller.sessionId);
  if (!principal || !isLive(parent, now)) throw invalidGrant('The delegation is not in force for you');

  const level = Math.min(input.caller.level, principal.level) as RealNameLevel;
  const sessionId = ulid(now.getTime());
  const expiresAt = Math.min(parent.expiresAt, Math.floor(validUntil.getTime() / 1000));
  await deps.sessions.create({
    sessionId,
    accountId: input.caller.sub,
    amr: input.caller.amr,
    createdAt: now.toISOString(),
    authTime: parent.authTime,
    sourceIp: input.sourceIp,
    expiresAt,
    level,
    delegation: { delegationId: delegation.delegationId, principalAccountId: principal.accountId },
    parentSessionId: parent.sessionId,
  });
  await deps.sessions.addChild(parent.sessionId, sessionId);
  if (!(await deps.delegations.addSession(delegation.delegationId, sessionId))) {
    await deps.sessions.revoke([sessionId], now, 'delegation-revoked');
    throw invalidGrant('The delegation is not in force for you');
  }

  const token = await issueAccessToken(deps, {
    subject: { sub: principal.accountId, subjectType: principal.subjectType, level, roles: [] },
    sessionId,
    amr: input.caller.amr,
    authTime: new Date(parent.authTime),
    ttlSeconds: Math.max(1, Math.min(deps.settings.ttlSeconds, expiresAt - Math.floor(now.getTime() / 1000))),
    extraClaims: {
      act: { sub: input.caller.sub },
      delegation_id: delegation.delegationId,
      ...(delegation.itemCodes.length ? { item_codes: delegation.itemCodes } : {}),
      ...(delegation.scope.length ? { scope: delegation.scope.join(' ') } : {}),
    },
  });
  await deps.audit.append(
    { accountId: principal.accountId },
    { action: 'delegation-used', actor: input.caller.sub, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { delegationId: delegation.delegationId, sessionId } },
  );
  return token;
}
