import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PlatformDependencies } from '../runtime/platform-dependencies.js';
import type { HealthProbe } from './check-health.js';

/**
 * The stores behind the API and a cheap read that proves each answers: a point read on the
 * platform table, the token key's state in the vault, the blob store, and the search index where
 * the function can reach it (in-process locally; in AWS the domain sits in the VPC, away from
 * discovery, and its health comes from CloudWatch alarms).
 */
export function platformHealthProbes(
  deps: Pick<PlatformDependencies, 'tables' | 'vault' | 'keyIds' | 'blobs'> & Partial<Pick<PlatformDependencies, 'search'>>,
): HealthProbe[] {
  return [
    {
      name: 'tables',
      check: async () => {
        await deps.tables.client.send(new GetCommand({ TableName: deps.tables.name('platform'), Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
      },
    },
    {
      name: 'keyVault',
      check: async () => {
        const state = await deps.vault.keyState(deps.keyIds.tokenSigning);
        if (state !== 'Enabled') throw new Error(`token signing key is ${state}`);
      },
    },
    { name: 'blobStore', check: () => deps.blobs.ping() },
    ...(deps.search ? [{ name: 'searchIndex', check: () => deps.search!.ping() }] : []),
  ];
}
