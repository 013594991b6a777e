import type { SubjectType } from '../auth/principal.js';
import type { WorkflowClock } from '../workflow/workflow-clock.js';

/**
 * A case (办件): one application for one item, from submission to closing (GB/T 39047 6.1.6,
 * 6.1.7, 6.2.3). Stored as one item, so a transition is one conditional write on its state and
 * version; the timeline, materials, express and evaluation live inside it.
 */

/** who did something, as the timeline shows it; the audit trail keeps the account ids */
export type ActorRole = 'applicant' | 'delegate' | 'staff' | 'system' | `platform:${string}`;

export interface TimelineEntry {
  readonly at: string;
  readonly state: string;
  readonly action: string;
  readonly actor: ActorRole;
  readonly comment?: string;
  /** the sender's sequence number of an entry that came from another platform */
  readonly seq?: number;
}

export interface CaseMaterial {
  readonly materialId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  /** received: stored with us; referenced: held by the platform the case came from */
  readonly status: 'received' | 'referenced';
  /** where the bytes are in the blob store (absent for referenced materials) */
  readonly blobKey?: string;
  readonly addedAt: string;
}

export interface CaseApplicant {
  /** the account here; absent for cases received from another platform */
  readonly accountId?: string;
  readonly subjectType: SubjectType;
  readonly name: string;
  /** ID number or USCC, masked for display and sealed (envelope-encrypted) for forwarding */
  readonly idMasked?: string;
  readonly idSealed?: string;
  readonly idType?: string;
  /** where state changes are sent by SMS: sealed, and masked for display */
  readonly phoneSealed?: string;
  readonly phoneMasked?: string;
}

export interface CaseDecision {
  readonly outcome: 'approved' | 'denied' | 'rejected';
  readonly reason?: string;
  readonly at: string;
}

export interface CaseResult {
  readonly kind: 'certificate' | 'document';
  readonly title: string;
  /** the certificate identifier or document number */
  readonly number?: string;
}

export interface ExpressInfo {
  readonly carrier: string;
  readonly trackingNo: string;
  readonly events: readonly { readonly at: string; readonly description: string; readonly location?: string }[];
  readonly updatedAt: string;
}

export interface Rectification {
  readonly rectificationId: string;
  readonly state: 'open' | 'done';
  readonly deadline: string;
  readonly outcome?: string;
  readonly completedAt?: string;
}

export interface CaseEvaluation {
  readonly score: number;
  readonly dimensions: { readonly process: number; readonly result: number; readonly efficiency: number };
  readonly comment?: string;
  readonly at: string;
  readonly rectification?: Rectification;
}

export type CaseChannel = 'web' | 'mobile' | 'partner';

/** The link of a case with another platform (national, regional, departmental). */
export interface CaseExchange {
  readonly partner: string;
  /** origin: the case was submitted here and is handled there; handler: it came from there and is handled here */
  readonly role: 'origin' | 'handler';
  /** the case number at the platform where it was submitted */
  readonly originCaseNo: string;
  /** the last sequence number we sent about this case */
  readonly sentSeq: number;
  /** the highest sequence number received, and every one received (duplicates are dropped by it) */
  readonly receivedSeq: number;
  readonly receivedSeqs: readonly number[];
}

export interface CaseRecord {
  readonly caseNo: string;
  readonly itemCode: string;
  readonly itemName: string;
  readonly itemKind: string;
  /** GB/T 2260 code of the implementing region */
  readonly region: string;
  /** the agency that handles the case (its USCC and name) */
  readonly agency: { readonly uscc: string; readonly name: string };
  readonly applicant: CaseApplicant;
  /** the delegate's account when a delegate submitted for the applicant */
  readonly submittedBy?: string;
  readonly delegationId?: string;
  readonly form: Readonly<Record<string, unknown>>;
  readonly materials: readonly CaseMaterial[];
  readonly delivery: { readonly method: 'pickup' | 'express'; readonly address?: string };
  readonly workflowId: string;
  readonly state: string;
  readonly previousState?: string;
  readonly version: number;
  readonly promisedDays: number;
  readonly clock: WorkflowClock;
  readonly timeline: readonly TimelineEntry[];
  readonly decision?: CaseDecision;
  readonly result?: CaseResult;
  readonly express?: ExpressInfo;
  readonly evaluation?: CaseEvaluation;
  readonly exchange?: CaseExchange;
  /** where the application was made: our web portal, a mobile client (X-Channel header), or a partner platform that forwarded it; absent on cases from before it was recorded */
  readonly channel?: CaseChannel;
  readonly submittedAt: string;
  readonly stateEnteredAt: string;
  /** the last time someone acted on the case (supervision's "stuck" measure) */
  readonly lastActionAt: string;
}

/** Who is acting on a case, as the use cases see the caller. */
export interface CaseActor {
  readonly sub: string;
  readonly role: ActorRole;
  /** the delegate behind a delegated token */
  readonly delegate?: string;
  readonly sourceIp?: string;
}
