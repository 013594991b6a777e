import type { AccessEventBatch } from '../access/access-event.js';
import type { CaseEventMessage } from '../cases/case-event-message.js';
import type { CertificateIssuedMessage } from '../certificates/certificate-event-message.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { RecommendationFact } from '../user-center/recommendation-repository.js';
import { chinaDate } from '../workflow/working-calendar.js';
import { pseudonymousKey } from './pseudonymous-key.js';
import { RAW_EVENTS_PREFIX, type RawEventKind } from './raw-event-schema.js';

/**
 * A raw analytics event as kept in the blob store for the big-data path (GB/T 39047 6.2.7): in
 * AWS the S3 bucket under `analytics/events/`, which the Glue tables of infra/stacks/analytics-lake.ts
 * read and Athena queries; locally the folder blob store. No personal data: accounts and cases
 * only as pseudonymous keys, no free text. Their columns are listed in raw-event-schema.ts;
 * `at` (an ISO instant) decides the day partition.
 */
export interface RawEvent {
  readonly at: string;
  readonly [field: string]: unknown;
}

/** the blob key of one batch's events of one kind and day */
export function rawEventKey(kind: RawEventKind, day: string, batchId: string): string {
  return `${RAW_EVENTS_PREFIX}/${kind}/dt=${day}/${batchId.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`;
}

/**
 * Archives a batch of raw events:
 * 1. grouped by the China calendar day of each event (the `dt` partition);
 * 2. each group as one JSON Lines file named by the batch id: a redelivered batch writes the same
 *    file again, so the archive holds every batch once.
 * Returns the keys written.
 */
export async function archiveRawEvents(deps: { blobs: Pick<BlobStore, 'put'> }, input: { kind: RawEventKind; batchId: string; events: readonly RawEvent[] }): Promise<string[]> {
  const days = new Map<string, RawEvent[]>();
  for (const event of input.events) {
    const day = chinaDate(new Date(event.at));
    days.set(day, [...(days.get(day) ?? []), event]);
  }
  const keys = [...days].map(([day, events]) => ({ key: rawEventKey(input.kind, day, input.batchId), lines: events.map((event) => JSON.stringify(event)).join('\n') + '\n' }));
  await Promise.all(keys.map(({ key, lines }) => deps.blobs.put(key, new TextEncoder().encode(lines), 'application/x-ndjson')));
  return keys.map(({ key }) => key);
}

/** a case change as analysis keeps it: the case and applicant pseudonymous, no comment (staff free text) */
export function caseRawEvent(event: CaseEventMessage): RawEvent {
  return {
    at: event.at,
    caseKey: pseudonymousKey('case', event.caseNo),
    version: event.version,
    itemCode: event.itemCode,
    agency: event.agency,
    region: event.region ?? null,
    state: event.state,
    previousState: event.previousState ?? null,
    action: event.action,
    actor: event.actor,
    applicantType: event.applicantType ?? null,
    userKey: event.recipient ? pseudonymousKey('user', event.recipient) : null,
  };
}

/** an issued certificate as analysis keeps it: type, issuer and time, not the holder */
export function certificateRawEvent(event: CertificateIssuedMessage): RawEvent {
  return { at: event.issuedAt, certificateKey: pseudonymousKey('certificate', event.identifier), typeCode: event.typeCode, issuerName: event.issuerName, holderCodeType: event.holderCodeType };
}

/** the access events of one batch, already anonymised by their emitter (a user key that changes daily) */
export function accessRawEvents(batch: AccessEventBatch): RawEvent[] {
  return batch.events.map((event) => ({ ...event, batchId: batch.batchId }));
}

/** a recommendation sent, or followed (then `at` is when it was followed) */
export function recommendationRawEvent(kind: 'sent' | 'followed', fact: RecommendationFact): RawEvent {
  return { ...fact, at: kind === 'sent' ? fact.sentAt : (fact.followedAt ?? fact.sentAt), kind, followedAt: fact.followedAt ?? null };
}
