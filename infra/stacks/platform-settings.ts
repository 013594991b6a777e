import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { parsePeerPlatforms, type PeerPlatform } from '../../shared/auth/peer-platforms.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** What an operator may choose per deployment (cdk.json context, overridable with `-c key=value`). */
export interface PlatformSettings {
  /** deployment name, part of stack and resource names: dev, test, prod */
  readonly stage: string;
  /** serve the API on an own domain; the certificate must be in the stack's region */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** browser origins allowed by CORS on the API and on upload URLs; empty means none */
  readonly corsOrigins: readonly string[];
  /** `aud` of issued access tokens; the issuer URL when not set */
  readonly tokenAudience?: string;
  readonly accessTokenTtlSeconds: number;
  /** OpenSearch data node type; two nodes, one per availability zone */
  readonly searchInstanceType: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
  /** steady-state requests per second and burst of the API stage */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** who is mailed when an alarm fires; alarms exist without it but notify nobody */
  readonly alarmEmail?: string;
  /** sender of email to people (an SES verified identity, `addr` or `Name <addr>`); no email without it */
  readonly emailFrom?: string;
  /** peer platforms trusted for token exchange and back-channel logout (becomes PEER_PLATFORMS) */
  readonly peerPlatforms: readonly PeerPlatform[];
}

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const RETENTION_VALUES = new Set(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

/**
 * Reads and checks the deployment settings from CDK context. Values given on the command line
 * arrive as strings, values from cdk.json as JSON, so both are accepted. Wrong values fail the
 * synth with a message naming the context key.
 */
export function settingsFromContext(node: Node): PlatformSettings {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
    return value.trim() || undefined;
  };
  const positive = (key: string, fallback: number): number => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`context ${key} must be a positive integer`);
    return parsed;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = text(key) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`context ${key} must be one of ${allowed.join(', ')}`);
    return value as T;
  };

  const stage = text('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) throw new Error('context stage must be 1-16 lowercase letters, digits or dashes');

  const domainName = text('domainName');
  const certificateArn = text('certificateArn');
  if (Boolean(domainName) !== Boolean(certificateArn)) throw new Error('context domainName and certificateArn go together');

  const logRetention = positive('logRetentionDays', 90);
  if (!RETENTION_VALUES.has(logRetention)) throw new Error('context logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)');

  const tokenAudience = text('tokenAudience');
  const alarmEmail = text('alarmEmail');
  const emailFrom = text('emailFrom');
  if (emailFrom && !/^[^\r\n@]+@[^\r\n@]+$/.test(emailFrom)) throw new Error('context emailFrom must be one email address, optionally with a display name');
  return {
    stage,
    ...(domainName && certificateArn ? { customDomain: { domainName, certificateArn } } : {}),
    corsOrigins: origins(node.tryGetContext('corsOrigins')),
    ...(tokenAudience ? { tokenAudience } : {}),
    accessTokenTtlSeconds: positive('accessTokenTtlSeconds', 900),
    searchInstanceType: text('searchInstanceType') ?? 't3.medium.search',
    logRetention: logRetention as RetentionDays,
    logLevel: oneOf('logLevel', LOG_LEVELS, 'INFO'),
    throttle: { rateLimit: positive('throttleRateLimit', 100), burstLimit: positive('throttleBurstLimit', 200) },
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(emailFrom ? { emailFrom } : {}),
    peerPlatforms: peerPlatformsOf(node.tryGetContext('peerPlatforms')),
  };
}

function origins(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || !list.every((o): o is string => typeof o === 'string')) {
    throw new Error('context corsOrigins must be a list of origins or a comma-separated string');
  }
  const trimmed = list.map((o) => o.trim()).filter(Boolean);
  for (const origin of trimmed) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`context corsOrigins: ${origin} is not an origin (scheme://host[:port])`);
  }
  return trimmed;
}

/** context peerPlatforms: a JSON array (cdk.json) or its JSON text (-c peerPlatforms='[...]') */
function peerPlatformsOf(value: unknown): PeerPlatform[] {
  if (value === undefined || value === null || value === '') return [];
  return parsePeerPlatforms(typeof value === 'string' ? value : JSON.stringify(value), 'context peerPlatforms');
}
