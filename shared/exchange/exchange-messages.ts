import * as z from 'zod/mini';
import { isoDateTime, sha256Hex } from '../http/common-schemas.js';
import { DATASET_NAMES } from './dataset-names.js';

/**
 * The messages of the exchange queues (GB/T 39047 §6.3.5): what regional and departmental
 * platforms put on `exchange-inbound`, and what we put on each platform's outbound queue.
 * events/schemas/exchange-*.schema.json are generated from these; events/exchange.md explains them.
 */

/** platform ids: lower-case letters, digits and dashes, as registered */
export const platformId = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2 to 63 lower-case letters, digits and dashes'));

/** batch and record ids: no ':' (the digest line separator), '#' or whitespace */
const exchangeId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit'));
export const batchId = exchangeId;
export const recordId = exchangeId;

export const MAX_RECORDS_PER_MESSAGE = 1000;
export const MAX_SEQ = 1_000_000;

const version = z.number().check(z.int(), z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
const seq = z.number().check(z.int(), z.minimum(1), z.maximum(MAX_SEQ));
export const datasetName = z.enum(DATASET_NAMES);

/** A detached JWS (RFC 7515 appendix F) over the canonical message; see envelope-signature.ts. */
const signature = z.string().check(z.regex(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/, 'must be a detached JWS: <header>..<signature>'));

/** One record of a batch: `data` is checked against its dataset's rules record by record. */
export const exchangeRecord = z.strictObject({
  id: recordId,
  op: z.enum(['upsert', 'delete']),
  /** the sender's version of the record; a lower version never overwrites a higher one */
  version,
  /** the record's fields (schema of the dataset); required for upsert, ignored for delete */
  data: z.optional(z.record(z.string(), z.unknown())),
});

/** Records of one batch; a batch spans any number of these, numbered by `seq` from 1. */
export const recordEnvelope = z.strictObject({
  kind: z.optional(z.literal('records')),
  source: platformId,
  dataset: datasetName,
  batchId,
  seq,
  sentAt: isoDateTime,
  records: z.array(exchangeRecord).check(z.minLength(1), z.maxLength(MAX_RECORDS_PER_MESSAGE)),
  signature: z.optional(signature),
});

/**
 * What the sender declares about a batch. `digest` is the hex SHA-256 of the lines "id:version",
 * one per record, sorted by id and then by version, joined with "\n", without a trailing newline.
 */
export const batchManifest = z.strictObject({
  kind: z.literal('manifest'),
  source: platformId,
  dataset: datasetName,
  batchId,
  recordCount: z.number().check(z.int(), z.minimum(0), z.maximum(10_000_000)),
  digest: sha256Hex,
  /** how many record messages (seq 1..messageCount) the batch has: lets us name lost messages, even the last ones */
  messageCount: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_SEQ))),
  sentAt: z.optional(isoDateTime),
  signature: z.optional(signature),
});

/** Sent by the data-sharing function itself: process an exchange file the source uploaded (POST /v1/exchange/files). */
export const fileSubmitted = z.strictObject({
  kind: z.literal('file'),
  source: platformId,
  fileId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a file id issued by this platform')),
});

export type ExchangeRecord = z.infer<typeof exchangeRecord>;
export type RecordEnvelope = z.infer<typeof recordEnvelope>;
export type BatchManifest = z.infer<typeof batchManifest>;
export type FileSubmitted = z.infer<typeof fileSubmitted>;
export type InboundMessage = RecordEnvelope | BatchManifest | FileSubmitted;

/** One change of a dataset, as a subscribed consumer receives it (personal fields masked unless granted). */
export const changedRecord = z.object({
  id: recordId,
  op: z.enum(['upsert', 'delete']),
  version,
  updatedAt: isoDateTime,
  data: z.optional(z.record(z.string(), z.unknown())),
});

/** Table exchange: the changes of one source's dataset, on a subscribed consumer's outbound queue. */
export const datasetChanges = z.object({
  kind: z.literal('changes'),
  dataset: datasetName,
  source: platformId,
  sentAt: isoDateTime,
  changes: z.array(changedRecord),
});

/** counts of a batch reconciliation (对账); `missing` and `declared` are null while no manifest arrived */
export const reconciliationCounts = z.object({
  declared: z.nullable(z.number()),
  received: z.number(),
  accepted: z.number(),
  duplicate: z.number(),
  rejected: z.number(),
  missing: z.nullable(z.number()),
  late: z.number(),
  /** 1 when the digest of what arrived differs from the declared one although the counts agree */
  mismatch: z.number(),
  /** rejected records fixed since through the quarantine */
  resolved: z.number(),
});

/** what the source must send again: lost messages by seq, rejected records to fix */
export const resendList = z.object({
  seqs: z.array(z.number()),
  records: z.array(z.object({ id: recordId, version, reasons: z.array(z.object({ field: z.string(), message: z.string() })) })),
  /** more rejected records than a message holds: read the quarantine */
  truncated: z.boolean(),
});

/** Sent to the source when one of its batches closes. */
export const reconciliationResult = z.object({
  kind: z.literal('reconciliation-result'),
  source: platformId,
  dataset: datasetName,
  batchId,
  closedAt: isoDateTime,
  counts: reconciliationCounts,
  digestMatches: z.nullable(z.boolean()),
  resend: resendList,
});

export type DatasetChanges = z.infer<typeof datasetChanges>;
export type ReconciliationCounts = z.infer<typeof reconciliationCounts>;
export type ResendList = z.infer<typeof resendList>;
export type ReconciliationResult = z.infer<typeof reconciliationResult>;
