import type { BlobStore } from '../ports/blob-store.js';
import { personalDataProtector } from '../privacy/personal-data.js';
import type { PlatformDependencies } from '../runtime/platform-dependencies.js';
import { accessLogRepository } from './access-log-repository.js';
import { batchRepository } from './batch-repository.js';
import { catalogItemCodes } from './catalog-item-codes.js';
import { fileRepository } from './file-repository.js';
import { cachedPlatforms, platformRepository } from './platform-repository.js';
import { quarantineRepository } from './quarantine-repository.js';
import { recordRepository } from './record-repository.js';

/**
 * What the exchange use cases work with, built once per cold start from a function's ports: the
 * repositories of the exchange table, the registry (with a short cache for the per-message source
 * lookups), personal-data sealing under the `data` key, and the item codes of the catalog table.
 */
export function exchangeServices(deps: Pick<PlatformDependencies, 'tables' | 'vault' | 'keyIds' | 'queues' | 'clock'> & { blobs?: BlobStore }) {
  const platformRegistry = platformRepository(deps.tables);
  const { keyIds } = deps;
  return {
    tables: deps.tables,
    queues: deps.queues,
    clock: deps.clock,
    platformRegistry,
    platforms: cachedPlatforms(platformRegistry, () => deps.clock.now().getTime()),
    batches: batchRepository(deps.tables),
    records: recordRepository(deps.tables),
    quarantine: quarantineRepository(deps.tables),
    files: fileRepository(deps.tables),
    accessLog: accessLogRepository(deps.tables),
    protector: personalDataProtector({
      vault: deps.vault,
      dataKeyId: keyIds.data,
      // the exchange never computes lookup hashes, so its functions hold no MAC grant and this is never read
      get lookupKeyId() {
        return keyIds.lookupHash;
      },
    }),
    itemCodes: catalogItemCodes(deps.tables),
    ...(deps.blobs ? { blobs: deps.blobs } : {}),
  };
}

export type ExchangeServices = ReturnType<typeof exchangeServices>;
