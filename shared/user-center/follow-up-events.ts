import type { CaseEventMessage } from '../cases/case-event-message.js';
import type { CertificateIssuedMessage } from '../certificates/certificate-event-message.js';
import type { AccountRepository } from '../identity/account-repository.js';
import { EVERY_PUBLISHED, type CatalogRepository } from '../catalog/catalog-repository.js';
import { archiveRawEvents, caseRawEvent, certificateRawEvent, recommendationRawEvent } from '../analytics/raw-event-archive.js';
import { pseudonymousKey } from '../analytics/pseudonymous-key.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { ImplementationLookup } from '../ports/implementation-lookup.js';
import { deliverCaseEvent, deliverCertificateIssued, type InboxDependencies } from './inbox.js';
import { audienceOf, nextItemsInChains } from './next-items.js';
import { recommendationFact, type Recommendation, type RecommendationRepository } from './recommendation-repository.js';

/** at most this many next items are recommended after one decision */
export const MAX_RECOMMENDATIONS = 3;

export interface CaseFollowUpDependencies extends InboxDependencies {
  readonly recommendations: RecommendationRepository;
  readonly catalog: CatalogRepository;
  readonly implementations: Pick<ImplementationLookup, 'forItemInRegion'>;
  readonly blobs: Pick<BlobStore, 'put'>;
}

/**
 * What the user centre does with a case change (GB/T 39047 6.1.10 d, 6.2.7 a):
 * 1. the change as a message in the applicant's inbox;
 * 2. on an approval, the next items of the applicant's life events recommended (recommendNextItems);
 * 3. on a submission, the applicant's open recommendations of that item marked followed;
 * 4. the change, and the recommendations sent or followed, archived as raw analytics events.
 * Every step is idempotent, so a redelivered event repeats them without adding anything.
 */
export async function followUpCaseEvent(deps: CaseFollowUpDependencies, event: CaseEventMessage): Promise<{ recommended: Recommendation[]; followed: Recommendation[] }> {
  await deliverCaseEvent(deps, event);
  const recommended = await recommendNextItems(deps, event);
  const followed = await markRecommendationsFollowed(deps, event);
  const batchId = `${pseudonymousKey('case', event.caseNo)}-v${event.version}`;
  const facts = (kind: 'sent' | 'followed', recommendations: Recommendation[]) => recommendations.map((recommendation) => recommendationRawEvent(kind, recommendationFact(event.recipient!, recommendation)));
  await Promise.all([
    archiveRawEvents(deps, { kind: 'case', batchId, events: [caseRawEvent(event)] }),
    recommended.length + followed.length > 0 ? archiveRawEvents(deps, { kind: 'recommendation', batchId, events: [...facts('sent', recommended), ...facts('followed', followed)] }) : undefined,
  ]);
  return { recommended, followed };
}

/**
 * What the user centre does with an issued certificate (GB/T 39047 6.1.10 d, 6.2.7 a):
 * 1. the certificate as a message in its holder's inbox;
 * 2. the issue archived as a raw analytics event (type and issuer, not the holder).
 * Both are idempotent per certificate.
 */
export async function followUpCertificateIssued(deps: Pick<CaseFollowUpDependencies, 'userCenter' | 'blobs'> & { accounts: Pick<AccountRepository, 'findByClaim'> }, event: CertificateIssuedMessage): Promise<void> {
  await deliverCertificateIssued(deps, event);
  await archiveRawEvents(deps, { kind: 'certificate', batchId: pseudonymousKey('certificate', event.identifier), events: [certificateRawEvent(event)] });
}

/**
 * Recommends the next items after an approval (GB/T 39047 6.2.7 a):
 * 1. only an approval of the case of an account here in a known region (a denial ends the chain);
 * 2. the items after the approved one in the chains of the published life events that hold it, nearest first;
 * 3. kept: published items meant for the applicant's kind of subject that an agency implements for
 *    the case's region, at most MAX_RECOMMENDATIONS;
 * 4. each recorded once per (case, item) and delivered as an inbox message whose id is made of
 *    both, so a redelivered approval sends nothing twice.
 * Returns the recommendations of this approval (also those recorded by an earlier delivery).
 */
export async function recommendNextItems(deps: CaseFollowUpDependencies, event: CaseEventMessage): Promise<Recommendation[]> {
  const region = event.region;
  if (event.state !== 'approved' || event.previousState === undefined || !event.recipient || !region) return [];
  const lifeEvents = (await deps.catalog.lifeEvents.listPublished(EVERY_PUBLISHED)).flatMap((head) => (head.published ? [head.published] : []));
  const candidates = nextItemsInChains(lifeEvents, event.itemCode);
  if (candidates.length === 0) return [];
  const basics = new Map((await deps.catalog.basicItems.heads(candidates.map((c) => c.itemCode))).flatMap((head) => (head.published ? [[head.key, head.published] as const] : [])));
  const audience = audienceOf(event.applicantType);
  const recommendations: Recommendation[] = [];
  for (const candidate of candidates) {
    if (recommendations.length === MAX_RECOMMENDATIONS) break;
    const basic = basics.get(candidate.itemCode);
    if (!basic || (audience && !basic.audience.includes(audience))) continue;
    const facts = await deps.implementations.forItemInRegion(candidate.itemCode, region);
    if (!facts) continue;
    const recommendation: Recommendation = { caseNo: event.caseNo, fromItemCode: event.itemCode, itemCode: candidate.itemCode, lifeEventId: candidate.lifeEventId, region, sentAt: event.at };
    await deps.recommendations.record(event.recipient, recommendation);
    await deps.userCenter.deliver(event.recipient, {
      messageId: `recommendation-${event.caseNo}-${candidate.itemCode}`,
      source: 'recommendation',
      title: `推荐办理：${facts.itemName}`,
      body: `您的「${event.itemName}」已办结。「${candidate.lifeEventName}」的下一步可办理「${facts.itemName}」（${facts.agency.name}${facts.onlineApply ? '，可网上申请' : ''}）。`,
      ref: candidate.itemCode,
      createdAt: event.at,
    });
    recommendations.push(recommendation);
  }
  return recommendations;
}

/**
 * Marks recommendations followed when the user applies for a recommended item:
 * 1. only the submission of a case of an account here;
 * 2. the user's recommendations of that item sent before it and not yet followed are marked
 *    followed by this case (conditionally: a recommendation is followed once, by the first case);
 * Returns the recommendations this case follows (also those marked by an earlier delivery).
 */
export async function markRecommendationsFollowed(deps: Pick<CaseFollowUpDependencies, 'recommendations'>, event: CaseEventMessage): Promise<Recommendation[]> {
  if (event.action !== 'submit' || event.version !== 1 || !event.recipient) return [];
  const followed: Recommendation[] = [];
  for (const recommendation of await deps.recommendations.ofItem(event.recipient, event.itemCode)) {
    if (recommendation.followedCaseNo === event.caseNo) followed.push(recommendation);
    else if (recommendation.followedAt === undefined && recommendation.sentAt <= event.at && (await deps.recommendations.markFollowed(event.recipient, recommendation, event.at, event.caseNo))) {
      followed.push({ ...recommendation, followedAt: event.at, followedCaseNo: event.caseNo });
    }
  }
  return followed;
}
