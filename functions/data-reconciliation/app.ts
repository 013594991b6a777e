import { closeDueBatches } from '../../shared/exchange/close-batch.js';
import { exchangeCaller } from '../../shared/exchange/exchange-access.js';
import { exchangeServices } from '../../shared/exchange/exchange-services.js';
import { loadExchangeSettings, type ExchangeSettings } from '../../shared/exchange/exchange-settings.js';
import { listQuarantine, resubmitQuarantined } from '../../shared/exchange/quarantine-cases.js';
import { getBatchReport, getDayReconciliation, requestBatchClose } from '../../shared/exchange/read-batches.js';
import type { Principal } from '../../shared/auth/principal.js';
import { createApiHandler } from '../../shared/http/api-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { withSchedule } from '../../shared/runtime/scheduled-event.js';
import { dataReconciliationSchemas } from './schemas.js';
import { dataReconciliationFunction } from '../../infra/manifest.js';

/** Reconciliation (对账) of exchanged batches and their quarantine (GB/T 39047 §6.3.5 b), and the batch closer. */
export type DataReconciliationDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues' | 'vault'>;

export function createHandler(deps: DataReconciliationDependencies, settings: ExchangeSettings = loadExchangeSettings()) {
  const services = exchangeServices(deps);
  const callerOf = (principal: Principal | undefined) => exchangeCaller(services, principal!);

  const api = createApiHandler(dataReconciliationFunction, dataReconciliationSchemas, deps, {
    getExchangeBatch: async ({ params, query, principal }) => ({
      body: await getBatchReport(services, await callerOf(principal), { batchId: params.batchId, ...(query.source ? { source: query.source } : {}) }),
    }),
    closeExchangeBatch: async ({ params, query, principal }) => ({
      body: await requestBatchClose(services, await callerOf(principal), { batchId: params.batchId, ...(query.source ? { source: query.source } : {}) }),
    }),
    getExchangeReconciliation: async ({ query, principal }) => ({
      body: await getDayReconciliation(services, await callerOf(principal), { dataset: query.dataset, date: query.date, ...(query.source ? { source: query.source } : {}) }),
    }),
    listExchangeQuarantine: async ({ query, principal }) => ({
      body: await listQuarantine(services, await callerOf(principal), {
        limit: query.limit ?? 100,
        ...(query.source ? { source: query.source } : {}),
        ...(query.batchId ? { batchId: query.batchId } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    }),
    resubmitQuarantinedRecord: async ({ params, body, principal }) => ({
      body: await resubmitQuarantined(services, await callerOf(principal), { entryId: params.entryId, data: body.data }),
    }),
  });

  return withSchedule(api, async () => {
    const { closed, resultsSent } = await closeDueBatches(services, settings);
    if (closed > 0 || resultsSent > 0) deps.logger.info('exchange batches closed', { closed, resultsSent });
  });
}
