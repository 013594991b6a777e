import * as z from 'zod/mini';

/** zod/mini schemas of certificate requests and responses shared by certificate-issue and certificate-query */

export const certificateIdentifierText = z.string().check(z.regex(/^1\.2\.156\.3005\.2\.[0-9A-Z.]{10,120}$/, 'must be a GB/T 36904 identifier (1.2.156.3005.2.…)'));
export const identifierParams = z.object({ identifier: certificateIdentifierText });
export const isoDay = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));
export const usccText = z.string().check(z.regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be a unified social credit code'));
export const holderCodeType = z.enum(['resident-id', 'uscc']);
export const typeCodeText = z.string().check(z.regex(/^[0-9A-Z]{1,40}$/, 'must be 1–40 digits or capital letters'));
export const certificateStatus = z.enum(['valid', 'revoked', 'expired', 'superseded']);

export const certificateView = z.object({
  identifier: z.string(),
  typeCode: z.string(),
  name: z.string(),
  holderName: z.string(),
  holderCodeType,
  holderCode: z.string(),
  issuerName: z.string(),
  issuerUscc: z.string(),
  issueDate: z.string(),
  validFrom: z.string(),
  validUntil: z.optional(z.string()),
  status: certificateStatus,
  statusReason: z.optional(z.string()),
  version: z.number(),
  surface: z.record(z.string(), z.unknown()),
  caseNo: z.optional(z.string()),
  source: z.string(),
});
