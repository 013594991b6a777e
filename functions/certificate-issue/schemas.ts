import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { itemCode } from '../../shared/http/catalog-schemas.js';
import { ulidId } from '../../shared/http/common-schemas.js';
import { certificateIdentifierText, certificateView, holderCodeType, identifierParams, isoDay, typeCodeText, usccText } from '../../shared/certificates/certificate-schemas.js';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const certificateIssueSchemas = {
  createCertificateType: {
    body: z.strictObject({
      typeCode: typeCodeText,
      name: text(100),
      issuerDepartment: text(200),
      issuerUscc: usccText,
      sealId: ulidId,
      holderType: z.enum(['natural', 'legal']),
      fields: z.array(z.strictObject({ name: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a field name')), type: z.enum(['string', 'number', 'date']), required: z.boolean() })).check(z.maxLength(50)),
      validityYears: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(100))),
      itemCodes: z.optional(z.array(itemCode).check(z.maxLength(20))),
    }),
    status: 201,
    response: z.object({ typeCode: z.string(), name: z.string(), issuerUscc: z.string(), sealId: z.string(), holderType: z.string(), itemCodes: z.array(z.string()), createdAt: z.string() }),
  },
  issueCertificate: {
    body: z.strictObject({
      typeCode: typeCodeText,
      holder: z.strictObject({ name: text(100), codeType: holderCodeType, code: z.string().check(z.regex(/^[0-9A-Z]{18}$/, 'must be an ID number or USCC')) }),
      surface: z.record(z.string(), z.union([z.string().check(z.maxLength(2000)), z.number()])),
      validFrom: isoDay,
      validUntil: z.optional(isoDay),
      caseNo: z.optional(text(64)),
      previousIdentifier: z.optional(certificateIdentifierText),
    }),
    status: 201,
    response: certificateView,
  },
  revokeCertificate: {
    params: identifierParams,
    body: z.strictObject({ reason: text(500) }),
    response: certificateView,
  },
} as const satisfies OperationSchemas<'certificate-issue'>;
