import { malformed } from '../errors.js';
import { issueAccessToken, subjectOf } from './access-tokens.js';
import type { IdentityServices } from './identity-services.js';
import type { OpenedSession } from './open-session.js';
import { newRefreshToken, refreshTokenHash, sessionIdOfRefreshToken } from './refresh-tokens.js';
import { isLive, type Session } from './session-repository.js';

export const invalidGrant = (message = 'The refresh token is not valid') => malformed(message, 'invalid_grant');

/**
 * OAuth refresh_token grant with rotation and reuse detection.
 * 1. find the live session the token names;
 * 2. a token that was already rotated out means two parties hold it (one stole it): end the
 *    whole session, audit it, and refuse (400 invalid_grant);
 * 3. swap the current token for a new one, conditional on it still being current (of two
 *    concurrent refreshes with one token, the loser is treated as reuse);
 * 4. issue a new access token with the account's current level (or the session's fixed one).
 */
export async function refreshSession(
  deps: Pick<IdentityServices, 'sessions' | 'accounts' | 'audit' | 'vault' | 'tokenKeys' | 'clock' | 'settings'>,
  input: { refreshToken: string; sourceIp: string },
): Promise<OpenedSession> {
  const now = deps.clock.now();
  const sessionId = sessionIdOfRefreshToken(input.refreshToken);
  const session = sessionId ? await deps.sessions.get(sessionId) : undefined;
  if (!sessionId || !isLive(session, now) || !session.refreshHash) throw invalidGrant();

  const presented = refreshTokenHash(input.refreshToken);
  const endForReuse = async (current: Session) => {
    await deps.sessions.revoke([current.sessionId, ...(current.childSessionIds ?? [])], now, 'refresh-token-reuse');
    await deps.audit.append(
      { accountId: current.accountId },
      { action: 'refresh-token-reused', actor: 'anonymous', at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'failure', details: { sessionId: current.sessionId } },
    );
    return invalidGrant('The refresh token was used before; the session has been ended');
  };
  if (session.rotatedRefreshHashes?.includes(presented)) throw await endForReuse(session);
  if (presented !== session.refreshHash) throw invalidGrant();

  const account = await deps.accounts.get(session.accountId);
  if (!account) throw invalidGrant();
  const next = newRefreshToken(sessionId);
  if (!(await deps.sessions.rotateRefreshToken(sessionId, presented, next.hash))) {
    const latest = await deps.sessions.get(sessionId);
    if (latest?.rotatedRefreshHashes?.includes(presented)) throw await endForReuse(latest);
    throw invalidGrant();
  }
  const tokens = await issueAccessToken(deps, {
    subject: subjectOf(account, session.level),
    sessionId,
    amr: session.amr,
    authTime: new Date(session.authTime),
  });
  return { ...tokens, refreshToken: next.token, refreshExpiresIn: Math.max(0, session.expiresAt - Math.ceil(now.getTime() / 1000)), sessionId };
}
