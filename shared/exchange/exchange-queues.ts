import { queues, type QueueName } from '../../infra/manifest.js';

/** Outbound queues are manifest queues named exchange-outbound-<platform>: one per onboarded platform. */
const OUTBOUND_PREFIX = 'exchange-outbound-';

export function isOutboundQueue(name: string): name is QueueName {
  return name.startsWith(OUTBOUND_PREFIX) && Object.hasOwn(queues, name);
}

/** every outbound queue of the manifest (the grants of the functions that write to them) */
export const OUTBOUND_QUEUES = Object.keys(queues).filter(isOutboundQueue);

/** Calendar day in China Standard Time (UTC+8, no daylight saving), the day batches are reconciled in. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
