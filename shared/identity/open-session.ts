import { ulid } from 'ulid';
import type { RealNameLevel } from '../auth/principal.js';
import { ttlFromNow } from '../tables/expiry.js';
import type { Account } from './account-repository.js';
import { issueAccessToken, subjectOf, type IssuedAccessToken, type TokenSigning } from './access-tokens.js';
import { newRefreshToken } from './refresh-tokens.js';
import type { Session, SessionRepository } from './session-repository.js';

/** How long a login session lives (refresh tokens cannot outlive it). */
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface OpenedSession extends IssuedAccessToken {
  readonly refreshToken: string;
  /** seconds the refresh token stays usable: the rest of the session's life */
  readonly refreshExpiresIn: number;
  readonly sessionId: string;
}

/**
 * Opens a login session and issues its first tokens.
 * 1. a new session id, the authentication time and the methods used (amr);
 * 2. a refresh token, stored as its hash on the session;
 * 3. an access token for the session, at the account's level or the level the session fixes
 *    (federated sessions carry the level the peer asserted, capped by our trust in it).
 */
export async function openSession(
  deps: TokenSigning & { sessions: SessionRepository },
  input: { account: Account; amr: readonly string[]; sourceIp: string; level?: RealNameLevel; federation?: Session['federation'] },
): Promise<OpenedSession> {
  const now = deps.clock.now();
  const sessionId = ulid(now.getTime());
  const refresh = newRefreshToken(sessionId);
  await deps.sessions.create({
    sessionId,
    accountId: input.account.accountId,
    amr: input.amr,
    createdAt: now.toISOString(),
    authTime: now.toISOString(),
    sourceIp: input.sourceIp,
    expiresAt: ttlFromNow(now, SESSION_TTL_SECONDS),
    refreshHash: refresh.hash,
    ...(input.level ? { level: input.level } : {}),
    ...(input.federation ? { federation: input.federation } : {}),
  });
  const tokens = await issueAccessToken(deps, { subject: subjectOf(input.account, input.level), sessionId, amr: input.amr, authTime: now });
  return { ...tokens, refreshToken: refresh.token, refreshExpiresIn: SESSION_TTL_SECONDS, sessionId };
}
