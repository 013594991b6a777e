import { deliverLogoutNotice } from '../../shared/identity/deliver-logout-notice.js';
import { logoutNotice } from '../../shared/identity/logout-notices.js';
import { createQueueHandler, messageBody, type QueueHandler } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';

/** Delivers back-channel logouts to peer platforms (unified logout, GB/T 39047 6.3.2 c). */
export type LogoutNotifierDependencies = CoreDependencies & Pick<PlatformDependencies, 'vault'>;

export function createHandler(deps: LogoutNotifierDependencies): QueueHandler {
  const delivery = { peerPlatforms: deps.config.peerPlatforms, vault: deps.vault, tokenKeys: deps.tokenKeys, clock: deps.clock, issuer: deps.config.issuer };
  return createQueueHandler(deps, async (record) => {
    const notice = messageBody(record, logoutNotice, 'logout notice');
    if ((await deliverLogoutNotice(delivery, notice)) === 'skipped') {
      deps.logger.warn('logout notice for a peer that is not configured for back-channel logout', { peerId: notice.peerId, messageId: record.messageId });
    }
  });
}
