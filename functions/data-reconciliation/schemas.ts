import * as z from 'zod/mini';
import { batchId, datasetName, platformId, reconciliationCounts, resendList } from '../../shared/exchange/exchange-messages.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { pageCursor, pageLimit } from '../../shared/http/common-schemas.js';

const sourceQuery = z.object({ source: z.optional(platformId) });
const fieldIssue = z.object({ field: z.string(), message: z.string() });

const batchReport = z.object({
  source: z.string(),
  dataset: datasetName,
  batchId: z.string(),
  state: z.enum(['open', 'closed']),
  day: z.string(),
  firstSeenAt: z.string(),
  lastActivityAt: z.string(),
  closedAt: z.optional(z.string()),
  closedBy: z.optional(z.string()),
  manifest: z.nullable(z.object({ recordCount: z.number(), digest: z.string(), messageCount: z.optional(z.number()), receivedAt: z.string() })),
  counts: reconciliationCounts,
  digest: z.object({ declared: z.nullable(z.string()), received: z.string(), matches: z.nullable(z.boolean()) }),
  resend: resendList,
});

const quarantineEntry = z.object({
  entryId: z.string(),
  kind: z.enum(['record', 'message']),
  source: z.string(),
  batchId: z.optional(z.string()),
  dataset: z.optional(datasetName),
  seq: z.optional(z.number()),
  recordId: z.optional(z.string()),
  version: z.optional(z.number()),
  op: z.optional(z.enum(['upsert', 'delete'])),
  data: z.optional(z.record(z.string(), z.unknown())),
  reason: z.string(),
  issues: z.array(fieldIssue),
  receivedAt: z.string(),
  state: z.enum(['open', 'resolved']),
  resolvedAt: z.optional(z.string()),
  resolvedBy: z.optional(z.string()),
});

export const dataReconciliationSchemas = {
  getExchangeBatch: {
    params: z.object({ batchId }),
    query: sourceQuery,
    response: batchReport,
  },
  closeExchangeBatch: {
    params: z.object({ batchId }),
    query: sourceQuery,
    response: batchReport,
  },
  getExchangeReconciliation: {
    query: z.object({ source: z.optional(platformId), dataset: datasetName, date: z.string().check(z.iso.date()) }),
    response: z.object({
      source: z.string(),
      dataset: datasetName,
      date: z.string(),
      status: z.enum(['empty', 'open', 'balanced', 'discrepancies']),
      totals: reconciliationCounts,
      batches: z.array(z.object({ batchId: z.string(), state: z.enum(['open', 'closed']), closedAt: z.optional(z.string()), counts: reconciliationCounts })),
    }),
  },
  listExchangeQuarantine: {
    query: z.object({ source: z.optional(platformId), batchId: z.optional(batchId), limit: pageLimit, cursor: pageCursor }),
    response: z.object({ entries: z.array(quarantineEntry), nextCursor: z.optional(z.string()) }),
  },
  resubmitQuarantinedRecord: {
    params: z.object({ entryId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,700}$/, 'must be an entry id from the quarantine')) }),
    body: z.strictObject({ data: z.record(z.string(), z.unknown()) }),
    response: z.object({ entryId: z.string(), state: z.literal('resolved'), applied: z.boolean() }),
  },
} as const satisfies OperationSchemas<'data-reconciliation'>;
