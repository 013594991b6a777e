import { malformed } from '../../shared/errors.js';
import { deliverNotification } from '../../shared/notifications/deliver-notification.js';
import { deliveryRepository } from '../../shared/notifications/delivery-repository.js';
import { notificationMessage } from '../../shared/notifications/notification.js';
import { createQueueHandler, type QueueHandler } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';

/** Delivers the notifications queue (message service of GB/T 39047 6.3.6). */
export type NotifierDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'messages'>;

export function createHandler(deps: NotifierDependencies): QueueHandler {
  const deliveries = deliveryRepository(deps.tables);
  return createQueueHandler(deps, async (record) => {
    const parsed = notificationMessage.safeParse(parseJson(record.body));
    if (!parsed.success) throw malformed('not a notification message');
    await deliverNotification({ deliveries, messages: deps.messages, clock: deps.clock }, parsed.data);
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
