import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

export interface WindowLimit {
  /** events allowed per window */
  readonly max: number;
  readonly windowSeconds: number;
}

const counterKey = (key: string) => ({ pk: `COUNTER#${key}`, sk: 'COUNTER' });
const lockKey = (key: string) => ({ pk: `LOCK#${key}`, sk: 'LOCK' });
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * Rate limits and lockouts as conditional counters in the identity table (they hold across every
 * Lambda instance). A window opens with the first event and lasts `windowSeconds`; the TTL
 * removes it afterwards, and reads ignore expired windows and locks on their own.
 */
export function attemptCounters(tables: Tables) {
  const TableName = tables.name('identity');

  const increment = async (key: string, limit: WindowLimit, now: number): Promise<number | undefined> => {
    const update = tables.client.send(
      new UpdateCommand({
        TableName,
        Key: counterKey(key),
        UpdateExpression: 'SET eventCount = eventCount + :one',
        ConditionExpression: 'attribute_exists(pk) AND windowEndsAt > :now AND eventCount < :max',
        ExpressionAttributeValues: { ':one': 1, ':now': now, ':max': limit.max },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return (await writtenIfCondition(update)) ? ((await update).Attributes?.eventCount as number) : undefined;
  };

  const openWindow = async (key: string, limit: WindowLimit, now: number): Promise<boolean> => {
    const windowEndsAt = now + limit.windowSeconds;
    return writtenIfCondition(
      tables.client.send(
        new PutCommand({
          TableName,
          Item: { ...counterKey(key), type: 'counter', eventCount: 1, windowEndsAt, expiresAt: windowEndsAt },
          ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt <= :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      ),
    );
  };

  return {
    /**
     * Counts one event against a limit: `allowed` with the count in the window, or not allowed
     * (nothing counted) when the window already holds `max` events.
     */
    async hit(key: string, limit: WindowLimit, at: Date): Promise<{ allowed: boolean; count: number }> {
      const now = epochSeconds(at);
      // a concurrent request may open or fill the window between the two writes: try again
      for (let attempt = 0; attempt < 3; attempt++) {
        const count = await increment(key, limit, now);
        if (count !== undefined) return { allowed: true, count };
        if (await openWindow(key, limit, now)) return { allowed: true, count: 1 };
        const { Item } = await tables.client.send(new GetCommand({ TableName, Key: counterKey(key), ConsistentRead: true }));
        if (Item && (Item.windowEndsAt as number) > now && (Item.eventCount as number) >= limit.max) return { allowed: false, count: Item.eventCount as number };
      }
      return { allowed: false, count: limit.max };
    },

    async reset(key: string): Promise<void> {
      await tables.client.send(new DeleteCommand({ TableName, Key: counterKey(key) }));
    },

    async lock(key: string, until: Date): Promise<void> {
      const lockedUntil = epochSeconds(until);
      await tables.client.send(new PutCommand({ TableName, Item: { ...lockKey(key), type: 'lock', lockedUntil, expiresAt: lockedUntil } }));
    },

    /** the end of a lock still in force, if any */
    async lockedUntil(key: string, at: Date): Promise<Date | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: lockKey(key), ConsistentRead: true }));
      const until = Item?.lockedUntil as number | undefined;
      return until !== undefined && until > epochSeconds(at) ? new Date(until * 1000) : undefined;
    },
  };
}

export type AttemptCounters = ReturnType<typeof attemptCounters>;
