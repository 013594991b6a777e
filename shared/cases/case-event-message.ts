import * as z from 'zod/mini';

/**
 * A case change as the case-events queue carries it (the change event without the partner's
 * message): what an in-app inbox or another subscriber reads. No personal data.
 */
export const caseEventMessage = z.object({
  eventId: z.string(),
  caseNo: z.string(),
  version: z.number().check(z.int(), z.minimum(1)),
  itemCode: z.string(),
  itemName: z.string(),
  /** USCC of the handling agency */
  agency: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  previousState: z.optional(z.string()),
  action: z.string(),
  /** applicant, delegate, staff, system or platform:<id> */
  actor: z.string(),
  at: z.string(),
  comment: z.optional(z.string()),
  /** the applicant's account, who should be told */
  recipient: z.optional(z.string()),
  /** GB/T 2260 code of the implementing region */
  region: z.optional(z.string()),
  /** natural, legal or organization: the applicant's subject type (no one's identity) */
  applicantType: z.optional(z.string()),
});

export type CaseEventMessage = z.infer<typeof caseEventMessage>;
