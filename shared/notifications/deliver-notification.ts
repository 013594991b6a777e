import { conflict } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { MessageSender } from '../ports/message-sender.js';
import type { DeliveryRepository } from './delivery-repository.js';
import type { NotificationMessage } from './notification.js';

/**
 * Delivers one queued notification at most once per id, as far as the provider allows, however
 * many copies arrive and however many consumers run at once.
 * 1. claim the id (a conditional write with a lease): a delivered id is a duplicate and is dropped;
 *    an id another sender is delivering right now fails this copy, which the queue retries later;
 * 2. hand it to the message port (SMS gateway, email; the local outbox);
 * 3. mark it delivered; if sending failed, release the claim so the queue's retry can send it.
 */
export async function deliverNotification(
  deps: { deliveries: DeliveryRepository; messages: MessageSender; clock: Clock },
  message: NotificationMessage,
): Promise<'delivered' | 'duplicate'> {
  const claim = await deps.deliveries.claim(message.id, deps.clock.now());
  if (claim === 'delivered') return 'duplicate';
  if (claim === 'in-progress') throw conflict('This notification is being delivered by another consumer', 'delivery_in_progress');
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await deps.messages.send(message));
  } catch (error) {
    await deps.deliveries.release(message.id);
    throw error;
  }
  await deps.deliveries.markDelivered(message.id, providerMessageId, deps.clock.now());
  return 'delivered';
}
