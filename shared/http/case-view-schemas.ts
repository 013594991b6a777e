import * as z from 'zod/mini';
import { STANDARD_CASE_WORKFLOW } from '../cases/case-workflows.js';
import { evaluationView, materialView } from './case-schemas.js';
import { agencyView } from './catalog-schemas.js';

/** Cases as the query and handling functions answer them. */

export const caseState = z.enum(Object.keys(STANDARD_CASE_WORKFLOW.states) as [string, ...string[]]);

const expressEvent = z.object({ at: z.string(), description: z.string(), location: z.optional(z.string()) });
export const expressView = z.object({ carrier: z.string(), trackingNo: z.string(), events: z.array(expressEvent), updatedAt: z.string() });

const summaryFields = {
  caseNo: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  agency: agencyView,
  state: z.string(),
  stateLabel: z.string(),
  version: z.number(),
  submittedAt: z.string(),
  dueDate: z.string(),
  dueAt: z.string(),
  remainingWorkingDays: z.number(),
};

export const caseSummaryView = z.object({ ...summaryFields, applicantName: z.string() });
export const caseListView = z.object({ cases: z.array(caseSummaryView), nextCursor: z.optional(z.string()) });

/** a case as GET /v1/cases/{caseNo} and staff actions answer it */
export const caseView = z.object({
  ...summaryFields,
  region: z.string(),
  applicant: z.object({ name: z.string(), subjectType: z.string(), idNumber: z.optional(z.string()), phone: z.optional(z.string()) }),
  submittedByDelegate: z.boolean(),
  clockPaused: z.boolean(),
  timeline: z.array(z.object({ at: z.string(), state: z.string(), action: z.string(), actor: z.string(), comment: z.optional(z.string()) })),
  materials: z.array(materialView),
  form: z.record(z.string(), z.unknown()),
  delivery: z.object({ method: z.enum(['pickup', 'express']), address: z.optional(z.string()) }),
  decision: z.optional(z.object({ outcome: z.enum(['approved', 'denied', 'rejected']), reason: z.optional(z.string()), at: z.string() })),
  result: z.optional(z.object({ kind: z.enum(['certificate', 'document']), title: z.string(), number: z.optional(z.string()) })),
  express: z.optional(expressView),
  evaluation: z.optional(evaluationView),
  exchange: z.optional(z.object({ partner: z.string(), role: z.enum(['origin', 'handler']), originCaseNo: z.string() })),
});
