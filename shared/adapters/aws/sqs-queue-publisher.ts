import type { QueueName } from '../../../infra/manifest.js';
import { envNames, required } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../ports/clock.js';
import type { OutgoingMessage, QueuePublisher } from '../../ports/queue.js';
import { awsJsonService } from './aws-json-service.js';
import type { CredentialsProvider } from './signed-fetch.js';

/** SendMessageBatch limits: entries per request, and bytes per message and per request */
const MAX_ENTRIES_PER_BATCH = 10;
const MAX_BATCH_BYTES = 1024 * 1024;
/** extra attempts for entries SQS failed on its side; awsJsonService only retries whole requests */
const SERVER_FAULT_RETRIES = 2;

/** one message SQS did not accept; `index` is its position in the list given to send */
export interface RejectedMessage {
  readonly index: number;
  readonly code: string;
  readonly senderFault: boolean;
}

/**
 * SQS accepted some messages of a send and not others. Names the rejected positions and codes, never
 * the bodies (they may hold personal data); `messageIds` has the ids of the accepted ones by position.
 */
export class QueueSendError extends AppError {
  constructor(
    readonly queue: string,
    readonly rejected: readonly RejectedMessage[],
    readonly messageIds: readonly (string | undefined)[],
  ) {
    const list = rejected.map((r) => `#${r.index} (${r.code}${r.senderFault ? ', sender fault' : ''})`).join(', ');
    super('unavailable', 'queue_send_failed', `SQS rejected ${rejected.length} of ${messageIds.length} messages for queue ${queue}: ${list}`);
    this.name = 'QueueSendError';
  }
}

/** one entry of SendMessageBatch */
interface BatchEntry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
}

/** the answer of SendMessageBatch: ids are the entry ids sent */
interface SendMessageBatchOutput {
  readonly Successful?: readonly { readonly Id?: string; readonly MessageId?: string }[];
  readonly Failed?: readonly { readonly Id?: string; readonly SenderFault?: boolean; readonly Code?: string }[];
}

export interface SqsQueuePublisherOptions {
  readonly region: string;
  /** where the queue URLs are read (`QUEUE_URL_<NAME>`) */
  readonly env?: NodeJS.ProcessEnv;
  /** the Lambda role's by default (lambdaCredentials); tests inject fetch, credentials and a clock */
  readonly credentials?: CredentialsProvider;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
}

/**
 * QueuePublisher over SQS, spoken over signed fetch (AWS JSON 1.0). The queue URL comes from the
 * environment variable the stack sets for each granted queue (`QUEUE_URL_<NAME>`); a missing one
 * fails the send with the variable's name.
 * Messages go out with SendMessageBatch in as few requests as the entry and size limits allow;
 * entries SQS fails on its side are retried, and whatever is still rejected raises QueueSendError
 * after every other message has been sent.
 */
export function sqsQueuePublisher(options: SqsQueuePublisherOptions): QueuePublisher {
  const { env = process.env, ...connection } = options;
  const sqs = awsJsonService({ service: 'sqs', targetPrefix: 'AmazonSQS', jsonVersion: '1.0', ...connection });
  return {
    async send(queue: QueueName, messages: readonly OutgoingMessage[]) {
      if (messages.length === 0) return { messageIds: [] };
      const queueUrl = required(env, envNames.queueUrl(queue));
      const entries = messages.map((message, index) => toEntry(queue, message, index));
      const messageIds: (string | undefined)[] = new Array(messages.length).fill(undefined);
      const rejected: RejectedMessage[] = [];

      for (const batch of batches(entries)) {
        let pending = batch;
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          const result = await sqs<SendMessageBatchOutput>('SendMessageBatch', { QueueUrl: queueUrl, Entries: pending });
          for (const sent of result.Successful ?? []) messageIds[indexOf(sent.Id)] = sent.MessageId;
          const failed = result.Failed ?? [];
          const retryable = new Set(attempt < SERVER_FAULT_RETRIES ? failed.filter((f) => !f.SenderFault).map((f) => f.Id) : []);
          for (const failure of failed) {
            if (!retryable.has(failure.Id)) rejected.push({ index: indexOf(failure.Id), code: failure.Code ?? 'Unknown', senderFault: failure.SenderFault ?? false });
          }
          pending = pending.filter((entry) => retryable.has(entry.Id));
        }
      }

      if (rejected.length > 0) throw new QueueSendError(queue, rejected.sort((a, b) => a.index - b.index), messageIds);
      return { messageIds: messageIds as string[] };
    },
  };
}

function toEntry(queue: string, message: OutgoingMessage, index: number): BatchEntry {
  const body: unknown = JSON.stringify(message.body);
  if (typeof body !== 'string') throw new Error(`queue ${queue}: message #${index} has a body that is not JSON-serialisable`);
  return { Id: `m${index}`, MessageBody: body, ...(message.delaySeconds !== undefined ? { DelaySeconds: message.delaySeconds } : {}) };
}

/** entry ids are `m<position>`, so SQS's answers map back to the caller's list */
function indexOf(entryId: string | undefined): number {
  return Number((entryId ?? '').slice(1));
}

/** splits entries into requests of at most 10 entries and 1 MiB of bodies, keeping their order */
function* batches(entries: readonly BatchEntry[]): Generator<BatchEntry[]> {
  let batch: BatchEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody);
    if (batch.length === MAX_ENTRIES_PER_BATCH || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

/** the queues of a Lambda function (composition factory) */
export const awsQueues = (env: NodeJS.ProcessEnv): QueuePublisher => sqsQueuePublisher({ region: required(env, 'AWS_REGION'), env });
