import * as z from 'zod/mini';
import { ulid } from 'ulid';
import type { PeerPlatform } from '../auth/peer-platforms.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { Session } from './session-repository.js';

/** the event a logout token carries (OIDC Back-Channel Logout 1.0) */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * A back-channel logout to deliver to a peer platform, as queued on `backchannel-logout`:
 * the subject (and, for one session, its id) as that peer knows them. The logout-notifier signs
 * the OIDC logout token when it delivers, so retries carry fresh tokens.
 */
export const logoutNotice = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(100)),
  peerId: z.string().check(z.minLength(1), z.maxLength(63)),
  subject: z.string().check(z.minLength(1), z.maxLength(255)),
  sessionId: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
});

export type LogoutNotice = z.infer<typeof logoutNotice>;

/**
 * The peers to tell that sessions ended, one notice per peer and subject:
 * - peers our tokens were exchanged for know the subject by our account id and session id;
 * - the peer a session was federated from knows it by its own subject and session id.
 * `scope` "all" (log out everywhere) names only the subject, "session" also the session.
 * Peers without a back-channel logout URI are not notified.
 */
export function logoutNoticesFor(sessions: readonly Session[], peers: readonly PeerPlatform[], scope: 'session' | 'all', at: Date): LogoutNotice[] {
  const reachable = new Set(peers.filter((peer) => peer.backchannelLogoutUri).map((peer) => peer.id));
  const notices = new Map<string, LogoutNotice>();
  const add = (peerId: string, subject: string, sessionId: string | undefined) => {
    if (!reachable.has(peerId)) return;
    const key = scope === 'all' ? `${peerId}\n${subject}` : `${peerId}\n${subject}\n${sessionId ?? ''}`;
    if (notices.has(key)) return;
    notices.set(key, { id: `logout-${ulid(at.getTime())}`, peerId, subject, ...(scope === 'session' && sessionId ? { sessionId } : {}) });
  };
  for (const session of sessions) {
    for (const peerId of session.peers ?? []) add(peerId, session.accountId, session.sessionId);
    if (session.federation) add(session.federation.peerId, session.federation.peerSub, session.federation.peerSid);
  }
  return [...notices.values()];
}

export async function queueLogoutNotices(queues: QueuePublisher, notices: readonly LogoutNotice[]): Promise<void> {
  if (notices.length > 0) await queues.send('backchannel-logout', notices.map((body) => ({ body })));
}
