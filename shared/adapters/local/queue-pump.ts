import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueSpec } from '../../../infra/manifest.js';
import type { LocalQueue, ReceivedMessage } from './local-queue.js';

/** the account id and region the local world pretends to live in */
const LOCAL_ACCOUNT_ID = '000000000000';
const LOCAL_REGION = 'local';

/** a Lambda SQS handler as the pump calls it: the event in, optionally the failed items out */
export type SqsBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

/** one Lambda SQS event source mapping: a queue, its settings from the manifest and the function's handler */
export interface PumpSubscription {
  readonly queueName: string;
  readonly spec: QueueSpec;
  readonly batchSize: number;
  /** seconds to keep gathering messages into a batch that is not full; fractions are fine locally */
  readonly maxBatchingWindowSeconds?: number;
  readonly handler: SqsBatchHandler;
}

export interface QueuePumpOptions {
  readonly queue: LocalQueue;
  readonly subscriptions: readonly PumpSubscription[];
  /** pause between polls of an idle queue; doubles while the queue stays idle, up to maxPollIntervalMs */
  readonly pollIntervalMs: number;
  /** longest pause between idle polls; 16 × pollIntervalMs unless given */
  readonly maxPollIntervalMs?: number;
  /** false leaves all delivery to runOnce/drain, for tests that step the clock; true unless given */
  readonly poll?: boolean;
  /** called when a handler throws, rejects a batch, or the queue cannot be read; a line on stderr unless given */
  readonly onError?: (error: unknown, context: { queueName: string; messageIds: readonly string[] }) => void;
}

export interface QueuePump {
  /** delivers at most one batch per subscription now, without a batching window; returns the messages delivered */
  runOnce(): Promise<number>;
  /** runs rounds until no subscription has visible messages left; throws after `maxRounds` (100) busy rounds */
  drain(options?: { maxRounds?: number }): Promise<number>;
  /** stops polling and resolves once the batches in flight have been handled and settled */
  stop(): Promise<void>;
}

/**
 * Plays the Lambda SQS event source for the local runtime: for each subscription it receives up to
 * `batchSize` messages from the local queue, hands them to the handler as a real-looking SQSEvent
 * and settles the batch the way Lambda does:
 * - the handler returns `batchItemFailures`: those messages stay (they come back after the visibility
 *   timeout), the rest are deleted; an identifier that is not in the batch fails the whole batch;
 * - the handler throws: the whole batch stays;
 * - otherwise: every message is deleted.
 * Redrive to the dead-letter queue happens in the queue itself, after `spec.maxReceiveCount` deliveries.
 * Each subscription has one batch in flight at a time; it polls again at once while messages flow,
 * backs off while idle and wakes up when messages are sent to its queue.
 */
export function startQueuePump(options: QueuePumpOptions): QueuePump {
  if (!(options.pollIntervalMs > 0)) throw new Error('queue pump: pollIntervalMs must be positive');
  const onError = options.onError ?? reportToStderr;
  const maxPollIntervalMs = options.maxPollIntervalMs ?? options.pollIntervalMs * 16;
  const workers = options.subscriptions.map((subscription) => new SubscriptionWorker(options.queue, subscription, onError));
  let stopping = false;

  const polling = options.poll === false ? [] : workers.map((worker) => worker.poll(options.pollIntervalMs, maxPollIntervalMs, () => stopping));
  const unsubscribe = options.queue.onMessagesArrived((queueName) => {
    for (const worker of workers) if (worker.queueName === queueName) worker.wake();
  });

  const runOnce = async (): Promise<number> => {
    const delivered = await Promise.all(workers.map((worker) => worker.exclusive(() => worker.deliverBatch({ gather: false, stopping: () => false }))));
    return delivered.reduce((sum, count) => sum + count, 0);
  };

  return {
    runOnce,
    async drain({ maxRounds = 100 } = {}) {
      let total = 0;
      for (let round = 0; round < maxRounds; round += 1) {
        const delivered = await runOnce();
        if (delivered === 0) return total;
        total += delivered;
      }
      throw new Error(`queue pump: messages were still being delivered after ${maxRounds} rounds`);
    },
    async stop() {
      stopping = true;
      unsubscribe();
      for (const worker of workers) worker.wake();
      await Promise.all(polling);
      await Promise.all(workers.map((worker) => worker.exclusive(async () => 0)));
    },
  };
}

