import { AppError, forbidden, unauthenticated } from '../errors.js';
import { MAX_TRANSACTION_ITEMS } from '../tables/transactions.js';
import type { AccountHolder } from './account-holder.js';
import type { IdentityServices } from './identity-services.js';
import { logoutNoticesFor, queueLogoutNotices } from './logout-notices.js';
import { isLive } from './session-repository.js';

/** Deregistration needs a login (not a refresh) at most this long ago. */
export const FRESH_LOGIN_SECONDS = 5 * 60;

/**
 * Deregisters the caller's account (GB/T 39047 6.1.10 h).
 * 1. the caller must have logged in within the last 5 minutes (401 fresh_login_required), and
 *    be a person or organisation (staff and platform accounts are closed by an administrator);
 * 2. in one transaction: the account becomes a tombstone without personal data (name, sealed ID
 *    number, USCC, representative, phone, email, password hash are gone), its unique claims are
 *    deleted so the phone, ID number and USCC can register again, every session ends, and the
 *    audit event (which holds no personal data) is appended; the audit trail stays;
 * 3. peer platforms where the user had sessions get back-channel logouts.
 */
export async function deregisterAccount(
  deps: Pick<IdentityServices, 'accounts' | 'sessions' | 'audit' | 'queues' | 'peerPlatforms' | 'clock'>,
  input: { caller: AccountHolder; sourceIp: string },
): Promise<{ accountId: string; deregisteredAt: string }> {
  const now = deps.clock.now();
  const current = await deps.sessions.get(input.caller.sessionId);
  if (!isLive(current, now) || now.getTime() - new Date(current.authTime).getTime() > FRESH_LOGIN_SECONDS * 1000) {
    throw unauthenticated('Log in again (within the last 5 minutes) to deregister', 'fresh_login_required');
  }
  const account = await deps.accounts.get(input.caller.sub);
  if (!account) throw new AppError('not_found', 'account_not_found', 'No such account');
  if (!['natural', 'legal', 'organization'].includes(account.subjectType)) {
    throw forbidden('Staff and platform accounts are closed by an administrator, not deregistered by themselves');
  }

  const sessions = await deps.sessions.listActive(account.accountId, now);
  const sessionIds = [...new Set(sessions.flatMap((s) => [s.sessionId, ...(s.childSessionIds ?? [])]))];
  // the tombstone, the claims and the audit event share the transaction; sessions beyond what fits end just before
  const room = MAX_TRANSACTION_ITEMS - 2 - account.claims.length;
  await deps.sessions.revoke(sessionIds.slice(room), now, 'deregistered');
  const tombstone = await deps.accounts.deregister(account, now, [
    ...sessionIds.slice(0, room).map((id) => deps.sessions.revocation(id, now, 'deregistered')),
    deps.audit.entry(
      { accountId: account.accountId },
      { action: 'deregistered', actor: account.accountId, at: now.toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { sessionsEnded: sessionIds.length, subjectType: account.subjectType } },
    ),
  ]);
  await queueLogoutNotices(deps.queues, logoutNoticesFor(sessions, deps.peerPlatforms, 'all', now));
  return { accountId: tombstone.accountId, deregisteredAt: tombstone.deregisteredAt };
}
