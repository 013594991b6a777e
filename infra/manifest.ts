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
  /** aggregate analytics: administrators and authorised analysts (role admin or analyst) */
  | { readonly require: 'analytics' }
  | { readonly require: 'seal-authority' }
  /** a registered peer platform (client-credentials token) */
  | { readonly require: 'platform' }
  /** any verified token, people and platforms alike; the use case decides (e.g. an administrator or the source platform) */
  | { readonly require: 'signed-in' };

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
  /**
   * signing keys created at run time (one per electronic seal), which no manifest key names:
   * 'manage' creates and retires them (each new key's policy names this function's role, and the
   * roles granted 'sign' for keys it shares); 'sign' signs with the shared ones.
   */
  readonly runtimeSigningKeys?: 'manage' | 'sign';
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
  /** data files (paths from the project root) shipped beside the bundle; code opens them with `new URL('./<file name>', import.meta.url)` */
  readonly files?: readonly string[];
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
const signedIn = { require: 'signed-in' } as const;

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
  catalog: {
    description: 'basic items, implementation lists, policies and life events with every version; halls, the negative list, popularity counters',
    indexes: ['gsi1'],
    ttlAttribute: 'expiresAt',
  },
  exchange: {
    description: 'data exchange: registered platforms and grants, exchanged records, batches and arrivals, quarantine, access log',
    indexes: ['gsi1', 'gsi2'],
    ttlAttribute: 'expiresAt',
  },
  seals: {
    description: 'electronic seals with their versions, audit trail and usage log; esID claims; the seal CA record, trust anchors and the published status list',
    indexes: ['gsi1'],
    ttlAttribute: 'expiresAt',
  },
  cases: {
    description: 'cases with their timeline, materials, express and evaluation; audit trail and change events of each case; satisfaction counters, rectification tasks, supervision alerts',
    indexes: ['gsi1', 'gsi2', 'gsi3'],
    ttlAttribute: 'expiresAt',
  },
  interaction: {
    description: 'consults, complaints and suggestions with their replies and flow; the knowledge base of answered consults per item',
    indexes: ['gsi1', 'gsi2', 'gsi3'],
    ttlAttribute: 'expiresAt',
  },
  'user-center': {
    description: 'per user: preferences, privacy settings, inbox messages, favourites and footprints',
    indexes: [],
    ttlAttribute: 'expiresAt',
  },
  'access-stats': {
    description: 'access monitoring: per-day aggregates of access events by dimension, unique user keys (anonymised) and consumed batches',
    indexes: [],
    ttlAttribute: 'expiresAt',
  },
  certificates: {
    description: 'electronic certificates (GB/T 36903 metadata, sealed files), certificate types, usage grants and the usage log',
    indexes: ['gsi1'],
    ttlAttribute: 'expiresAt',
  },
  analytics: {
    description: 'service evaluation and insights: per-month aggregates of case, certificate, interaction, evaluation and access facts by region and agency (with regional totals), per-day insight cells, catalog snapshots and the last scheduled run',
    indexes: [],
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
  'backchannel-logout': {
    description: 'back-channel logouts owed to peer platforms after a unified logout; consumed by logout-notifier',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 8,
    retentionDays: 4,
  },
  'catalog-changes': {
    description: 'publications of catalog content (basic items, implementations, policies, life events); consumed by catalog-indexer',
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    retentionDays: 4,
  },
  'exchange-inbound': {
    description: 'record batches and manifests pushed by regional and departmental platforms, and exchange files to process; consumed by data-ingest',
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  /** one outbound queue per onboarded platform: the queue is the unit of SQS access, so no platform reads another's messages */
  'exchange-outbound-zj-regional': {
    description: 'to 浙江政务服务网: reconciliation results of its batches and changes of the datasets it subscribes to',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  'case-events': {
    description: 'every state change of a case (no personal data), for the in-app inbox and other subscribers',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 4,
  },
  'case-approvals': {
    description: 'approvals of cases by staff here (the case-events message), for the certificate a case may produce; consumed by certificate-issue',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 4,
  },
  'certificate-events': {
    description: 'certificates issued to holders (identifier, name, issuer, the lookup hash of the holder), for the in-app inbox; consumed by user-center',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 4,
  },
  'case-exchange-inbound': {
    description: 'cases forwarded to us and updates of exchanged cases from partner platforms (case-exchange/1 envelope); consumed by case-exchange',
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  /** one outbound queue per partner platform of the case exchange: the queue is the unit of SQS access */
  'case-outbound-zj-regional': {
    description: 'to 浙江政务服务网: the cases we forward to it and the updates of cases exchanged with it',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  'access-events': {
    description: 'access events of every API request (anonymised user key, route, item, keywords, status, latency), in batches; consumed by access-events',
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

export const discoveryFunction = {
  name: 'discovery',
  description: 'health, OIDC discovery and JWKS, uploads, and the JSON 404 for unknown routes',
  routes: [
    { method: 'GET', path: '/health', operationId: 'getHealth', summary: 'Health of the platform and its stores', auth: anonymous },
    { method: 'GET', path: '/.well-known/openid-configuration', operationId: 'getOpenIdConfiguration', summary: 'OIDC discovery document', auth: anonymous },
    { method: 'GET', path: '/.well-known/jwks.json', operationId: 'getJwks', summary: 'Public keys that verify our access tokens', auth: anonymous },
    { method: 'POST', path: '/v1/uploads', operationId: 'createUpload', summary: 'Reserve an upload; PUT the bytes to the returned uploadUrl', auth: signedIn, idempotency: 'optional' },
    { method: 'GET', path: '/v1/uploads/{blobId}', operationId: 'getUpload', summary: 'State of an upload of the caller', auth: signedIn },
  ],
  grants: {
    tables: { platform: 'readwrite', identity: 'read' },
    keys: { tokenSigning: ['verify'] },
    blobs: 'readwrite',
    sendTo: ['access-events'],
  },
} as const satisfies FunctionSpec;

export const apiDocsFunction = {
  name: 'api-docs',
  description: 'the OpenAPI 3.1 document of every route, built from the manifest and the schemas the handlers validate with',
  routes: [{ method: 'GET', path: '/openapi.json', operationId: 'getOpenApi', summary: 'OpenAPI 3.1 document of every route', auth: anonymous }],
  grants: { sendTo: ['access-events'] },
} as const satisfies FunctionSpec;

export const identityFunction = {
  name: 'identity',
  description: 'registration, login, tokens, real-name levels, trust transfer, unified logout, delegation (GB/T 39047 6.1.2, 6.1.3, 6.3.2)',
  routes: [
    { method: 'POST', path: '/v1/identity/registrations', operationId: 'register', summary: 'Register a natural person, legal person or organisation (level 1, or 2 with an SMS code)', auth: anonymous },
    { method: 'POST', path: '/v1/identity/sms-codes', operationId: 'sendSmsCode', summary: 'Send a one-time SMS code for registration, login or a level upgrade', auth: anonymous },
    { method: 'POST', path: '/v1/identity/sessions', operationId: 'createSession', summary: 'Log in with a password or an SMS code', auth: anonymous },
    {
      method: 'POST',
      path: '/v1/identity/token',
      operationId: 'issueToken',
      summary: 'OAuth 2.0 token endpoint: refresh_token, token exchange (RFC 8693), client_credentials for platforms',
      auth: anonymous,
      accepts: ['application/x-www-form-urlencoded'],
    },
    { method: 'DELETE', path: '/v1/identity/sessions/current', operationId: 'endCurrentSession', summary: 'Log out of this session', auth: user },
    { method: 'POST', path: '/v1/identity/logout-all', operationId: 'logoutEverywhere', summary: 'Unified logout: end every session and notify peer platforms', auth: user },
    {
      method: 'POST',
      path: '/v1/identity/backchannel-logout',
      operationId: 'receiveBackchannelLogout',
      summary: 'OIDC back-channel logout from a trusted peer platform (logout_token, form-encoded)',
      auth: anonymous,
      accepts: ['application/x-www-form-urlencoded'],
    },
    { method: 'GET', path: '/v1/identity/me', operationId: 'getMe', summary: 'Profile of the caller, personal data masked', auth: user },
    { method: 'DELETE', path: '/v1/identity/me', operationId: 'deregister', summary: 'Deregister the account (needs a login within 5 minutes)', auth: user },
    { method: 'POST', path: '/v1/identity/level-upgrades', operationId: 'upgradeLevel', summary: 'Raise the real-name level with evidence an authority confirms', auth: user },
    { method: 'POST', path: '/v1/identity/delegations', operationId: 'createDelegation', summary: 'Offer a delegation to the holder of an ID number or USCC', auth: { require: 'user', minLevel: 3 } },
    { method: 'GET', path: '/v1/identity/delegations', operationId: 'listDelegations', summary: 'Delegations the caller granted and received', auth: user },
    { method: 'GET', path: '/v1/identity/delegations/{id}', operationId: 'getDelegation', summary: 'A delegation of which the caller is principal or delegate', auth: user },
    { method: 'DELETE', path: '/v1/identity/delegations/{id}', operationId: 'revokeDelegation', summary: 'Revoke a delegation the caller granted', auth: user },
    { method: 'POST', path: '/v1/identity/delegations/{id}/accept', operationId: 'acceptDelegation', summary: 'Accept a delegation offered to the caller', auth: { require: 'user', minLevel: 3 } },
  ],
  grants: {
    tables: { identity: 'readwrite' },
    keys: { tokenSigning: ['sign', 'verify'], data: ['encrypt', 'decrypt'], lookupHash: ['mac'] },
    sendTo: ['access-events', 'notifications', 'backchannel-logout'],
  },
} as const satisfies FunctionSpec;

export const logoutNotifierFunction = {
  name: 'logout-notifier',
  description: 'delivers back-channel logout tokens to peer platforms after a unified logout (GB/T 39047 6.3.2 c)',
  subscriptions: [{ queue: 'backchannel-logout', batchSize: 10, maxBatchingWindowSeconds: 1 }],
  grants: { keys: { tokenSigning: ['sign'] } },
} as const satisfies FunctionSpec;

export const notifierFunction = {
  name: 'notifier',
  description: 'delivers queued notifications through the message port (SMS, in-app) exactly once per message',
  subscriptions: [{ queue: 'notifications', batchSize: 10, maxBatchingWindowSeconds: 1 }],
  grants: { tables: { platform: 'readwrite' }, messages: true },
} as const satisfies FunctionSpec;

export const catalogFunction = {
  name: 'catalog',
  description: 'reads the catalog: service guides, versions, item analysis, life events, policies, negative list and pre-judgment, regions and halls (GB/T 39047 6.1.4, 6.2.2, 6.3.6)',
  routes: [
    { method: 'GET', path: '/v1/items/{code}', operationId: 'getServiceGuide', summary: 'Service guide of an item in a region (query region, else the caller\'s): the nearest implementation merged with the basic item', auth: anonymous },
    { method: 'GET', path: '/v1/items/{code}/versions', operationId: 'listItemVersions', summary: 'Every version of a basic item (or, with region, of its implementation there): who changed what, when', auth: anonymous },
    { method: 'GET', path: '/v1/catalog/analysis', operationId: 'analyzeItem', summary: 'Implementations of one basic item compared across regions', auth: anonymous },
    { method: 'GET', path: '/v1/life-events', operationId: 'listLifeEvents', summary: 'One-thing bundles (item chains) of life events', auth: anonymous },
    { method: 'GET', path: '/v1/life-events/{id}', operationId: 'getLifeEvent', summary: 'A life event: its items in order, combined materials, total promised days', auth: anonymous },
    { method: 'GET', path: '/v1/policies', operationId: 'listPolicies', summary: 'Published policy documents, filtered by region and theme', auth: anonymous },
    { method: 'GET', path: '/v1/policies/{id}', operationId: 'getPolicy', summary: 'A published policy document', auth: anonymous },
    { method: 'GET', path: '/v1/regions/{code}', operationId: 'getRegion', summary: 'A GB/T 2260 region with its parent chain and children', auth: anonymous },
    { method: 'GET', path: '/v1/halls', operationId: 'findHalls', summary: 'Service halls by item and region, nearest first from a point', auth: anonymous },
    { method: 'GET', path: '/v1/negative-list', operationId: 'getNegativeList', summary: 'The foreign-investment negative list in force', auth: anonymous },
    { method: 'POST', path: '/v1/negative-list/prejudge', operationId: 'prejudgeNegativeList', summary: 'Pre-judge a business scope of an establishment against the negative list', auth: anonymous },
  ],
  // readwrite only for the popularity counters of guide views
  grants: { sendTo: ['access-events'], tables: { catalog: 'readwrite', identity: 'read' } },
  files: ['shared/regions/gbt2260-regions.tsv'],
} as const satisfies FunctionSpec;

export const catalogAdminFunction = {
  name: 'catalog-admin',
  description: 'edits the catalog: basic items, implementation lists, policies and halls, each change a version; publications go to catalog-changes',
  routes: [
    { method: 'POST', path: '/v1/catalog/basic-items', operationId: 'createBasicItem', summary: 'Add a basic item to the national catalog (version 1, unpublished)', auth: { require: 'admin' } },
    { method: 'PUT', path: '/v1/catalog/basic-items/{code}', operationId: 'updateBasicItem', summary: 'Change a basic item: a new version on top of expectedVersion', auth: { require: 'admin' } },
    { method: 'POST', path: '/v1/catalog/basic-items/{code}/publish', operationId: 'publishBasicItem', summary: 'Make a version of a basic item the current one', auth: { require: 'admin' } },
    { method: 'POST', path: '/v1/catalog/implementations', operationId: 'createImplementation', summary: 'Implement a basic item in a region (agency staff, or admin)', auth: user },
    { method: 'PUT', path: '/v1/catalog/implementations/{id}', operationId: 'updateImplementation', summary: 'Change an implementation: a new version on top of expectedVersion', auth: user },
    { method: 'POST', path: '/v1/catalog/implementations/{id}/publish', operationId: 'publishImplementation', summary: 'Make a version of an implementation the current one', auth: user },
    { method: 'POST', path: '/v1/catalog/policies', operationId: 'createPolicy', summary: 'Publish a policy document (admin, or staff for their region)', auth: user, idempotency: 'optional' },
    { method: 'PUT', path: '/v1/catalog/policies/{id}', operationId: 'updatePolicy', summary: 'Publish a new version of a policy document', auth: user },
    { method: 'POST', path: '/v1/catalog/halls', operationId: 'createHall', summary: 'Register a service hall (agency staff, or admin)', auth: user, idempotency: 'optional' },
    { method: 'PUT', path: '/v1/catalog/halls/{id}', operationId: 'updateHall', summary: 'Change a service hall on top of expectedVersion', auth: user },
  ],
  grants: { tables: { catalog: 'readwrite', platform: 'readwrite', identity: 'read' }, sendTo: ['access-events', 'catalog-changes'] },
  files: ['shared/regions/gbt2260-regions.tsv'],
} as const satisfies FunctionSpec;

export const catalogIndexerFunction = {
  name: 'catalog-indexer',
  description: 'projects published catalog content into the search index, in version order and idempotently',
  // no batching window: a publication should be searchable within one poll
  subscriptions: [{ queue: 'catalog-changes', batchSize: 10 }],
  grants: { tables: { catalog: 'read' }, search: 'readwrite' },
  timeoutSeconds: 60,
  files: ['shared/regions/gbt2260-regions.tsv'],
} as const satisfies FunctionSpec;

export const searchFunction = {
  name: 'search',
  description: 'unified search with facets, suggestions (pinyin, typo), region matching and recommendations (GB/T 39047 6.1.5)',
  routes: [
    { method: 'GET', path: '/v1/search', operationId: 'searchServices', summary: 'Search items, guides, policies and life events with filters, facets and suggestions', auth: anonymous },
    { method: 'GET', path: '/v1/search/suggest', operationId: 'suggestSearchTerms', summary: 'Completions of a prefix from names and aliases, by pinyin and initials, with typo correction', auth: anonymous },
    { method: 'GET', path: '/v1/search/recommendations', operationId: 'recommendServices', summary: 'Services popular in the region, related by life events, and (signed in) from the caller\'s own activity', auth: anonymous },
  ],
  grants: { sendTo: ['access-events'], tables: { catalog: 'readwrite', identity: 'read' }, search: 'read' },
} as const satisfies FunctionSpec;

export const sealAdminFunction = {
  name: 'seal-admin',
  description: 'seal CA and trust list, seal applications and lifecycle, status publication, import and access tests (GB/T 39047 6.3.3 a-d)',
  routes: [
    { method: 'POST', path: '/v1/seal-authority', operationId: 'initialiseSealAuthority', summary: 'Create the seal CA (root and maker keys and certificates) once after deployment', auth: { require: 'admin' } },
    { method: 'GET', path: '/v1/seal-trust', operationId: 'getSealTrust', summary: 'Trust list: the seal CA root and maker certificates and the accepted external anchors', auth: anonymous },
    { method: 'POST', path: '/v1/seal-trust/anchors', operationId: 'addSealTrustAnchor', summary: 'Accept another platform\'s seal CA as a trust anchor for verification', auth: { require: 'admin' } },
    { method: 'POST', path: '/v1/seals', operationId: 'applyForSeal', summary: 'Apply for an electronic seal for the caller\'s organisation (Idempotency-Key)', auth: { require: 'user', minLevel: 3 } },
    { method: 'POST', path: '/v1/seals/import', operationId: 'importSeal', summary: 'Register an external seal (v4 or v1) for verification and status tracking', auth: { require: 'seal-authority' } },
    { method: 'GET', path: '/v1/seals/{id}', operationId: 'getSeal', summary: 'A seal with its status history (owner or seal authority)', auth: user },
    { method: 'GET', path: '/v1/seals/{id}/esl', operationId: 'getSealEsl', summary: 'The DER SESeal of the current seal version (owner or seal authority)', auth: user },
    { method: 'POST', path: '/v1/seals/{id}/actions', operationId: 'actOnSeal', summary: 'make, change, report-lost, cancel, renew or replace a seal', auth: user },
    { method: 'GET', path: '/v1/seal-status', operationId: 'getSealStatusList', summary: 'Signed, paginated status list of the seals made here', auth: anonymous },
    { method: 'POST', path: '/v1/seal-access-tests', operationId: 'testSealConformance', summary: 'Conformance report of a seal or signature, without registering it', auth: anonymous, maxBodyBytes: 4 * ONE_MIB },
  ],
  grants: { sendTo: ['access-events'], tables: { seals: 'readwrite', identity: 'read' }, keys: { lookupHash: ['mac'] }, runtimeSigningKeys: 'manage' },
  memoryMb: 1024,
  timeoutSeconds: 20,
} as const satisfies FunctionSpec;

export const sealSignFunction = {
  name: 'seal-sign',
  description: 'signing with KMS-backed seal keys (GB/T 38540 SES_Signature, MessageType DIGEST) and verification of anyone\'s seals (GB/T 39047 6.3.3 e)',
  routes: [
    { method: 'POST', path: '/v1/seals/{id}/signatures', operationId: 'signWithSeal', summary: 'Sign a document or its hash with a seal of the caller\'s organisation', auth: { require: 'user', minLevel: 3 }, maxBodyBytes: GATEWAY_MAX_BODY_BYTES },
    { method: 'POST', path: '/v1/seal-verifications', operationId: 'verifySealSignature', summary: 'The eight checks of an SES_Signature (v4 or v1), each with a reason', auth: anonymous, maxBodyBytes: GATEWAY_MAX_BODY_BYTES },
  ],
  grants: { sendTo: ['access-events'], tables: { seals: 'readwrite', identity: 'read' }, runtimeSigningKeys: 'sign' },
  memoryMb: 1024,
} as const satisfies FunctionSpec;

export const dataIngestFunction = {
  name: 'data-ingest',
  description: 'takes in record batches, manifests and exchange files from exchange-inbound: checks, version-ordered upserts, quarantine, counts (GB/T 39047 6.3.5)',
  subscriptions: [{ queue: 'exchange-inbound', batchSize: 10, maxBatchingWindowSeconds: 1 }],
  grants: {
    tables: { exchange: 'readwrite', catalog: 'read' },
    keys: { data: ['encrypt', 'decrypt'] },
    blobs: 'read',
    sendTo: ['exchange-outbound-zj-regional'],
  },
  timeoutSeconds: 60,
  memoryMb: 1024,
  files: ['shared/regions/gbt2260-regions.tsv'],
} as const satisfies FunctionSpec;

export const dataReconciliationFunction = {
  name: 'data-reconciliation',
  description: 'reconciliation (对账) reports per batch and per day, batch closing and its schedule, the quarantine and resubmission (GB/T 39047 6.3.5 b)',
  routes: [
    { method: 'GET', path: '/v1/exchange/batches/{batchId}', operationId: 'getExchangeBatch', summary: 'Reconciliation report of a batch (administrators and its source)', auth: signedIn },
    { method: 'POST', path: '/v1/exchange/batches/{batchId}/close', operationId: 'closeExchangeBatch', summary: 'Close a batch now: missing becomes final, the source gets its resend list', auth: signedIn },
    { method: 'GET', path: '/v1/exchange/reconciliations', operationId: 'getExchangeReconciliation', summary: "Reconciliation of a source's dataset over one day", auth: signedIn },
    { method: 'GET', path: '/v1/exchange/quarantine', operationId: 'listExchangeQuarantine', summary: 'Quarantined records and messages of a source, with the reasons', auth: signedIn },
    { method: 'POST', path: '/v1/exchange/quarantine/{entryId}/resubmission', operationId: 'resubmitQuarantinedRecord', summary: 'Resubmit a quarantined record with fixed data', auth: signedIn },
  ],
  schedules: [{ name: 'close-exchange-batches', everyMinutes: 1 }],
  grants: {
    tables: { exchange: 'readwrite', catalog: 'read', identity: 'read' },
    keys: { data: ['encrypt', 'decrypt'] },
    sendTo: ['access-events', 'exchange-outbound-zj-regional'],
  },
  timeoutSeconds: 60,
  files: ['shared/regions/gbt2260-regions.tsv'],
} as const satisfies FunctionSpec;

export const dataSharingFunction = {
  name: 'data-sharing',
  description: 'interface sharing with grants, masking and an access log; exchange files in and out; the exchange platform registry (GB/T 39047 6.3.5 a)',
  routes: [
    { method: 'GET', path: '/v1/shared-data/{dataset}', operationId: 'getSharedData', summary: 'Records of a dataset for a consumer platform with a grant (logged, personal data masked)', auth: { require: 'platform' } },
    { method: 'POST', path: '/v1/exchange/files', operationId: 'submitExchangeFile', summary: 'Hand in an uploaded CSV or JSON file of records, processed as a batch', auth: { require: 'platform' } },
    { method: 'GET', path: '/v1/exchange/files/{dataset}', operationId: 'exportExchangeFile', summary: 'A slice of a dataset as a CSV or JSON file (logged, personal data masked)', auth: { require: 'platform' } },
    { method: 'PUT', path: '/v1/exchange/platforms/{platformId}', operationId: 'putExchangePlatform', summary: 'Register or change an exchange platform: source, signing keys, grants, outbound queue', auth: { require: 'admin' } },
    { method: 'GET', path: '/v1/exchange/platforms/{platformId}', operationId: 'getExchangePlatform', summary: 'Registration of an exchange platform (administrators and itself)', auth: signedIn },
    { method: 'GET', path: '/v1/exchange/access-log', operationId: 'listSharedDataAccess', summary: 'Who read which shared data on a day', auth: { require: 'admin' } },
  ],
  grants: {
    tables: { exchange: 'readwrite', platform: 'read', identity: 'read' },
    keys: { data: ['decrypt'] },
    blobs: 'read',
    sendTo: ['access-events', 'exchange-inbound'],
  },
} as const satisfies FunctionSpec;

export const caseSubmissionFunction = {
  name: 'case-submission',
  description: 'online submission with Idempotency-Key, materials, supplements and evaluations by applicants (GB/T 39047 6.1.6, 6.1.9)',
  routes: [
    { method: 'POST', path: '/v1/cases', operationId: 'submitCase', summary: 'Apply for an item online (Idempotency-Key): form, materials, delivery', auth: user, idempotency: 'required' },
    { method: 'POST', path: '/v1/cases/{caseNo}/materials', operationId: 'addCaseMaterial', summary: 'Add an uploaded material (PDF, JPEG, PNG, OFD; at most 20 MiB) to an own case', auth: user, idempotency: 'optional' },
    { method: 'POST', path: '/v1/cases/{caseNo}/supplements', operationId: 'supplementCase', summary: 'Answer a request for correction (补正) with materials and corrected fields', auth: user, idempotency: 'optional' },
    { method: 'POST', path: '/v1/cases/{caseNo}/evaluations', operationId: 'evaluateCase', summary: 'Rate a decided case once (好差评); a bad review opens a rectification task', auth: user },
  ],
  grants: {
    tables: { cases: 'readwrite', platform: 'readwrite', identity: 'read', catalog: 'read' },
    keys: { data: ['encrypt', 'decrypt'] },
    blobs: 'readwrite',
    sendTo: ['access-events', 'case-events', 'notifications', 'case-outbound-zj-regional'],
  },
} as const satisfies FunctionSpec;

export const caseHandlingFunction = {
  name: 'case-handling',
  description: 'staff queues, workflow actions, transfers, express information and rectifications of cases (GB/T 39047 6.1.6, 6.2.3, 6.1.9)',
  routes: [
    { method: 'GET', path: '/v1/staff/cases', operationId: 'listStaffCases', summary: "The open cases of the caller's agency, the earliest deadline first", auth: { require: 'staff' } },
    { method: 'POST', path: '/v1/cases/{caseNo}/actions', operationId: 'actOnCase', summary: 'accept, reject, request-correction, handle, approve, deny, deliver, close or transfer a case', auth: { require: 'staff' } },
    { method: 'PUT', path: '/v1/cases/{caseNo}/express', operationId: 'recordCaseExpress', summary: 'Carrier, tracking number and tracking events of a decided case delivered by express', auth: { require: 'staff' } },
    { method: 'GET', path: '/v1/staff/rectifications', operationId: 'listRectifications', summary: "Rectification tasks of the caller's agency from bad reviews", auth: { require: 'staff' } },
    { method: 'POST', path: '/v1/cases/{caseNo}/rectification', operationId: 'completeRectification', summary: 'Report the outcome of the rectification a bad review of the case opened', auth: { require: 'staff' } },
  ],
  grants: {
    tables: { cases: 'readwrite', identity: 'read', catalog: 'read' },
    keys: { data: ['decrypt'] },
    sendTo: ['access-events', 'case-events', 'case-approvals', 'notifications', 'case-outbound-zj-regional'],
  },
} as const satisfies FunctionSpec;

export const caseQueryFunction = {
  name: 'case-query',
  description: 'progress and express query of cases and their materials, the caller\'s cases, satisfaction statistics (GB/T 39047 6.1.7, 6.1.9)',
  routes: [
    { method: 'GET', path: '/v1/cases/{caseNo}', operationId: 'getCase', summary: 'A case with its timeline, deadline, materials, express and evaluation (applicant or handling staff)', auth: user },
    { method: 'GET', path: '/v1/cases/{caseNo}/materials/{materialId}', operationId: 'getCaseMaterial', summary: 'The bytes of a material of a case, each read audited (applicant or handling staff)', auth: user },
    { method: 'GET', path: '/v1/me/cases', operationId: 'listMyCases', summary: "The caller's cases, newest first, by state, a page at a time", auth: user },
    { method: 'GET', path: '/v1/evaluations/statistics', operationId: 'getSatisfactionStatistics', summary: 'Satisfaction of an agency, an item, or an item at an agency', auth: anonymous },
  ],
  // cases: readwrite only to append the audit event of a material read
  grants: { sendTo: ['access-events'], tables: { cases: 'readwrite', identity: 'read' }, blobs: 'read' },
} as const satisfies FunctionSpec;

export const caseExchangeFunction = {
  name: 'case-exchange',
  description: 'cases forwarded from and updates by partner platforms, in sequence and idempotently (GB/T 39047 6.2.3)',
  subscriptions: [{ queue: 'case-exchange-inbound', batchSize: 10, maxBatchingWindowSeconds: 1 }],
  grants: {
    tables: { cases: 'readwrite', catalog: 'read' },
    keys: { data: ['encrypt', 'decrypt'] },
    sendTo: ['case-events', 'notifications', 'case-outbound-zj-regional'],
  },
} as const satisfies FunctionSpec;

export const supervisionFunction = {
  name: 'supervision',
  description: 'e-supervision of cases and items on a schedule, automatic closing, republication of case changes; alerts for supervisors (GB/T 39047 6.2.5)',
  routes: [
    { method: 'GET', path: '/v1/supervision/alerts', operationId: 'listSupervisionAlerts', summary: 'E-supervision alerts by agency and kind (supervisors; staff for their agency)', auth: user },
  ],
  schedules: [{ name: 'supervise-cases', everyMinutes: 15 }],
  grants: {
    tables: { cases: 'readwrite', catalog: 'read', identity: 'read' },
    keys: { data: ['decrypt'] },
    sendTo: ['access-events', 'case-events', 'case-approvals', 'notifications', 'case-outbound-zj-regional'],
  },
  timeoutSeconds: 120,
} as const satisfies FunctionSpec;

export const interactionFunction = {
  name: 'interaction',
  description: 'consults, complaints and suggestions routed to the responsible agency, their flows and reply deadlines; answered consults as a knowledge base (GB/T 39047 6.1.8)',
  routes: [
    { method: 'POST', path: '/v1/interactions', operationId: 'submitInteraction', summary: 'Submit a consult, complaint or suggestion about an item, a case or to an agency', auth: user },
    { method: 'GET', path: '/v1/interactions/answered', operationId: 'findAnsweredConsults', summary: 'Answered consults of an item similar to a question, before asking it again', auth: anonymous },
    { method: 'GET', path: '/v1/me/interactions', operationId: 'listMyInteractions', summary: "The caller's consults, complaints and suggestions with state, deadline and replies, newest first", auth: user },
    { method: 'GET', path: '/v1/staff/interactions', operationId: 'listAgencyInteractions', summary: "Consults, complaints and suggestions routed to the caller's agency, newest first", auth: { require: 'staff' } },
    { method: 'POST', path: '/v1/interactions/{id}/replies', operationId: 'replyToInteraction', summary: 'A reply of the responsible agency (answers a consult)', auth: { require: 'staff' } },
    { method: 'POST', path: '/v1/interactions/{id}/actions', operationId: 'actOnInteraction', summary: 'accept, investigate, resolve, reject, acknowledge, adopt, note (staff); confirm, reopen (the complainant)', auth: user },
  ],
  schedules: [{ name: 'supervise-interactions', everyMinutes: 15 }],
  grants: {
    tables: { interaction: 'readwrite', 'user-center': 'readwrite', cases: 'readwrite', catalog: 'read', identity: 'read' },
    sendTo: ['access-events'],
  },
} as const satisfies FunctionSpec;

export const userCenterFunction = {
  name: 'user-center',
  description: 'the user centre: preferences and home, the message inbox (with next-item recommendations after approvals), favourites, footprints and privacy settings; archives case and certificate events for Athena (GB/T 39047 6.1.10, 6.2.7 a)',
  routes: [
    { method: 'GET', path: '/v1/me/preferences', operationId: 'getPreferences', summary: "The caller's region, themes and subscribed items", auth: user },
    { method: 'PUT', path: '/v1/me/preferences', operationId: 'savePreferences', summary: 'Set the region, themes and subscribed items that drive the home page', auth: user },
    { method: 'GET', path: '/v1/me/home', operationId: 'getHome', summary: "The caller's home: subscribed items' guides in their region, unread messages, favourites", auth: user },
    { method: 'GET', path: '/v1/me/messages', operationId: 'listMessages', summary: 'Inbox messages (case, interaction, certificate and system events), newest first, with the unread count', auth: user },
    { method: 'POST', path: '/v1/me/messages/{id}/read', operationId: 'readMessage', summary: 'Mark a message read (it is destroyed after the chosen delay)', auth: user },
    { method: 'GET', path: '/v1/me/favorites', operationId: 'listFavorites', summary: "The caller's favourite items, policies and guides", auth: user },
    { method: 'POST', path: '/v1/me/favorites', operationId: 'addFavorite', summary: 'Save an item, policy or guide as a favourite', auth: user },
    { method: 'DELETE', path: '/v1/me/favorites/{id}', operationId: 'removeFavorite', summary: 'Remove a favourite', auth: user },
    { method: 'GET', path: '/v1/me/footprints', operationId: 'listFootprints', summary: 'What the caller viewed and searched, newest first', auth: user },
    { method: 'POST', path: '/v1/me/footprints', operationId: 'recordFootprint', summary: 'Record a view or search by the portal (nothing is kept when footprints are off)', auth: user },
    { method: 'DELETE', path: '/v1/me/footprints/{id}', operationId: 'removeFootprint', summary: 'Remove one footprint', auth: user },
    { method: 'DELETE', path: '/v1/me/footprints', operationId: 'clearFootprints', summary: 'Remove every footprint', auth: user },
    { method: 'GET', path: '/v1/me/privacy', operationId: 'getPrivacy', summary: "The caller's privacy settings", auth: user },
    { method: 'PUT', path: '/v1/me/privacy', operationId: 'savePrivacy', summary: 'Private space, auto-destroy of read messages, recording of footprints', auth: user },
    { method: 'GET', path: '/v1/me/private-space/documents', operationId: 'listPrivateDocuments', summary: "Documents in the caller's private space (only while it is on)", auth: user },
    { method: 'POST', path: '/v1/me/private-space/documents', operationId: 'storePrivateDocument', summary: 'Keep an upload of the caller as a document only they can see', auth: user },
    { method: 'DELETE', path: '/v1/me/private-space/documents/{id}', operationId: 'removePrivateDocument', summary: 'Remove a document from the private space', auth: user },
  ],
  subscriptions: [
    { queue: 'case-events', batchSize: 10, maxBatchingWindowSeconds: 1 },
    { queue: 'certificate-events', batchSize: 10, maxBatchingWindowSeconds: 1 },
  ],
  grants: {
    tables: { 'user-center': 'readwrite', catalog: 'read', identity: 'read', platform: 'read' },
    blobs: 'readwrite',
    sendTo: ['access-events'],
  },
} as const satisfies FunctionSpec;

export const accessEventsFunction = {
  name: 'access-events',
  description: 'access monitoring: aggregates access events per day, archives them raw for Athena, and the statistics for administrators (GB/T 39047 6.2.4, 6.2.7)',
  routes: [
    { method: 'GET', path: '/v1/analytics/access', operationId: 'getAccessStatistics', summary: 'Access aggregates over days by route, item, keyword, zero-result keyword, region, subject type, level, channel, status or function', auth: { require: 'admin' } },
  ],
  subscriptions: [{ queue: 'access-events', batchSize: 10, maxBatchingWindowSeconds: 5 }],
  grants: {
    tables: { 'access-stats': 'readwrite', identity: 'read' },
    // the raw events under analytics/events/ for the Athena tables
    blobs: 'readwrite',
    sendTo: ['access-events'],
  },
} as const satisfies FunctionSpec;

export const certificateIssueFunction = {
  name: 'certificate-issue',
  description: 'certificate types, issuance sealed with the issuer\'s e-seal (also on case approval), revocation (GB/T 39047 6.3.4)',
  routes: [
    { method: 'POST', path: '/v1/certificate-types', operationId: 'createCertificateType', summary: 'Add a certificate type: issuer, seal, holder type, surface fields, producing items', auth: { require: 'admin' } },
    { method: 'POST', path: '/v1/certificates', operationId: 'issueCertificate', summary: 'Issue a certificate (or a new version of one) sealed with the issuer\'s seal', auth: { require: 'staff' } },
    { method: 'POST', path: '/v1/certificates/{identifier}/revocation', operationId: 'revokeCertificate', summary: 'Revoke a certificate (staff of its issuer)', auth: { require: 'staff' } },
  ],
  subscriptions: [{ queue: 'case-approvals', batchSize: 10, maxBatchingWindowSeconds: 1 }],
  grants: {
    tables: { certificates: 'readwrite', seals: 'readwrite', cases: 'read', identity: 'read' },
    keys: { data: ['encrypt', 'decrypt'], lookupHash: ['mac'] },
    runtimeSigningKeys: 'sign',
    sendTo: ['access-events', 'certificate-events'],
  },
  memoryMb: 1024,
} as const satisfies FunctionSpec;

export const certificateQueryFunction = {
  name: 'certificate-query',
  description: 'certificate sharing (GB/T 36906): metadata, files, verification, the card wallet, usage grants and the usage log (GB/T 39047 6.3.4, 6.1.10 g)',
  routes: [
    { method: 'GET', path: '/v1/certificates/{identifier}', operationId: 'getCertificate', summary: 'Metadata of a certificate (holder, issuer, or a relying agency with useCause, caseNo and a grant)', auth: user },
    { method: 'GET', path: '/v1/certificates', operationId: 'queryCertificates', summary: 'Certificates of a holder by code (holder, or a relying agency with useCause, caseNo and grants)', auth: user },
    { method: 'GET', path: '/v1/certificates/{identifier}/file', operationId: 'getCertificateFile', summary: 'The sealed certificate file: JSON document and its SES_Signature', auth: user },
    { method: 'POST', path: '/v1/certificate-verifications', operationId: 'verifyCertificate', summary: 'Authenticity, integrity and status of a certificate or a presented file', auth: anonymous },
    { method: 'GET', path: '/v1/me/wallet', operationId: 'getWallet', summary: "The caller's card wallet: valid certificates by type, newest first (include=history for all)", auth: user },
    { method: 'POST', path: '/v1/certificates/{identifier}/usage-grants', operationId: 'grantCertificateUse', summary: 'Let an agency (for a case) read a certificate of the caller until a moment', auth: user },
    { method: 'DELETE', path: '/v1/certificates/{identifier}/usage-grants/{grantId}', operationId: 'revokeCertificateUse', summary: 'Withdraw a usage grant', auth: user },
    { method: 'GET', path: '/v1/certificates/{identifier}/usage-log', operationId: 'getCertificateUsageLog', summary: 'Grants of a certificate of the caller and every use by third parties', auth: user },
  ],
  // readwrite for the usage log
  grants: {
    tables: { certificates: 'readwrite', seals: 'read', identity: 'read', exchange: 'read' },
    keys: { data: ['decrypt'], lookupHash: ['mac'] },
    sendTo: ['access-events'],
  },
  memoryMb: 1024,
} as const satisfies FunctionSpec;

export const analyticsFunction = {
  name: 'analytics',
  description: 'evaluation of the platform and of service quality by region, agency and period, from per-month aggregates built on a schedule; analysis insights (GB/T 39047 6.2.6)',
  routes: [
    { method: 'GET', path: '/v1/analytics/evaluation', operationId: 'getEvaluation', summary: 'Service evaluation indicators (value, numerator, denominator, formula) and their weighted score for a region, agency and period', auth: { require: 'analytics' } },
    { method: 'GET', path: '/v1/analytics/insights', operationId: 'getInsights', summary: 'Hot spots, seasonal patterns, bottlenecks, spatial view, anomalies and business-environment indicators (GB/T 39047 6.2.7 b, c); format=csv for a CSV attachment', auth: { require: 'analytics' } },
  ],
  // a full pass over cases, interactions and certificates: daily, within Lambda's 15 minutes (bench: 1 M cases fold in about a minute locally)
  schedules: [{ name: 'aggregate-evaluation-facts', everyMinutes: 1440 }],
  grants: {
    // user-center: the month listings of next-item recommendations, for their follow rate
    tables: { analytics: 'readwrite', cases: 'read', interaction: 'read', certificates: 'read', catalog: 'read', 'access-stats': 'read', identity: 'read', 'user-center': 'read' },
    sendTo: ['access-events'],
  },
  // the insights' spatial view rolls counties up to cities and provinces
  files: ['shared/regions/gbt2260-regions.tsv'],
  memoryMb: 1024,
  timeoutSeconds: 900,
} as const satisfies FunctionSpec;

/** every function of the platform; runtime code imports only its own function's const, so bundles carry one function's routes */
export const functions = [
  discoveryFunction,
  apiDocsFunction,
  identityFunction,
  logoutNotifierFunction,
  notifierFunction,
  catalogFunction,
  catalogAdminFunction,
  catalogIndexerFunction,
  searchFunction,
  sealAdminFunction,
  sealSignFunction,
  dataIngestFunction,
  dataReconciliationFunction,
  dataSharingFunction,
  caseSubmissionFunction,
  caseHandlingFunction,
  caseQueryFunction,
  caseExchangeFunction,
  supervisionFunction,
  interactionFunction,
  userCenterFunction,
  accessEventsFunction,
  certificateIssueFunction,
  certificateQueryFunction,
  analyticsFunction,
] as const;

/** one function of the manifest, with its literal routes */
export type ManifestFunction = (typeof functions)[number];
export type FunctionName = ManifestFunction['name'];

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
