import { InvalidTokenError } from '../auth/token-verifier.js';
import { malformed } from '../errors.js';
import type { IdentityServices } from './identity-services.js';
import { BACKCHANNEL_LOGOUT_EVENT } from './logout-notices.js';
import { isLive, type Session } from './session-repository.js';

const invalidLogoutToken = (why: string) => malformed(`The logout token is not valid (${why})`, 'invalid_logout_token');

/**
 * OIDC back-channel logout from a peer platform (GB/T 39047 6.3.2 c).
 * 1. verify the logout token with the peer's keys (issuer, audience = us, exp) and its OIDC
 *    shape: the back-channel logout event, sub and/or sid, a jti, no nonce (400 otherwise);
 * 2. use its jti once (a replayed token is refused);
 * 3. end the sessions federated from that peer for its session id, or else for its subject,
 *    with the delegated sessions opened from them, and audit it per account;
 * 4. unknown sessions are not an error: logout is idempotent.
 */
export async function receiveBackchannelLogout(
  deps: Pick<IdentityServices, 'peerTokens' | 'replays' | 'sessions' | 'audit' | 'clock'>,
  input: { logoutToken: string; sourceIp: string },
): Promise<{ sessionsEnded: number }> {
  const { peer, claims } = await deps.peerTokens.verify(input.logoutToken).catch((error: unknown) => {
    if (error instanceof InvalidTokenError) throw invalidLogoutToken(error.reason);
    throw error;
  });
  const { sub, sid, jti, exp, events, nonce } = claims as Record<string, unknown>;
  if (typeof events !== 'object' || events === null || !(BACKCHANNEL_LOGOUT_EVENT in events)) throw invalidLogoutToken('no back-channel logout event');
  if (nonce !== undefined) throw invalidLogoutToken('a logout token carries no nonce');
  if (typeof sub !== 'string' && typeof sid !== 'string') throw invalidLogoutToken('neither sub nor sid');
  if (typeof jti !== 'string') throw invalidLogoutToken('no jti');
  if (!(await deps.replays.firstUse(`logout:${peer.id}`, jti, exp as number))) throw invalidLogoutToken('already used');

  const now = deps.clock.now();
  const ids = await deps.sessions.findFederated(peer.id, typeof sid === 'string' ? { peerSid: sid } : { peerSub: sub as string });
  const sessions = (await Promise.all(ids.map((id) => deps.sessions.get(id)))).filter((s): s is Session => isLive(s, now));
  const matching = sessions.filter((s) => typeof sub !== 'string' || s.federation?.peerSub === sub);
  const ended = matching.flatMap((s) => [s.sessionId, ...(s.childSessionIds ?? [])]);
  await deps.sessions.revoke(ended, now, `backchannel-logout:${peer.id}`);
  for (const accountId of new Set(matching.map((s) => s.accountId))) {
    await deps.audit.append(
      { accountId },
      { action: 'backchannel-logout', actor: `peer:${peer.id}`, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { sessions: matching.filter((s) => s.accountId === accountId).map((s) => s.sessionId) } },
    );
  }
  return { sessionsEnded: ended.length };
}
