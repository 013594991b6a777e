import * as z from 'zod/mini';
import { usccProblem } from '../../shared/codes/uscc.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { base64Bytes, isoDateTime, pageLimit, ulidId } from '../../shared/http/common-schemas.js';
import { MAX_SEAL_BYTES, SEAL_TYPES } from '../../shared/seals/seal.js';

/** the largest seal picture: real seal images are a few tens of KB */
export const MAX_PICTURE_BYTES = 100 * 1024;

const uscc = z.string().check(
  z.trim(),
  z.toUpperCase(),
  z.length(18),
  z.superRefine((value, ctx) => {
    const problem = usccProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  }),
);
const sealName = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));
const millimetres = z.number().check(z.int(), z.minimum(10), z.maximum(100));
const picture = z.strictObject({ png: base64Bytes(MAX_PICTURE_BYTES), widthMm: millimetres, heightMm: millimetres });
const algorithm = z.enum(['SM2', 'P-256']);
const reason = z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500)));

const statusChange = z.object({ status: z.enum(['applied', 'active', 'suspended', 'revoked']), at: z.string() });
export const sealViewSchema = z.object({
  sealId: z.string(),
  source: z.enum(['platform', 'imported']),
  status: z.enum(['applied', 'active', 'suspended', 'revoked']),
  publishedStatus: z.optional(z.enum(['active', 'suspended', 'revoked', 'expired'])),
  ownerUscc: z.string(),
  ownerName: z.string(),
  type: z.enum([...SEAL_TYPES, 'external']),
  name: z.string(),
  algorithm,
  validFrom: z.string(),
  validTo: z.string(),
  esID: z.optional(z.string()),
  sealVersion: z.number(),
  certificate: z.optional(z.string()),
  picture: z.optional(z.object({ widthMm: z.number(), heightMm: z.number() })),
  replaces: z.optional(z.string()),
  replacedBy: z.optional(z.string()),
  statusHistory: z.array(statusChange),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const sealParams = z.object({ id: ulidId });

export const sealAdminSchemas = {
  initialiseSealAuthority: {
    status: 201,
    body: z.strictObject({ algorithm, name: z.string().check(z.trim(), z.minLength(2), z.maxLength(64)) }),
    response: z.object({ algorithm, name: z.string(), root: z.string(), maker: z.string(), createdAt: z.string() }),
  },
  getSealTrust: {
    response: z.object({
      algorithm: z.string(),
      root: z.string(),
      maker: z.string(),
      anchors: z.array(z.object({ fingerprint: z.string(), subject: z.string(), certificate: z.string(), source: z.enum(['configured', 'registered']), addedAt: z.optional(z.string()) })),
    }),
  },
  addSealTrustAnchor: {
    status: 201,
    body: z.strictObject({ certificate: base64Bytes(64 * 1024) }),
    response: z.object({ fingerprint: z.string(), subject: z.string(), addedAt: z.string() }),
  },
  applyForSeal: {
    status: 201,
    body: z.strictObject({ ownerUscc: uscc, type: z.enum(SEAL_TYPES), name: sealName, picture, validFrom: isoDateTime, validTo: isoDateTime, algorithm }),
    response: sealViewSchema,
  },
  importSeal: {
    status: 201,
    body: z.strictObject({ seal: base64Bytes(MAX_SEAL_BYTES), ownerUscc: z.optional(uscc) }),
    response: sealViewSchema,
  },
  getSeal: { params: sealParams, response: sealViewSchema },
  getSealEsl: { params: sealParams, produces: 'application/octet-stream' },
  actOnSeal: {
    params: sealParams,
    body: z.discriminatedUnion('action', [
      z.strictObject({ action: z.literal('make') }),
      z.strictObject({ action: z.literal('change'), name: z.optional(sealName), picture: z.optional(picture) }),
      z.strictObject({ action: z.literal('report-lost'), reason }),
      z.strictObject({ action: z.literal('cancel'), reason }),
      z.strictObject({ action: z.literal('renew'), validTo: isoDateTime }),
      z.strictObject({ action: z.literal('replace'), name: z.optional(sealName), picture: z.optional(picture), validTo: z.optional(isoDateTime) }),
    ]),
    response: sealViewSchema,
  },
  getSealStatusList: {
    query: z.object({
      cursor: z.optional(ulidId),
      size: pageLimit,
    }),
    response: z.object({
      issuer: z.string(),
      issuedAt: z.string(),
      items: z.array(z.object({ sealId: z.string(), esID: z.string(), status: z.enum(['active', 'suspended', 'revoked', 'expired']), changedAt: z.string() })),
      nextCursor: z.optional(z.string()),
      signature: z.object({ algorithm: z.string(), certificate: z.string(), value: z.string() }),
    }),
  },
  testSealConformance: {
    body: z.strictObject({ seal: z.optional(base64Bytes(MAX_SEAL_BYTES)), signature: z.optional(base64Bytes(MAX_SEAL_BYTES)) }).check(
      z.superRefine((value, ctx) => {
        if (value && value.seal === undefined && value.signature === undefined) ctx.addIssue({ code: 'custom', path: ['seal'], message: 'give a seal, a signature or both', input: value });
      }),
    ),
    response: z.object({
      conformant: z.boolean(),
      findings: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning', 'info']), message: z.string() })),
    }),
  },
} as const satisfies OperationSchemas<'seal-admin'>;
