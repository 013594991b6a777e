import type { KeyName, QueueName, TableName } from '../infra/manifest.js';
import { parsePeerPlatforms, type PeerPlatform } from './auth/peer-platforms.js';

/**
 * Environment variable names that connect a function to its resources. The CDK stack sets them
 * (from the manifest grants) and the AWS adapters read them; the local runtime sets the same.
 */
export const envNames = {
  table: (table: TableName | string) => `TABLE_${snake(table)}`,
  queueUrl: (queue: QueueName | string) => `QUEUE_URL_${snake(queue)}`,
  keyId: (key: KeyName | string) => `KEY_ID_${snake(key)}`,
  blobBucket: 'BLOB_BUCKET',
  searchEndpoint: 'SEARCH_ENDPOINT',
} as const;

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase();
}

/**
 * The largest file an API response carries itself: a Lambda response holds at most 6 MB, and
 * base64 makes 4.4 MiB of file fill it, so 4 MiB leaves room for headers. Larger files are
 * answered with a redirect to a short-lived download URL of the blob store.
 */
export const MAX_INLINE_FILE_BYTES = 4 * 1024 * 1024;

/** Settings every function reads once per cold start. Missing required values fail fast. */
export interface PlatformConfig {
  /** issuer of our tokens and base URL of the public API, e.g. https://api.gov.example */
  readonly issuer: string;
  /** audience of access tokens issued for this platform */
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  /** origins allowed by CORS; empty means no CORS headers */
  readonly corsOrigins: readonly string[];
  /** seconds a health result is reused, so probes cannot flood the stores */
  readonly healthCacheSeconds: number;
  /** peer platforms trusted for token exchange and back-channel logout (PEER_PLATFORMS, JSON) */
  readonly peerPlatforms: readonly PeerPlatform[];
  /** materials larger than this are downloaded by redirect (INLINE_FILE_BYTES, 1 to MAX_INLINE_FILE_BYTES, the default) */
  readonly inlineFileBytes: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const issuer = required(env, 'ISSUER');
  return {
    issuer,
    audience: env.TOKEN_AUDIENCE ?? issuer,
    accessTokenTtlSeconds: positiveInt(env, 'ACCESS_TOKEN_TTL_SECONDS', 900),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    healthCacheSeconds: nonNegativeInt(env, 'HEALTH_CACHE_SECONDS', 5),
    peerPlatforms: parsePeerPlatforms(env.PEER_PLATFORMS),
    inlineFileBytes: inlineFileBytes(positiveInt(env, 'INLINE_FILE_BYTES', MAX_INLINE_FILE_BYTES)),
  };
}

/** a limit of inline files may lower MAX_INLINE_FILE_BYTES (tests use small files), never raise it past what a Lambda response holds */
export function inlineFileBytes(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_INLINE_FILE_BYTES) throw new Error(`configuration: INLINE_FILE_BYTES must be from 1 to ${MAX_INLINE_FILE_BYTES}`);
  return bytes;
}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`configuration: ${name} is not set`);
  return value;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonNegativeInt(env, name, fallback);
  if (value === 0) throw new Error(`configuration: ${name} must be a positive integer`);
  return value;
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`configuration: ${name} must be a whole number`);
  return value;
}
