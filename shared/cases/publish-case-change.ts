import type { Logger } from '@aws-lambda-powertools/logger';
import type { NotificationMessage } from '../notifications/notification.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { QueueName } from '../../infra/manifest.js';
import type { CaseEventMessage } from './case-event-message.js';
import type { CaseChangeEvent } from './case-events.js';
import type { CaseApplicant } from './case-model.js';
import type { CaseRepository } from './case-repository.js';

/** the template of the SMS an applicant gets on every state change of their case */
export const CASE_STATE_SMS_TEMPLATE = 'case-state-changed';

export interface CasePublisherDependencies {
  readonly cases: Pick<CaseRepository, 'markEventSent'>;
  readonly queues: QueuePublisher;
  readonly personalData: Pick<PersonalDataProtector, 'open'>;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'warn'>;
}

/**
 * Publishes a committed change of a case (the message service of GB/T 39047 6.1.10 d, 6.3.6).
 * 1. the change on the case-events queue, from which the in-app inbox and other subscribers read;
 *    an approval by staff also on case-approvals, for the certificate it may produce;
 * 2. an SMS to the applicant's phone on the notifications queue (the notifier delivers it once per id);
 * 3. the update or forward for the partner platform on its outbound queue;
 * 4. mark the change event sent.
 * Every message carries an id derived from the case and version, so publishing again (the
 * supervision schedule retries what failed here) delivers nothing twice. A failure is logged and
 * left for that retry: the change itself is committed and the caller's request succeeded.
 */
export async function publishCaseChange(deps: CasePublisherDependencies, event: CaseChangeEvent, applicant: CaseApplicant): Promise<boolean> {
  try {
    const { outbound, ...change } = event;
    const message: CaseEventMessage = change;
    const sends: Promise<unknown>[] = [deps.queues.send('case-events', [{ body: message }])];
    // approvals by our staff may produce a certificate; certificate-issue has its own queue, as case-events has its consumer
    if (event.state === 'approved' && event.actor === 'staff') sends.push(deps.queues.send('case-approvals', [{ body: message }]));
    if (event.recipient && applicant.phoneSealed) {
      const sms: NotificationMessage = {
        id: `case:${event.eventId}`,
        channel: 'sms',
        to: await deps.personalData.open(applicant.phoneSealed),
        template: CASE_STATE_SMS_TEMPLATE,
        params: { caseNo: event.caseNo, itemName: event.itemName, state: event.stateLabel },
      };
      sends.push(deps.queues.send('notifications', [{ body: sms }]));
    }
    if (outbound) sends.push(deps.queues.send(outbound.queue as QueueName, [{ body: outbound.message }]));
    await Promise.all(sends);
    await deps.cases.markEventSent(event, deps.clock.now());
    return true;
  } catch (error) {
    deps.logger.warn('case change not published yet', { eventId: event.eventId, error: (error as Error).message });
    return false;
  }
}
