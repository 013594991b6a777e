import * as z from 'zod/mini';
import { batchId, datasetName, platformId, recordId } from '../../shared/exchange/exchange-messages.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { isoDateTime, pageCursor, pageLimit, ulidId } from '../../shared/http/common-schemas.js';

const jwk = z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)), y: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)), kid: z.string().check(z.minLength(1), z.maxLength(128)) });
const grant = z.strictObject({ dataset: datasetName, subscribe: z.boolean(), clearFields: z.array(z.string().check(z.maxLength(100))).check(z.maxLength(20)) });

const registration = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  accountIds: z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(20)),
  outboundQueue: z.optional(z.string().check(z.maxLength(80))),
  source: z.optional(z.strictObject({ datasets: z.array(datasetName).check(z.minLength(1)), signingKeys: z.optional(z.array(jwk).check(z.minLength(1), z.maxLength(5))) })),
  consumer: z.optional(z.strictObject({ grants: z.array(grant).check(z.maxLength(10)) })),
});

const platform = z.object({
  platformId: z.string(),
  name: z.string(),
  accountIds: z.array(z.string()),
  outboundQueue: z.optional(z.string()),
  source: z.optional(z.object({ datasets: z.array(datasetName), signingKeys: z.optional(z.array(jwk)) })),
  consumer: z.optional(z.object({ grants: z.array(grant) })),
  updatedAt: z.string(),
  version: z.number(),
});

const sharedRecord = z.object({ id: z.string(), version: z.number(), updatedAt: z.string(), data: z.record(z.string(), z.unknown()) });

export const dataSharingSchemas = {
  getSharedData: {
    params: z.object({ dataset: datasetName }),
    query: z.object({ source: platformId, id: z.optional(recordId), updatedSince: z.optional(isoDateTime), limit: pageLimit, cursor: pageCursor }),
    response: z.object({ dataset: datasetName, source: z.string(), records: z.array(sharedRecord), nextCursor: z.optional(z.string()) }),
  },
  submitExchangeFile: {
    status: 202,
    body: z.strictObject({ blobId: ulidId, dataset: datasetName, batchId: z.optional(batchId) }),
    response: z.object({
      fileId: z.string(),
      source: z.string(),
      dataset: datasetName,
      batchId: z.string(),
      format: z.enum(['csv', 'json']),
      submittedAt: z.string(),
      state: z.enum(['queued', 'processed', 'failed']),
    }),
  },
  exportExchangeFile: {
    params: z.object({ dataset: datasetName }),
    query: z.object({ source: platformId, format: z.optional(z.enum(['csv', 'json'])), updatedSince: z.optional(isoDateTime), cursor: pageCursor }),
    produces: 'text/csv',
  },
  putExchangePlatform: {
    params: z.object({ platformId }),
    body: registration,
    response: platform,
  },
  getExchangePlatform: {
    params: z.object({ platformId }),
    response: platform,
  },
  listSharedDataAccess: {
    query: z.object({ date: z.string().check(z.iso.date()), consumer: z.optional(platformId), limit: pageLimit, cursor: pageCursor }),
    response: z.object({
      entries: z.array(
        z.object({
          at: z.string(),
          requestId: z.string(),
          consumer: z.string(),
          actor: z.string(),
          operation: z.enum(['read', 'export']),
          dataset: datasetName,
          source: z.string(),
          query: z.record(z.string(), z.string()),
          recordCount: z.number(),
          recordIds: z.array(z.string()),
          clearFields: z.array(z.string()),
        }),
      ),
      nextCursor: z.optional(z.string()),
    }),
  },
} as const satisfies OperationSchemas<'data-sharing'>;
