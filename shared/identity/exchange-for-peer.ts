import { malformed } from '../errors.js';
import { issueAccessToken, subjectOf, type IssuedAccessToken } from './access-tokens.js';
import type { AccountHolder } from './account-holder.js';
import type { IdentityServices } from './identity-services.js';
import { invalidGrant } from './refresh-session.js';

/** Tokens for a peer only travel to its token exchange, so they live briefly. */
export const PEER_TOKEN_TTL_SECONDS = 5 * 60;

/**
 * Trust transfer out (GB/T 39047 6.3.2 b): our access token becomes a token a peer platform
 * accepts in its own token exchange, the same way we accept the peer's.
 * 1. the audience asked for must be a configured peer's (400 invalid_target otherwise);
 * 2. the token names the person by ID number (with document type) or the organisation by
 *    USCC, with the name, level and amr of our session, signed by our token key (aud = peer);
 * 3. the session remembers the peer, so logging out here notifies it (back-channel logout);
 * 4. the exchange is audited.
 */
export async function exchangeForPeer(
  deps: Pick<IdentityServices, 'peerPlatforms' | 'accounts' | 'sessions' | 'personalData' | 'audit' | 'vault' | 'tokenKeys' | 'clock' | 'settings'>,
  input: { caller: AccountHolder; audience: string; sourceIp: string },
): Promise<IssuedAccessToken> {
  const peer = deps.peerPlatforms.find((p) => p.audience === input.audience);
  if (!peer) throw malformed('No trusted peer platform has this audience', 'invalid_target');
  const account = await deps.accounts.get(input.caller.sub);
  if (!account) throw invalidGrant('The account of the subject token no longer exists');

  const identity = account.usccSealed
    ? { uscc: await deps.personalData.open(account.usccSealed) }
    : account.idNumberSealed
      ? { idType: account.idType ?? 'resident-id', idNumber: await deps.personalData.open(account.idNumberSealed) }
      : {};
  const token = await issueAccessToken(deps, {
    subject: subjectOf(account, input.caller.level),
    sessionId: input.caller.sessionId,
    amr: input.caller.amr,
    audience: peer.audience,
    ttlSeconds: PEER_TOKEN_TTL_SECONDS,
    tokenUse: 'federation',
    extraClaims: { name: account.name, ...identity },
  });
  await deps.sessions.addPeer(input.caller.sessionId, peer.id);
  await deps.audit.append(
    { accountId: account.accountId },
    {
      action: 'token-exchanged',
      actor: account.accountId,
      at: deps.clock.now().toISOString(),
      sourceIp: input.sourceIp,
      outcome: 'success',
      details: { direction: 'to-peer', peer: peer.id, level: input.caller.level, sessionId: input.caller.sessionId },
    },
  );
  return token;
}
