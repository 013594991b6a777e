import type { Grants, QueueName } from '../../infra/manifest.js';

/**
 * The platforms cases are exchanged with: each has an outbound manifest queue
 * `case-outbound-<platform>` (the queue is the unit of SQS access, so a platform reads only its
 * own messages). A function knows the partners it may write to from its own `sendTo` grant;
 * a platform without such a queue is no partner, and its messages are refused.
 */
export type CasePartners = (platform: string) => QueueName | undefined;

const PREFIX = 'case-outbound-';

/** the partners of a function: the case-outbound queues of its grants */
export function casePartners(grants: Grants): CasePartners {
  const queues = new Set<string>((grants.sendTo ?? []).filter((queue) => queue.startsWith(PREFIX)));
  return (platform) => (queues.has(`${PREFIX}${platform}`) ? (`${PREFIX}${platform}` as QueueName) : undefined);
}
