import { conflict, forbidden, notFound, ValidationError, type FieldIssue } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { TransactionConflictError } from '../tables/transactions.js';
import type { DatasetName } from './dataset-names.js';
import { PERSONAL_FIELDS } from './personal-fields.js';
import { assertMayActForSource, type ExchangeCaller } from './exchange-access.js';
import { isOutboundQueue, OUTBOUND_QUEUES } from './exchange-queues.js';
import { isUsableSigningKey, type SigningJwk } from './envelope-signature.js';
import type { DatasetGrant, ExchangePlatform, PlatformRepository } from './platform-repository.js';

export interface PlatformRegistration {
  readonly name: string;
  readonly accountIds: readonly string[];
  readonly outboundQueue?: string;
  readonly source?: { readonly datasets: readonly DatasetName[]; readonly signingKeys?: readonly SigningJwk[] };
  readonly consumer?: { readonly grants: readonly DatasetGrant[] };
}

/**
 * PUT /v1/exchange/platforms/{platformId}: an administrator registers or changes an exchange platform.
 * 1. check what a schema cannot: the outbound queue is one of the manifest's exchange-outbound
 *    queues, signing keys are usable P-256 keys, grants name each dataset once and clear only
 *    personal fields the dataset has;
 * 2. write it with its account links, conditional on the version read (409 on a concurrent change,
 *    or when an account already acts for another platform).
 */
export async function registerPlatform(
  deps: { platformRegistry: PlatformRepository; clock: Clock },
  caller: ExchangeCaller,
  input: { platformId: string; registration: PlatformRegistration },
): Promise<ExchangePlatform> {
  if (!caller.admin) throw forbidden('Administrators only', 'admin_only');
  const { registration } = input;
  const issues: FieldIssue[] = [];
  if (registration.outboundQueue !== undefined && !isOutboundQueue(registration.outboundQueue)) {
    issues.push({ field: 'outboundQueue', message: `must be one of the deployed outbound queues: ${OUTBOUND_QUEUES.join(', ') || 'none'}` });
  }
  registration.source?.signingKeys?.forEach((key, index) => {
    if (!isUsableSigningKey(key)) issues.push({ field: `source.signingKeys.${index}`, message: 'is not a usable EC P-256 public key' });
  });
  const seen = new Set<string>();
  registration.consumer?.grants.forEach((grant, index) => {
    if (seen.has(grant.dataset)) issues.push({ field: `consumer.grants.${index}.dataset`, message: 'is granted twice' });
    seen.add(grant.dataset);
    const personal = PERSONAL_FIELDS[grant.dataset].map((field) => field.path);
    grant.clearFields.forEach((field, fieldIndex) => {
      if (!personal.includes(field)) issues.push({ field: `consumer.grants.${index}.clearFields.${fieldIndex}`, message: `is not a personal field of ${grant.dataset}` });
    });
  });
  if (issues.length > 0) throw new ValidationError(issues);

  const previous = await deps.platformRegistry.get(input.platformId);
  const platform: ExchangePlatform = {
    platformId: input.platformId,
    name: registration.name,
    accountIds: [...new Set(registration.accountIds)],
    ...(registration.outboundQueue !== undefined ? { outboundQueue: registration.outboundQueue } : {}),
    ...(registration.source ? { source: registration.source } : {}),
    ...(registration.consumer ? { consumer: registration.consumer } : {}),
    updatedAt: deps.clock.now().toISOString(),
    version: (previous?.version ?? 0) + 1,
  };
  try {
    await deps.platformRegistry.put(platform, previous);
  } catch (error) {
    if (!(error instanceof TransactionConflictError)) throw error;
    if (error.failed.includes(0)) throw conflict('The registration was changed meanwhile; read it again', 'stale_version');
    throw conflict('An account in accountIds acts for another platform already', 'account_taken');
  }
  return platform;
}

/** GET /v1/exchange/platforms/{platformId}: the registration, for administrators and the platform itself. */
export async function getPlatform(deps: { platformRegistry: PlatformRepository }, caller: ExchangeCaller, platformId: string): Promise<ExchangePlatform> {
  assertMayActForSource(caller, platformId);
  const platform = await deps.platformRegistry.get(platformId);
  if (!platform) throw notFound('No such exchange platform', 'platform_not_found');
  return platform;
}
