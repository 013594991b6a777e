import * as z from 'zod/mini';
import { GATEWAY_MAX_BODY_BYTES } from '../../infra/manifest.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { base64Bytes, ulidId } from '../../shared/http/common-schemas.js';
import { CHECKS } from '../../shared/seals/verify-seal-signature.js';
import { MAX_SEAL_BYTES } from '../../shared/seals/seal.js';

const hash = z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of an SM3 or SHA-256 hash'));
const document = base64Bytes(Math.floor((GATEWAY_MAX_BODY_BYTES * 3) / 4));

/** exactly one of document and documentHash */
const oneDocument = (required: boolean) =>
  z.superRefine<{ document?: string; documentHash?: string }>((value, ctx) => {
    if (!value) return;
    if (value.document !== undefined && value.documentHash !== undefined) ctx.addIssue({ code: 'custom', path: ['documentHash'], message: 'give the document or its hash, not both', input: value });
    if (required && value.document === undefined && value.documentHash === undefined) ctx.addIssue({ code: 'custom', path: ['document'], message: 'give the document or its hash', input: value });
  });

const check = z.object({ ok: z.nullable(z.boolean()), reason: z.nullable(z.string()) });

export const sealSignSchemas = {
  signWithSeal: {
    params: z.object({ id: ulidId }),
    body: z
      .strictObject({
        document: z.optional(document),
        documentHash: z.optional(hash),
        hashAlgorithm: z.optional(z.enum(['SM3', 'SHA-256'])),
        propertyInfo: z.string().check(z.minLength(1), z.maxLength(1024), z.regex(/^[\x20-\x7e]*$/, 'must be printable ASCII (an IA5String)')),
      })
      .check(oneDocument(true)),
    response: z.object({ signature: z.string(), signedAt: z.string() }),
  },
  verifySealSignature: {
    body: z.strictObject({ signature: base64Bytes(MAX_SEAL_BYTES), document: z.optional(document), documentHash: z.optional(hash) }).check(oneDocument(false)),
    response: z.object({
      valid: z.boolean(),
      version: z.nullable(z.union([z.literal(1), z.literal(4)])),
      checks: z.object(Object.fromEntries(CHECKS.map((name) => [name, check])) as Record<(typeof CHECKS)[number], typeof check>),
      signedAt: z.optional(z.string()),
      esID: z.optional(z.string()),
      sealName: z.optional(z.string()),
      signer: z.optional(z.string()),
      sealStatus: z.optional(z.enum(['active', 'suspended', 'revoked', 'expired'])),
    }),
  },
} as const satisfies OperationSchemas<'seal-sign'>;
