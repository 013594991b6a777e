import type { Clock } from '../ports/clock.js';
import type { MessageSender } from '../ports/message-sender.js';
import type { DeliveryRepository } from './delivery-repository.js';
import type { NotificationMessage } from './notification.js';

/**
 * Delivers one queued notification at most once per id, as far as the provider allows.
 * 1. skip it when this id was delivered before (a redelivery or a duplicate send);
 * 2. hand it to the message port (SMS gateway, email; the local outbox);
 * 3. remember the delivery; a failure before this point lets the queue retry it.
 */
export async function deliverNotification(
  deps: { deliveries: DeliveryRepository; messages: MessageSender; clock: Clock },
  message: NotificationMessage,
): Promise<'delivered' | 'duplicate'> {
  if (await deps.deliveries.wasDelivered(message.id)) return 'duplicate';
  const { providerMessageId } = await deps.messages.send(message);
  await deps.deliveries.recordDelivered(message.id, providerMessageId, deps.clock.now());
  return 'delivered';
}
