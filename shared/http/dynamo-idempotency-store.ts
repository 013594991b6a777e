import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, conflict } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Tables } from '../ports/tables.js';
import { writtenIfCondition } from '../tables/conditional-write.js';
import { isExpired, ttlFromNow } from '../tables/expiry.js';
import type { IdempotencyStore, IdempotentOutcome } from './idempotency.js';

/** a key is remembered this long (clients retry within hours, not days) */
const RECORD_TTL_SECONDS = 24 * 3600;
/** an in-progress claim older than this is taken to belong to a crashed invocation */
const STALE_CLAIM_MS = 60_000;

const recordKey = (scope: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' });

/**
 * Idempotency records in the platform table. A claim is a conditional put; a second request with
 * the same key sees the first one's state: finished → the stored response again; still running →
 * 409; a different request body under the same key → 422.
 */
export function dynamoIdempotencyStore(deps: { tables: Tables; clock: Clock }): IdempotencyStore {
  const TableName = deps.tables.name('platform');
  const client = deps.tables.client;
  return {
    async claim(scope, fingerprint) {
      const now = deps.clock.now();
      const claimed = await writtenIfCondition(
        client.send(
          new PutCommand({
            TableName,
            Item: { ...recordKey(scope), type: 'idempotency', state: 'in-progress', fingerprint, claimedAt: now.getTime(), expiresAt: ttlFromNow(now, RECORD_TTL_SECONDS) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
            ExpressionAttributeValues: { ':nowSeconds': Math.floor(now.getTime() / 1000) },
          }),
        ),
      );
      if (claimed) return { state: 'new' };
      const { Item } = await client.send(new GetCommand({ TableName, Key: recordKey(scope), ConsistentRead: true }));
      if (!Item || isExpired(Item, 'expiresAt', now)) return this.claim(scope, fingerprint);
      if (Item.fingerprint !== fingerprint) {
        throw new AppError('invalid', 'idempotency_key_reused', 'This Idempotency-Key was used for a different request', [
          { field: 'Idempotency-Key', message: 'was already used with another request body' },
        ]);
      }
      if (Item.state === 'completed') return { state: 'replay', outcome: Item.outcome as IdempotentOutcome };
      if (now.getTime() - (Item.claimedAt as number) < STALE_CLAIM_MS) {
        throw conflict('A request with this Idempotency-Key is still being processed', 'request_in_progress');
      }
      const takenOver = await writtenIfCondition(
        client.send(
          new UpdateCommand({
            TableName,
            Key: recordKey(scope),
            UpdateExpression: 'SET claimedAt = :now',
            ConditionExpression: '#state = :inProgress AND claimedAt = :seen',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':now': now.getTime(), ':inProgress': 'in-progress', ':seen': Item.claimedAt },
          }),
        ),
      );
      if (!takenOver) throw conflict('A request with this Idempotency-Key is still being processed', 'request_in_progress');
      return { state: 'new' };
    },
    async complete(scope, outcome) {
      await client.send(
        new UpdateCommand({
          TableName,
          Key: recordKey(scope),
          UpdateExpression: 'SET #state = :completed, outcome = :outcome',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':completed': 'completed', ':outcome': outcome },
        }),
      );
    },
    async release(scope) {
      await writtenIfCondition(
        client.send(
          new DeleteCommand({
            TableName,
            Key: recordKey(scope),
            ConditionExpression: '#state = :inProgress',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':inProgress': 'in-progress' },
          }),
        ),
      );
    },
  };
}
