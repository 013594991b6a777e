import * as z from 'zod/mini';
import { mobileProblem, normalizeMobile } from '../../shared/codes/phone.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { caseNoParams, evaluationView, materialReference, materialView } from '../../shared/http/case-schemas.js';
import { itemCode, regionCode } from '../../shared/http/catalog-schemas.js';
import { ulidId } from '../../shared/http/common-schemas.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const mobile = z.string().check(z.maxLength(20), z.overwrite(normalizeMobile), z.refine((value) => mobileProblem(value) === undefined, 'must be a mainland China mobile number (11 digits starting with 13–19)'));
const rating = z.number().check(z.int(), z.minimum(1), z.maximum(5));

export const caseSubmissionSchemas = {
  submitCase: {
    status: 201,
    body: z.strictObject({
      itemCode,
      region: regionCode,
      applicant: z.optional(z.strictObject({ contactPhone: z.optional(mobile) })),
      onBehalfOf: z.optional(ulidId),
      form: z._default(z.record(z.string(), z.unknown()), {}),
      materials: z._default(z.array(materialReference).check(z.maxLength(50)), []),
      delivery: z.strictObject({ method: z.enum(['pickup', 'express']), address: z.optional(text(500)) }),
    }),
    response: z.object({ caseNo: z.string(), state: z.string(), dueDate: z.string() }),
  },
  addCaseMaterial: {
    status: 201,
    params: caseNoParams,
    body: materialReference,
    response: materialView,
  },
  supplementCase: {
    params: caseNoParams,
    body: z.strictObject({
      comment: z.optional(text(2000)),
      materials: z._default(z.array(materialReference).check(z.maxLength(50)), []),
      form: z.optional(z.record(z.string(), z.unknown())),
    }),
    response: z.object({ caseNo: z.string(), state: z.string(), version: z.number(), dueDate: z.string() }),
  },
  evaluateCase: {
    status: 201,
    params: caseNoParams,
    body: z.strictObject({
      score: rating,
      dimensions: z.strictObject({ process: rating, result: rating, efficiency: rating }),
      comment: z.optional(text(500)),
    }),
    response: evaluationView,
  },
} as const satisfies OperationSchemas<'case-submission'>;
