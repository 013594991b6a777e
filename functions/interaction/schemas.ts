import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { itemCode, regionCode } from '../../shared/http/catalog-schemas.js';
import { pageLimit } from '../../shared/http/common-schemas.js';
import { INTERACTION_ACTIONS, INTERACTION_KINDS, MAX_CONTENT_CHARS } from '../../shared/interactions/interaction-flows.js';

const uscc = z.string().check(z.regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be a unified social credit code'));
/** plain text, kept and returned as JSON string data; never rendered */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max, `must be at most ${max} characters`));
const idParams = z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an interaction id')) });

const interactionView = z.object({
  id: z.string(),
  kind: z.enum(INTERACTION_KINDS),
  state: z.string(),
  stateLabel: z.string(),
  agency: z.string(),
  routedBy: z.enum(['item', 'case', 'agency']),
  itemCode: z.optional(z.string()),
  caseNo: z.optional(z.string()),
  region: z.optional(z.string()),
  title: z.string(),
  content: z.string(),
  attachments: z.array(z.string()),
  anonymous: z.boolean(),
  submittedAt: z.string(),
  dueAt: z.optional(z.string()),
  confirmBy: z.optional(z.string()),
  reopens: z.number(),
  replies: z.array(z.object({ by: z.enum(['staff', 'submitter', 'system']), action: z.optional(z.string()), content: z.string(), at: z.string() })),
});
const interactionList = z.object({ interactions: z.array(interactionView) });

export const interactionSchemas = {
  submitInteraction: {
    body: z.object({
      kind: z.enum(INTERACTION_KINDS),
      itemCode: z.optional(itemCode),
      caseNo: z.optional(z.string().check(z.maxLength(64))),
      agency: z.optional(uscc),
      region: z.optional(regionCode),
      title: text(200),
      content: text(MAX_CONTENT_CHARS),
      attachments: z.optional(z.array(z.string().check(z.maxLength(200))).check(z.maxLength(10))),
      anonymous: z.optional(z.boolean()),
    }),
    response: interactionView,
    status: 201,
  },
  findAnsweredConsults: {
    query: z.object({ itemCode, q: z.optional(z.string().check(z.maxLength(500))), limit: pageLimit }),
    response: z.object({ consults: z.array(z.object({ id: z.string(), itemCode: z.string(), question: z.string(), answer: z.string(), answeredAt: z.string() })) }),
  },
  listMyInteractions: { query: z.object({ limit: pageLimit }), response: interactionList },
  listAgencyInteractions: { query: z.object({ limit: pageLimit }), response: interactionList },
  replyToInteraction: { params: idParams, body: z.object({ content: text(MAX_CONTENT_CHARS) }), response: interactionView, status: 201 },
  actOnInteraction: {
    params: idParams,
    body: z.object({ action: z.enum(INTERACTION_ACTIONS), comment: z.optional(text(MAX_CONTENT_CHARS)) }),
    response: interactionView,
  },
} as const satisfies OperationSchemas<'interaction'>;
