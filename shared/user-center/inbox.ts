import type { CaseEventMessage } from '../cases/case-event-message.js';
import type { CertificateIssuedMessage } from '../certificates/certificate-event-message.js';
import { notFound } from '../errors.js';
import type { AccountRepository } from '../identity/account-repository.js';
import type { Clock } from '../ports/clock.js';
import { AUTO_DESTROY_DELAYS, type InboxMessage, type PrivacySettings } from './user-center-model.js';
import type { UserCenterRepository } from './user-center-repository.js';

export interface InboxDependencies {
  readonly clock: Clock;
  readonly userCenter: UserCenterRepository;
}

/**
 * A case change becomes a message in its applicant's inbox (GB/T 39047 6.1.10 d):
 * 1. changes without an applicant account here (another platform's applicant) are nobody's;
 * 2. one message per case version: a redelivered event changes nothing.
 */
export async function deliverCaseEvent(deps: InboxDependencies, event: CaseEventMessage): Promise<boolean> {
  if (!event.recipient) return false;
  return deps.userCenter.deliver(event.recipient, {
    messageId: `case-${event.caseNo}-${event.version}`,
    source: 'case',
    title: `${event.itemName}：${event.stateLabel}`,
    body: event.comment ?? `办件 ${event.caseNo} ${event.stateLabel}`,
    ref: event.caseNo,
    createdAt: event.at,
  });
}

/**
 * An issued certificate becomes a message in its holder's inbox (GB/T 39047 6.1.10 d):
 * 1. the holder's account is the one whose ID number or USCC claim has the certificate's lookup
 *    hash; a holder without an account here gets nothing;
 * 2. one message per certificate: a redelivered event changes nothing.
 */
export async function deliverCertificateIssued(
  deps: { userCenter: UserCenterRepository; accounts: Pick<AccountRepository, 'findByClaim'> },
  event: CertificateIssuedMessage,
): Promise<boolean> {
  const holder = await deps.accounts.findByClaim({ kind: event.holderCodeType, hash: event.holderLookup });
  if (!holder) return false;
  return deps.userCenter.deliver(holder.accountId, {
    messageId: `certificate-${event.identifier}`,
    source: 'certificate',
    title: `${event.name}：已签发`,
    body: `${event.issuerName} 向您签发了电子证照「${event.name}」，可在卡包中查看`,
    ref: event.identifier,
    createdAt: event.issuedAt,
  });
}

/** a read message is destroyed once its TTL passed or the user's current delay after reading passed, whichever comes first */
function destroyed(message: InboxMessage, privacy: PrivacySettings, now: Date): boolean {
  if (message.expiresAt !== undefined && message.expiresAt * 1000 <= now.getTime()) return true;
  const delay = AUTO_DESTROY_DELAYS[privacy.autoDestroyReadMessages];
  return delay !== undefined && message.readAt !== undefined && Date.parse(message.readAt) + delay * 1000 <= now.getTime();
}

/**
 * The inbox, newest first, with the unread count:
 * 1. every message of the user, minus the destroyed ones (the read-time filter: a destroyed
 *    message is never served, even before the TTL sweep removes it);
 * 2. only unread ones when asked.
 */
export async function listMessages(deps: InboxDependencies, input: { sub: string; unread?: boolean }): Promise<{ messages: InboxMessage[]; unreadCount: number }> {
  const now = deps.clock.now();
  const privacy = await deps.userCenter.privacy(input.sub);
  const live = (await deps.userCenter.messages(input.sub)).filter((message) => !destroyed(message, privacy, now)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const unread = live.filter((message) => message.readAt === undefined);
  return { messages: (input.unread ? unread : input.unread === false ? live.filter((m) => m.readAt !== undefined) : live).map(({ expiresAt: _e, ...shown }) => shown), unreadCount: unread.length };
}

/**
 * Marks a message read:
 * 1. it must be the caller's and not destroyed (404);
 * 2. with auto-destroy on, the TTL is set to the reading plus the chosen delay.
 */
export async function readMessage(deps: InboxDependencies, input: { sub: string; messageId: string }): Promise<void> {
  const now = deps.clock.now();
  const privacy = await deps.userCenter.privacy(input.sub);
  const message = (await deps.userCenter.messages(input.sub)).find((m) => m.messageId === input.messageId);
  if (!message || destroyed(message, privacy, now)) throw notFound('No such message', 'message_not_found');
  const delay = AUTO_DESTROY_DELAYS[privacy.autoDestroyReadMessages];
  await deps.userCenter.markRead(input.sub, input.messageId, now.toISOString(), delay === undefined ? undefined : Math.ceil(now.getTime() / 1000) + delay);
}
