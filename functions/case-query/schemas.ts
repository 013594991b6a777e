import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { caseNo, caseNoParams, pageCursor, pageLimit } from '../../shared/http/case-schemas.js';
import { caseListView, caseState, caseView } from '../../shared/http/case-view-schemas.js';
import { itemCode } from '../../shared/http/catalog-schemas.js';

const average = z.nullable(z.number());
const uscc = z.string().check(z.regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be a unified social credit code'));

export const caseQuerySchemas = {
  getCase: {
    params: caseNoParams,
    response: caseView,
  },
  getCaseMaterial: {
    params: z.object({ caseNo, materialId: z.string().check(z.regex(/^[0-9A-Za-z-]{1,64}$/, 'must be the materialId of a material of the case')) }),
    /** the stored type of the material: PDF, JPEG, PNG or OFD */
    produces: '*/*',
    seeOther: 'A material larger than a response can carry (4 MiB): a download URL of the file, valid for 60 seconds',
  },
  listMyCases: {
    query: z.object({ state: z.optional(caseState), limit: z.optional(pageLimit), cursor: z.optional(pageCursor) }),
    response: caseListView,
  },
  getSatisfactionStatistics: {
    query: z.object({ agency: z.optional(uscc), itemCode: z.optional(itemCode) }),
    response: z.object({
      agency: z.optional(z.string()),
      itemCode: z.optional(z.string()),
      evaluations: z.number(),
      averageScore: average,
      dimensions: z.object({ process: average, result: average, efficiency: average }),
      distribution: z.record(z.string(), z.number()),
      badReviews: z.number(),
      rectified: z.number(),
      satisfactionRate: average,
    }),
  },
} as const satisfies OperationSchemas<'case-query'>;
