import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import type { ApiHandler } from '../http/api-handler.js';

export type ScheduledEvent = EventBridgeEvent<'Scheduled Event', Record<string, never>>;

/** true for the event an EventBridge schedule rule (or the local scheduler) delivers */
export function isScheduledEvent(event: unknown): event is ScheduledEvent {
  return typeof event === 'object' && event !== null && (event as { 'detail-type'?: unknown })['detail-type'] === 'Scheduled Event';
}

/**
 * One Lambda entry for a function that serves routes and also runs on a schedule (the manifest
 * gives it both): scheduled events go to `onSchedule`, everything else to the API handler.
 */
export function withSchedule(api: ApiHandler, onSchedule: (event: ScheduledEvent) => Promise<void>) {
  return async (event: APIGatewayProxyEventV2 | ScheduledEvent, context: Context) => {
    if (isScheduledEvent(event)) return onSchedule(event);
    return api(event, context);
  };
}
