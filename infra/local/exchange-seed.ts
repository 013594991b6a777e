import { DATASET_NAMES } from '../../shared/exchange/dataset-names.js';
import { platformRepository } from '../../shared/exchange/platform-repository.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { personalDataProtector } from '../../shared/privacy/personal-data.js';
import type { PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';

/** the demo regional platform's identity account and its exchange registration (see demo-seed.ts DEMO_PLATFORM) */
const DEMO_EXCHANGE_PLATFORM = { platformId: 'zj-regional', name: '浙江政务服务网（演示）', outboundQueue: 'exchange-outbound-zj-regional' } as const;

/**
 * Registers the demo regional platform for data exchange (local runtime only), once:
 * 1. find its identity account by username (seeded just before), whose tokens then act for it;
 * 2. register it as a source of every dataset, unsigned so a person can play it by hand through
 *    POST /_local/queues/exchange-inbound/messages, with its outbound queue for results and changes;
 * 3. as a consumer: items and certificates subscribed, cases and evaluations readable, personal
 *    fields masked (no clear fields granted).
 */
export async function seedExchangePlatforms(deps: PlatformDependencies): Promise<void> {
  const registry = platformRepository(deps.tables);
  if (await registry.get(DEMO_EXCHANGE_PLATFORM.platformId)) return;
  const protector = personalDataProtector({ vault: deps.vault, dataKeyId: deps.keyIds.data, lookupKeyId: deps.keyIds.lookupHash });
  const account = await accountRepository(deps.tables).findByClaim({ kind: 'username', hash: await protector.lookupHash('username', DEMO_EXCHANGE_PLATFORM.platformId) });
  if (!account) throw new Error(`exchange seed: the demo platform account ${DEMO_EXCHANGE_PLATFORM.platformId} does not exist`);
  await registry.put(
    {
      ...DEMO_EXCHANGE_PLATFORM,
      accountIds: [account.accountId],
      source: { datasets: [...DATASET_NAMES] },
      consumer: {
        grants: [
          { dataset: 'items', subscribe: true, clearFields: [] },
          { dataset: 'certificates', subscribe: true, clearFields: [] },
          { dataset: 'cases', subscribe: false, clearFields: [] },
          { dataset: 'evaluations', subscribe: false, clearFields: [] },
        ],
      },
      updatedAt: deps.clock.now().toISOString(),
      version: 1,
    },
    undefined,
  );
}
