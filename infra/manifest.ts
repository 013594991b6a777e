/**
 * THE table of the platform: every function, its routes, queues, schedules and grants,
 * and the stores they use. Three readers: the CDK stack (infra/stacks), the local runtime
 * (infra/local) and the OpenAPI document (shared/http/openapi.ts). Nothing else lists routes.
 *
 * This module is data only and imports nothing, so every reader (including Lambda bundles
 * that need a route's auth requirement) can load it cheaply.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route. Checked by the HTTP stack before the use case runs. */
export type RouteAuth =
  | { readonly require: 'anonymous' }
  /** any signed-in subject (natural, legal, organization, staff), optionally at a minimum real-name level */
  | { readonly require: 'user'; readonly minLevel?: 1 | 2 | 3 | 4 | 5 }
  /** staff of an agency; the use case checks that the agency is the responsible one */
  | { readonly require: 'staff' }
  | { readonly require: 'admin' }
  | { readonly require: 'seal-authority' }
  /** a registered peer platform (client-credentials token) */
  | { readonly require: 'platform' };

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. /v1/items/{code} */
  readonly path: string;
  /** unique across the manifest; also the key of the route's implementation and schemas */
  readonly operationId: string;
  readonly summary: string;
  readonly auth: RouteAuth;
  /** request body limit in bytes; 1 MiB unless the route needs more */
  readonly maxBodyBytes?: number;
  /** non-JSON request bodies this route accepts besides application/json */
  readonly accepts?: readonly string[];
  /** the route honours an Idempotency-Key header (required: refuses requests without one) */
  readonly idempotency?: 'required' | 'optional';
}

export type TableName = keyof typeof tables;
export type QueueName = keyof typeof queues;
export type KeyName = keyof typeof keys;

export interface QueueSubscription {
  readonly queue: QueueName;
  readonly batchSize: number;
  /** seconds the event source waits to fill a batch */
  readonly maxBatchingWindowSeconds?: number;
}

export interface ScheduleSpec {
  readonly name: string;
  /** rate in minutes; the local scheduler and EventBridge both use it */
  readonly everyMinutes: number;
}

export interface Grants {
  readonly tables?: Partial<Record<TableName, 'read' | 'readwrite'>>;
  readonly sendTo?: readonly QueueName[];
  readonly keys?: Partial<Record<KeyName, readonly ('sign' | 'verify' | 'encrypt' | 'decrypt' | 'mac' | 'manage')[]>>;
  readonly blobs?: 'read' | 'readwrite';
  readonly search?: 'read' | 'readwrite';
  /** may send SMS and email to people (SNS SMS, SES) */
  readonly messages?: boolean;
}

export interface FunctionSpec {
  /** folder under functions/; handler.ts there is the Lambda entry, app.ts the handler factory */
  readonly name: string;
  readonly description: string;
  readonly routes?: readonly RouteSpec[];
  readonly subscriptions?: readonly QueueSubscription[];
  readonly schedules?: readonly ScheduleSpec[];
  readonly grants: Grants;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}

export interface TableSpec {
  readonly description: string;
  /** global secondary indexes beyond pk/sk; each has string keys <name>pk / <name>sk */
  readonly indexes: readonly string[];
  /** attribute holding epoch seconds after which the item is expired */
  readonly ttlAttribute: string;
}

export interface QueueSpec {
  readonly description: string;
  readonly visibilityTimeoutSeconds: number;
  /** deliveries before a message is moved to the queue's dead-letter queue */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
}

export interface KeySpec {
  readonly description: string;
  readonly usage: 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC';
  /** key spec of the KMS key */
  readonly spec: 'ECC_NIST_P256' | 'SYMMETRIC_DEFAULT' | 'HMAC_256';
}

const ONE_MIB = 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = ONE_MIB;
/** the HTTP API payload ceiling; the local gateway enforces the same */
export const GATEWAY_MAX_BODY_BYTES = 10 * ONE_MIB;

const anonymous = { require: 'anonymous' } as const;
const user = { require: 'user' } as const;

export const tables = {
  platform: {
    description: 'upload records, idempotency records and the audit trail of platform-level operations',
    indexes: ['gsi1'],
    ttlAttribute: 'expiresAt',
  },
  identity: {
    description: 'accounts, unique claims (phone, ID number, USCC), sessions, SMS codes, delegations, audit',
    indexes: ['gsi1'],
    ttlAttribute: 'expiresAt',
  },
} as const satisfies Record<string, TableSpec>;

