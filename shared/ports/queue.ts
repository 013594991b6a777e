import type { QueueName } from '../../infra/manifest.js';

export interface OutgoingMessage {
  /** JSON-serialisable body */
  readonly body: unknown;
  /** seconds before the message becomes visible (0–900) */
  readonly delaySeconds?: number;
}

/** Sends messages to a manifest queue (SQS in AWS, the durable local queue locally). */
export interface QueuePublisher {
  send(queue: QueueName, messages: readonly OutgoingMessage[]): Promise<{ messageIds: string[] }>;
}