class SubscriptionWorker {
  readonly queueName: string;
  private tail: Promise<unknown> = Promise.resolve();
  private wakeSleeper: (() => void) | undefined;
  private wokenWhileBusy = false;

  constructor(
    private readonly queue: LocalQueue,
    private readonly subscription: PumpSubscription,
    private readonly onError: NonNullable<QueuePumpOptions['onError']>,
  ) {
    this.queueName = subscription.queueName;
  }

  /** runs `work` after every earlier batch of this subscription has settled: one batch in flight at a time */
  exclusive(work: () => Promise<number>): Promise<number> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async poll(pollIntervalMs: number, maxPollIntervalMs: number, stopping: () => boolean): Promise<void> {
    let idlePause = pollIntervalMs;
    while (!stopping()) {
      this.wokenWhileBusy = false;
      const delivered = await this.exclusive(() => this.deliverBatch({ gather: true, stopping })).catch((error: unknown) => {
        this.onError(error, { queueName: this.queueName, messageIds: [] });
        return 0;
      });
      if (delivered > 0 || this.wokenWhileBusy) {
        idlePause = pollIntervalMs;
        continue;
      }
      if (stopping()) return;
      await this.sleep(idlePause);
      idlePause = Math.min(idlePause * 2, maxPollIntervalMs);
    }
  }

  wake(): void {
    this.wokenWhileBusy = true;
    this.wakeSleeper?.();
  }

  /**
   * Receives one batch, invokes the handler and settles the batch.
   * 1. Receive up to batchSize messages; with `gather` and a batching window, keep topping the batch up
   *    until it is full or the window has passed (on stop, the gathered messages are released unhandled).
   * 2. Build the SQSEvent and invoke the handler.
   * 3. Delete what succeeded; what failed stays hidden until its visibility timeout runs out.
   * Returns how many messages were handed to the handler.
   */
  async deliverBatch({ gather, stopping }: { gather: boolean; stopping: () => boolean }): Promise<number> {
    const { queueName, spec, batchSize, handler } = this.subscription;
    const receiveOptions = { visibilityTimeoutSeconds: spec.visibilityTimeoutSeconds, maxReceiveCount: spec.maxReceiveCount };
    const messages = await this.queue.receive(queueName, { ...receiveOptions, max: batchSize });
    if (messages.length === 0) return 0;

    const windowMs = (this.subscription.maxBatchingWindowSeconds ?? 0) * 1000;
    if (gather && windowMs > 0) {
      const deadline = Date.now() + windowMs;
      while (messages.length < batchSize && Date.now() < deadline) {
        if (stopping()) {
          await Promise.all(messages.map((message) => this.queue.changeVisibility(queueName, message.receiptHandle, 0)));
          return 0;
        }
        await this.sleep(Math.min(deadline - Date.now(), 20));
        messages.push(...(await this.queue.receive(queueName, { ...receiveOptions, max: batchSize - messages.length })));
      }
    }

    const messageIds = messages.map((message) => message.messageId);
    let response: SQSBatchResponse | void;
    try {
      response = await handler({ Records: messages.map((message) => toSqsRecord(queueName, message)) });
    } catch (error) {
      this.onError(error, { queueName, messageIds });
      return messages.length;
    }

    const failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    const unknownIds = [...failedIds].filter((id) => !messageIds.includes(id));
    if (unknownIds.length > 0) {
      // Lambda treats a failure it cannot match to a record of the batch as a failure of the whole batch
      this.onError(new Error(`queue pump: batchItemFailures names ${unknownIds.length} identifier(s) not in the batch`), { queueName, messageIds });
      return messages.length;
    }
    for (const message of messages) {
      if (!failedIds.has(message.messageId)) await this.queue.delete(queueName, message.receiptHandle);
    }
    return messages.length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wakeSleeper = undefined;
    });
  }
}

function toSqsRecord(queueName: string, message: ReceivedMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt.getTime()),
      SenderId: LOCAL_ACCOUNT_ID,
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt.getTime()),
    },
    messageAttributes: {},
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${queueName}`,
    awsRegion: LOCAL_REGION,
  };
}

function reportToStderr(error: unknown, context: { queueName: string; messageIds: readonly string[] }): void {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'a non-error was thrown';
  const batch = context.messageIds.length > 0 ? `, ${context.messageIds.length} message(s) left for redelivery` : '';
  process.stderr.write(`queue pump: ${context.queueName}: ${reason}${batch}\n`);
}
