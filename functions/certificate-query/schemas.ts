import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { base64Bytes, ulidId } from '../../shared/http/common-schemas.js';
import { certificateIdentifierText, certificateStatus, certificateView, holderCodeType, identifierParams, typeCodeText, usccText } from '../../shared/certificates/certificate-schemas.js';

const MAX_FILE_BYTES = 512 * 1024;
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** why a relying agency reads (GB/T 36906 useCause) and for which case */
const useReason = { useCause: z.optional(text(200)), caseNo: z.optional(text(64)) };

const usageGrant = z.object({
  grantId: z.string(),
  identifier: z.string(),
  agency: z.string(),
  caseNo: z.optional(z.string()),
  validUntil: z.string(),
  grantedAt: z.string(),
  revokedAt: z.optional(z.string()),
});

export const certificateQuerySchemas = {
  getCertificate: {
    params: identifierParams,
    query: z.object(useReason),
    response: certificateView,
  },
  queryCertificates: {
    query: z.object({ holderCode: z.string().check(z.regex(/^[0-9A-Z]{18}$/, 'must be an ID number or USCC')), holderCodeType: z.optional(holderCodeType), typeCode: z.optional(typeCodeText), ...useReason }),
    response: z.object({ certificates: z.array(certificateView) }),
  },
  getCertificateFile: {
    params: identifierParams,
    query: z.object(useReason),
    response: z.object({ document: z.string(), signature: z.string() }),
  },
  verifyCertificate: {
    body: z.union([
      z.strictObject({ identifier: certificateIdentifierText }),
      z.strictObject({ file: z.strictObject({ document: base64Bytes(MAX_FILE_BYTES), signature: base64Bytes(64 * 1024) }) }),
    ]),
    response: z.object({
      valid: z.boolean(),
      identifier: z.optional(z.string()),
      authenticity: z.boolean(),
      integrity: z.boolean(),
      status: z.optional(certificateStatus),
    }),
  },
  getWallet: {
    query: z.object({ include: z.optional(z.enum(['history'])) }),
    response: z.object({ types: z.array(z.object({ typeCode: z.string(), name: z.string(), certificates: z.array(certificateView) })) }),
  },
  grantCertificateUse: {
    params: identifierParams,
    body: z.strictObject({ agency: usccText, caseNo: z.optional(text(64)), validUntil: z.string().check(z.iso.datetime({ offset: true })) }),
    status: 201,
    response: usageGrant,
  },
  revokeCertificateUse: {
    params: z.object({ identifier: certificateIdentifierText, grantId: ulidId }),
    response: z.object({ grantId: z.string(), revokedAt: z.string() }),
  },
  getCertificateUsageLog: {
    params: identifierParams,
    response: z.object({
      grants: z.array(usageGrant),
      uses: z.array(
        z.object({
          at: z.string(),
          user: z.string(),
          agency: z.optional(z.string()),
          operation: z.string(),
          useCause: z.optional(z.string()),
          caseNo: z.optional(z.string()),
          outcome: z.enum(['allowed', 'refused']),
          reason: z.optional(z.string()),
          grantId: z.optional(z.string()),
        }),
      ),
    }),
  },
} as const satisfies OperationSchemas<'certificate-query'>;
