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
  };
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