export const queues = {
  notifications: {
    description: 'messages to users (SMS, in-app) produced by every capability; consumed by notifier',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 4,
  },
} as const satisfies Record<string, QueueSpec>;

export const keys = {
  tokenSigning: {
    description: 'signs access tokens (ES256); its public key is published at /.well-known/jwks.json',
    usage: 'SIGN_VERIFY',
    spec: 'ECC_NIST_P256',
  },
  data: {
    description: 'envelope encryption of personal data (ID numbers, phone numbers)',
    usage: 'ENCRYPT_DECRYPT',
    spec: 'SYMMETRIC_DEFAULT',
  },
  lookupHash: {
    description: 'keyed hashes (HMAC-SHA-256) of ID numbers, USCCs and phone numbers, to find records without decrypting',
    usage: 'GENERATE_VERIFY_MAC',
    spec: 'HMAC_256',
  },
} as const satisfies Record<string, KeySpec>;

export const functions = [
  {
    name: 'discovery',
    description: 'health, OpenAPI document, OIDC discovery and JWKS, uploads, and the JSON 404 for unknown routes',
    routes: [
      { method: 'GET', path: '/health', operationId: 'getHealth', summary: 'Health of the platform and its stores', auth: anonymous },
      { method: 'GET', path: '/openapi.json', operationId: 'getOpenApi', summary: 'OpenAPI 3.1 document of every route', auth: anonymous },
      { method: 'GET', path: '/.well-known/openid-configuration', operationId: 'getOpenIdConfiguration', summary: 'OIDC discovery document', auth: anonymous },
      { method: 'GET', path: '/.well-known/jwks.json', operationId: 'getJwks', summary: 'Public keys that verify our access tokens', auth: anonymous },
      { method: 'POST', path: '/v1/uploads', operationId: 'createUpload', summary: 'Reserve an upload; PUT the bytes to the returned uploadUrl', auth: user, idempotency: 'optional' },
      { method: 'GET', path: '/v1/uploads/{blobId}', operationId: 'getUpload', summary: 'State of an upload of the caller', auth: user },
    ],
    grants: {
      tables: { platform: 'readwrite' },
      keys: { tokenSigning: ['verify'] },
      blobs: 'readwrite',
    },
  },
  {
    name: 'identity',
    description: 'registration, login, tokens, real-name levels, trust transfer, unified logout, delegation (GB/T 39047 6.1.2, 6.1.3, 6.3.2)',
    routes: [
      { method: 'POST', path: '/v1/identity/sessions', operationId: 'createSession', summary: 'Log in with a password', auth: anonymous },
      { method: 'GET', path: '/v1/identity/me', operationId: 'getMe', summary: 'Profile of the caller, personal data masked', auth: user },
    ],
    grants: {
      tables: { identity: 'readwrite' },
      keys: { tokenSigning: ['sign', 'verify'], data: ['encrypt', 'decrypt'], lookupHash: ['mac'] },
      sendTo: ['notifications'],
    },
  },
  {
    name: 'notifier',
    description: 'delivers queued notifications through the message port (SMS, in-app) exactly once per message',
    subscriptions: [{ queue: 'notifications', batchSize: 10, maxBatchingWindowSeconds: 1 }],
    grants: { tables: { platform: 'readwrite' }, messages: true },
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof functions)[number]['name'];

type RoutesOf<F> = F extends { readonly routes: readonly (infer R)[] } ? R : never;
/** operation ids of one function: its handler must implement exactly these */
export type OperationIdOf<N extends FunctionName> = RoutesOf<Extract<(typeof functions)[number], { name: N }>> extends {
  operationId: infer O;
}
  ? Extract<O, string>
  : never;

export const manifest = { functions, tables, queues, keys } as const;
export type Manifest = {
  readonly functions: readonly FunctionSpec[];
  readonly tables: Readonly<Record<string, TableSpec>>;
  readonly queues: Readonly<Record<string, QueueSpec>>;
  readonly keys: Readonly<Record<string, KeySpec>>;
};

/** every route of the manifest with the function that serves it */
export function allRoutes(m: Manifest = manifest): { fn: FunctionSpec; route: RouteSpec }[] {
  return m.functions.flatMap((fn) => (fn.routes ?? []).map((route) => ({ fn, route })));
}

/** API Gateway route key, e.g. "GET /v1/items/{code}" */
export function routeKey(route: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
