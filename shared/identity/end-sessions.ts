import type { Principal } from '../auth/principal.js';
import { forbidden } from '../errors.js';
import type { AccountHolder } from './account-holder.js';
import type { IdentityServices } from './identity-services.js';
import { logoutNoticesFor, queueLogoutNotices } from './logout-notices.js';
import { isLive } from './session-repository.js';

type Deps = Pick<IdentityServices, 'sessions' | 'audit' | 'queues' | 'peerPlatforms' | 'clock'>;

/**
 * Logs out of the current session (GB/T 39047 6.3.2 c).
 * 1. end the session of the caller's token and the delegated sessions opened from it;
 * 2. queue a back-channel logout for each peer platform this session reached;
 * 3. audit it. The session's access tokens are refused everywhere within 5 seconds.
 */
export async function endCurrentSession(deps: Deps, input: { caller: Principal; sourceIp: string }): Promise<{ sessionsEnded: number }> {
  if (!input.caller.sessionId) throw forbidden('This token has no session to end', 'session_required');
  const now = deps.clock.now();
  const session = await deps.sessions.get(input.caller.sessionId);
  if (!isLive(session, now)) return { sessionsEnded: 0 };
  const ended = [session.sessionId, ...(session.childSessionIds ?? [])];
  await deps.sessions.revoke(ended, now, 'logout');
  await queueLogoutNotices(deps.queues, logoutNoticesFor([session], deps.peerPlatforms, 'session', now));
  await deps.audit.append(
    { accountId: session.accountId },
    { action: 'session-ended', actor: input.caller.actor?.sub ?? input.caller.sub, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { sessionId: session.sessionId } },
  );
  return { sessionsEnded: ended.length };
}

/**
 * Unified logout (GB/T 39047 6.3.2 c): ends every session of the caller.
 * 1. end every live session of the account and the delegated sessions opened from them;
 * 2. queue one back-channel logout per peer platform where the user has a session (tokens
 *    exchanged for it, or sessions federated from it); the queue retries and dead-letters;
 * 3. audit it.
 */
export async function logoutEverywhere(deps: Deps, input: { caller: AccountHolder; sourceIp: string }): Promise<{ sessionsEnded: number; peersNotified: string[] }> {
  const now = deps.clock.now();
  const sessions = await deps.sessions.listActive(input.caller.sub, now);
  const ended = [...new Set(sessions.flatMap((s) => [s.sessionId, ...(s.childSessionIds ?? [])]))];
  await deps.sessions.revoke(ended, now, 'logout-all');
  const notices = logoutNoticesFor(sessions, deps.peerPlatforms, 'all', now);
  await queueLogoutNotices(deps.queues, notices);
  const peersNotified = [...new Set(notices.map((n) => n.peerId))].sort();
  await deps.audit.append(
    { accountId: input.caller.sub },
    { action: 'sessions-ended-everywhere', actor: input.caller.sub, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { sessions: ended.length, peers: peersNotified } },
  );
  return { sessionsEnded: ended.length, peersNotified };
}
