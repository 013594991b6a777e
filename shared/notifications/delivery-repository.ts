import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { writtenIfCondition } from '../tables/conditional-write.js';
import { ttlFromNow } from '../tables/expiry.js';

/** Delivered notifications are remembered this long, longer than any queue retention, to drop duplicates. */
const DELIVERY_MEMORY_SECONDS = 14 * 24 * 3600;
/** a claim not finished by then belongs to a crashed sender and may be taken over */
const SEND_LEASE_MS = 60_000;

const deliveryKey = (id: string) => ({ pk: `DELIVERY#${id}`, sk: 'DELIVERY' });

export type DeliveryClaim = 'claimed' | 'delivered' | 'in-progress';

/** Which notifications are being or were delivered (platform table), claimed atomically across senders. */
export function deliveryRepository(tables: Tables) {
  const TableName = tables.name('platform');
  const client = tables.client;
  return {
    /** claims the id for sending, unless it was delivered or another sender holds a live claim */
    async claim(id: string, now: Date): Promise<DeliveryClaim> {
      const claimed = await writtenIfCondition(
        client.send(
          new PutCommand({
            TableName,
            Item: { ...deliveryKey(id), type: 'delivery', state: 'sending', leaseUntil: now.getTime() + SEND_LEASE_MS, expiresAt: ttlFromNow(now, DELIVERY_MEMORY_SECONDS) },
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':sending': 'sending', ':now': now.getTime() },
          }),
        ),
      );
      if (claimed) return 'claimed';
      const { Item } = await client.send(new GetCommand({ TableName, Key: deliveryKey(id), ConsistentRead: true }));
      return Item?.state === 'delivered' ? 'delivered' : 'in-progress';
    },
    async markDelivered(id: string, providerMessageId: string, now: Date): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName,
          Key: deliveryKey(id),
          UpdateExpression: 'SET #state = :delivered, providerMessageId = :provider, deliveredAt = :at REMOVE leaseUntil',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':delivered': 'delivered', ':provider': providerMessageId, ':at': now.toISOString() },
        }),
      );
    },
    /** gives a claim back after a failed send, so a retry need not wait for the lease */
    async release(id: string): Promise<void> {
      await writtenIfCondition(
        client.send(
          new DeleteCommand({
            TableName,
            Key: deliveryKey(id),
            ConditionExpression: '#state = :sending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':sending': 'sending' },
          }),
        ),
      );
    },
  };
}

export type DeliveryRepository = ReturnType<typeof deliveryRepository>;
