import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { isoDateTime, sha256Hex, ulidId } from '../../shared/http/common-schemas.js';
import { MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPES } from '../../shared/uploads/upload-policy.js';

const fileName = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(255),
    z.refine((name) => !/[\\/\u0000-\u001f\u007f]/.test(name) && name !== '.' && name !== '..', 'must be a plain file name without path or control characters'),
  );

const uploadState = z.object({
  blobId: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  state: z.enum(['pending', 'stored']),
  createdAt: z.string(),
});

export const discoverySchemas = {
  getHealth: {
    response: z.object({
      status: z.enum(['ok', 'degraded']),
      checks: z.record(z.string(), z.enum(['ok', 'error'])),
      checkedAt: z.string(),
    }),
  },
  getOpenIdConfiguration: {
    response: z.object({
      issuer: z.string(),
      jwks_uri: z.string(),
      token_endpoint: z.string(),
      grant_types_supported: z.array(z.string()),
      id_token_signing_alg_values_supported: z.array(z.string()),
      token_endpoint_auth_methods_supported: z.array(z.string()),
      subject_types_supported: z.array(z.string()),
      backchannel_logout_supported: z.boolean(),
      backchannel_logout_session_supported: z.boolean(),
    }),
  },
  getJwks: {
    response: z.object({
      keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string(), kid: z.string(), use: z.string(), alg: z.string() })),
    }),
  },
  createUpload: {
    status: 201,
    body: z.strictObject({
      fileName,
      contentType: z.enum(UPLOAD_CONTENT_TYPES),
      size: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_UPLOAD_BYTES)),
      sha256: sha256Hex,
    }),
    response: z.object({ blobId: z.string(), uploadUrl: z.string(), expiresAt: isoDateTime, headers: z.record(z.string(), z.string()) }),
  },
  getUpload: {
    params: z.object({ blobId: ulidId }),
    response: uploadState,
  },
} as const satisfies OperationSchemas<'discovery'>;
