import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { ttlFromNow } from '../tables/expiry.js';

/** Delivered notifications are remembered this long, longer than any queue retention, to drop duplicates. */
const DELIVERY_MEMORY_SECONDS = 14 * 24 * 3600;

const deliveryKey = (id: string) => ({ pk: `DELIVERY#${id}`, sk: 'DELIVERY' });

/** Which notifications were delivered (platform table). */
export function deliveryRepository(tables: Tables) {
  const TableName = tables.name('platform');
  return {
    async wasDelivered(id: string): Promise<boolean> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: deliveryKey(id), ConsistentRead: true }));
      return Item !== undefined;
    },
    /** records a delivery; false when it was already recorded (a concurrent duplicate) */
    async recordDelivered(id: string, providerMessageId: string, now: Date): Promise<boolean> {
      try {
        await tables.client.send(
          new PutCommand({
            TableName,
            Item: { ...deliveryKey(id), type: 'delivery', providerMessageId, deliveredAt: now.toISOString(), expiresAt: ttlFromNow(now, DELIVERY_MEMORY_SECONDS) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
}

export type DeliveryRepository = ReturnType<typeof deliveryRepository>;
