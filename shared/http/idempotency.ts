import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { invalidField, malformed } from '../errors.js';

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
