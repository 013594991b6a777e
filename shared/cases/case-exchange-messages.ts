import * as z from 'zod/mini';
import { isoDateTime, sha256Hex } from '../http/common-schemas.js';
import { STANDARD_CASE_WORKFLOW } from './case-workflows.js';

/**
 * The envelope of cases exchanged with other platforms (GB/T 39047 6.2.3), version 1: a case
 * forwarded to the platform that handles it, and the updates both sides send about it. Each side
 * numbers its messages about one case 1, 2, 3, ... (`seq`); a receiver drops a sequence number it
 * has seen (duplicates), and an update older than the newest it applied only adds its timeline
 * entry (out of order). events/case-exchange.md explains the flow; the JSON schema in
 * events/schemas/case-exchange-message.schema.json is generated from this one.
 */

const platformId = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2 to 63 lower-case letters, digits and dashes'));
const caseNo = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'must be 1 to 64 letters, digits and dashes'));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** the states of the standard case workflow: both sides speak this vocabulary */
export const exchangeState = z.enum(Object.keys(STANDARD_CASE_WORKFLOW.states) as [string, ...string[]]);

const header = {
  schema: z.literal('case-exchange/1'),
  /** unique per message of the sender */
  messageId: text(128),
  source: platformId,
  target: platformId,
  /** the case number at the platform where it was submitted: both sides name the case by it */
  originCaseNo: caseNo,
  seq: z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)),
  sentAt: isoDateTime,
};

const timelineEntry = z.strictObject({ at: isoDateTime, state: exchangeState, action: text(40), actor: text(80), comment: z.optional(text(2000)) });

export const caseForwarded = z.strictObject({
  ...header,
  kind: z.literal('case-forwarded'),
  case: z.strictObject({
    itemCode: z.string().check(z.regex(/^[A-Z]{2}-[A-Z]{2}-\d{4}$/, 'must be a basic catalog item code')),
    itemName: text(200),
    region: z.string().check(z.regex(/^\d{6}$/, 'must be a GB/T 2260 region code')),
    applicant: z.strictObject({
      subjectType: z.enum(['natural', 'legal', 'organization']),
      name: text(200),
      idType: z.optional(text(40)),
      idNumber: z.optional(text(64)),
      phone: z.optional(z.string().check(z.regex(/^\+?\d{5,20}$/, 'must be a phone number'))),
    }),
    form: z.record(z.string(), z.unknown()),
    materials: z.array(z.strictObject({ name: text(200), contentType: text(100), size: z.number().check(z.int(), z.minimum(0)), sha256: sha256Hex })).check(z.maxLength(100)),
    delivery: z.strictObject({ method: z.enum(['pickup', 'express']), address: z.optional(text(500)) }),
    submittedAt: isoDateTime,
    /** what happened at the origin before the forward */
    timeline: z.array(timelineEntry).check(z.maxLength(200)),
  }),
});

export const caseUpdated = z.strictObject({
  ...header,
  kind: z.literal('case-updated'),
  /** the case number at the handling platform, once it has one */
  handlerCaseNo: z.optional(caseNo),
  update: z.strictObject({
    at: isoDateTime,
    action: text(40),
    state: exchangeState,
    actor: text(80),
    comment: z.optional(text(2000)),
    reason: z.optional(text(2000)),
    result: z.optional(z.strictObject({ kind: z.enum(['certificate', 'document']), title: text(200), number: z.optional(text(100)) })),
    express: z.optional(
      z.strictObject({
        carrier: text(100),
        trackingNo: text(100),
        events: z.array(z.strictObject({ at: isoDateTime, description: text(500), location: z.optional(text(200)) })).check(z.maxLength(100)),
      }),
    ),
  }),
});

export const caseExchangeMessage = z.discriminatedUnion('kind', [caseForwarded, caseUpdated]);

export type CaseForwarded = z.infer<typeof caseForwarded>;
export type CaseUpdated = z.infer<typeof caseUpdated>;
export type CaseExchangeMessage = z.infer<typeof caseExchangeMessage>;
