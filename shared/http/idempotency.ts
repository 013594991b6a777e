import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, conflict, invalidField, malformed } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Tables } from '../ports/tables.js';
import { isExpired, ttlFromNow } from '../tables/expiry.js';

/** A stored outcome of a request made with an Idempotency-Key. */
export interface IdempotentOutcome {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

export type IdempotencyClaim = { readonly state: 'new' } | { readonly state: 'replay'; readonly outcome: IdempotentOutcome };

export interface IdempotencyStore {
  /** claims a key for a request fingerprint, or returns the outcome stored for it */
  claim(scope: string, fingerprint: string): Promise<IdempotencyClaim>;
  complete(scope: string, outcome: IdempotentOutcome): Promise<void>;
  /** forgets an unfinished claim (the request failed), so the client may retry with the same key */
  release(scope: string): Promise<void>;
}

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
      try {
        await client.send(
          new PutCommand({
            TableName,
            Item: { ...recordKey(scope), type: 'idempotency', state: 'in-progress', fingerprint, claimedAt: now.getTime(), expiresAt: ttlFromNow(now, RECORD_TTL_SECONDS) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
            ExpressionAttributeValues: { ':nowSeconds': Math.floor(now.getTime() / 1000) },
          }),
        );
        return { state: 'new' };
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
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
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: recordKey(scope),
            UpdateExpression: 'SET claimedAt = :now',
            ConditionExpression: '#state = :inProgress AND claimedAt = :seen',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':now': now.getTime(), ':inProgress': 'in-progress', ':seen': Item.claimedAt },
          }),
        );
        return { state: 'new' };
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          throw conflict('A request with this Idempotency-Key is still being processed', 'request_in_progress');
        }
        throw error;
      }
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
      await client.send(
        new DeleteCommand({
          TableName,
          Key: recordKey(scope),
          ConditionExpression: '#state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress' },
        }),
      ).catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
    },
  };
}

const KEY_PATTERN = /^[\x21-\x7e]{8,255}$/;

/**
 * Runs a state-changing request at most once per Idempotency-Key (per caller and operation).
 * 1. read and check the key (required routes refuse a request without one);
 * 2. claim it with the request's fingerprint (hash of the body and path), or replay the stored response;
 * 3. run the request; store a success (2xx) for replay, or release the claim after a failure so
 *    the client can retry with the same key.
 */
export async function runIdempotently(
  store: IdempotencyStore | undefined,
  input: { mode: 'required' | 'optional'; key: string | undefined; scope: string; fingerprintOf: string },
  run: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (input.key === undefined) {
    if (input.mode === 'required') throw malformed('This request needs an Idempotency-Key header', 'idempotency_key_required');
    return run();
  }
  if (!KEY_PATTERN.test(input.key)) throw invalidField('Idempotency-Key', 'must be 8 to 255 visible ASCII characters');
  if (!store) throw new Error('idempotent route without an idempotency store');
  const scope = `${input.scope}#${input.key}`;
  const claim = await store.claim(scope, createHash('sha256').update(input.fingerprintOf).digest('base64url'));
  if (claim.state === 'replay') {
    const { outcome } = claim;
    return { ...outcome, headers: { ...outcome.headers, 'idempotent-replayed': 'true' } };
  }
  let result: APIGatewayProxyStructuredResultV2;
  try {
    result = await run();
  } catch (error) {
    await store.release(scope);
    throw error;
  }
  const status = result.statusCode ?? 200;
  if (status >= 200 && status < 300) {
    await store.complete(scope, {
      statusCode: status,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
      body: result.body ?? '',
      isBase64Encoded: result.isBase64Encoded === true,
    });
  } else {
    await store.release(scope);
  }
  return result;
}
