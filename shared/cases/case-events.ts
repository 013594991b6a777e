import type { ActorRole } from './case-model.js';

/**
 * A change of a case that others must hear of: the applicant (SMS and the in-app inbox), and the
 * platform the case is exchanged with. Written in the transaction of the change (an outbox), then
 * published; a change whose publication failed is published again by the supervision schedule.
 * Every consumer drops duplicates by `eventId`.
 */
export interface CaseChangeEvent {
  /** `<caseNo>#<version>`: one per version of a case */
  readonly eventId: string;
  readonly caseNo: string;
  readonly version: number;
  readonly itemCode: string;
  readonly itemName: string;
  readonly agency: string;
  readonly state: string;
  readonly stateLabel: string;
  readonly previousState?: string;
  readonly action: string;
  readonly actor: ActorRole;
  readonly at: string;
  readonly comment?: string;
  /** the applicant's account here, who is told (absent for cases handled for another platform's applicant) */
  readonly recipient?: string;
  /** GB/T 2260 code of the implementing region, and the applicant's subject type: what next-item recommendations need */
  readonly region?: string;
  readonly applicantType?: string;
  /** a message for the partner platform, built in the transaction so a re-publication sends the same sequence number */
  readonly outbound?: { readonly queue: string; readonly message: unknown };
}

export const caseEventId = (caseNo: string, version: number) => `${caseNo}#${version}`;
