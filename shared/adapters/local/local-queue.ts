import { createHash, randomBytes } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { OutgoingMessage, QueuePublisher } from '../../ports/queue.js';

/** the local-only table that holds every local queue; it has no counterpart in the manifest or in AWS */
export const LOCAL_QUEUE_TABLE = 'gsp-local-queues';

/** SQS limits, enforced here so that what works locally also works in AWS */
const MAX_DELAY_SECONDS = 900;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
const MAX_MESSAGE_BYTES = 1024 * 1024;
const QUERY_PAGE_SIZE = 100;

/** name of the dead-letter queue that receives the messages `queue` could not process */
export function deadLetterQueueName(queue: string): string {
  return `${queue}-dlq`;
}

export interface ReceiveOptions {
  /** most messages to return */
  readonly max: number;
  /** seconds a received message stays hidden from other receivers */
  readonly visibilityTimeoutSeconds: number;
  /** deliveries after which a message goes to the dead-letter queue instead; no redrive when absent */
  readonly maxReceiveCount?: number;
}

/** a message handed to one receiver, as SQS ReceiveMessage returns it */
export interface ReceivedMessage {
  readonly messageId: string;
  /** proves this receive; delete and changeVisibility need the handle of the latest receive */
  readonly receiptHandle: string;
  /** the JSON string the sender's body was serialised to */
  readonly body: string;
  readonly md5OfBody: string;
  /** deliveries including this one */
  readonly receiveCount: number;
  readonly sentAt: Date;
  readonly firstReceivedAt: Date;
}

/** a stored message as operators and tests see it, without claiming it */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly sentAt: Date;
  readonly visibleAt: Date;
  /** set on dead-letter messages: the queue they were moved from */
  readonly deadLetterSourceQueue?: string;
}

export interface QueueStats {
  /** ready to be received */
  readonly visible: number;
  /** received and neither deleted nor back yet */
  readonly inFlight: number;
  /** sent with a delay that has not passed */
  readonly delayed: number;
}

export interface LocalQueueOptions {
  /** the embedded DynamoDB's document client (shared/adapters/local/embedded-dynamo.ts) */
  readonly documentClient: DynamoDBDocumentClient;
  readonly clock?: Clock;
  readonly tableName?: string;
}

interface MessageItem {
  pk: string;
  sk: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
  deadLetterSourceQueue?: string;
}

/**
 * A durable queue with SQS semantics for `npm start` and tests, kept in the embedded DynamoDB so a
 * restart loses nothing, in-flight messages included. One item per message (pk = queue name,
 * sk = a ULID in send order). Every state change is a conditional write, so concurrent receivers
 * never get the same message while it is hidden, and a receipt handle from an earlier receive
 * cannot delete a message that has been received again since.
 */
export class LocalQueue implements QueuePublisher {
  private readonly nextMessageId = monotonicFactory();
  private readonly sendListeners = new Set<(queue: string) => void>();

  private constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly clock: Clock,
    private readonly tableName: string,
  ) {}

  /** Opens the local queues, creating their table the first time. */
  static async open(options: LocalQueueOptions): Promise<LocalQueue> {
    const tableName = options.tableName ?? LOCAL_QUEUE_TABLE;
    await ensureTable(options.documentClient, tableName);
    return new LocalQueue(options.documentClient, options.clock ?? systemClock, tableName);
  }

  /** Enqueues the messages in order; each becomes visible after its delay. */
  async send(queue: string, messages: readonly OutgoingMessage[]): Promise<{ messageIds: string[] }> {
    const now = this.clock.now().getTime();
    const items = messages.map((message): MessageItem => {
      const delaySeconds = message.delaySeconds ?? 0;
      if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
        throw new Error(`local queue ${queue}: delaySeconds must be a whole number from 0 to ${MAX_DELAY_SECONDS}`);
      }
      return {
        pk: queue,
        sk: this.nextMessageId(now),
        body: serialiseBody(queue, message.body),
        sentAt: now,
        visibleAt: now + delaySeconds * 1000,
        receiveCount: 0,
      };
    });
    for (const item of items) {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(sk)' }),
      );
    }
    if (items.length > 0) for (const listener of this.sendListeners) listener(queue);
    return { messageIds: items.map((item) => item.sk) };
  }

  /**
   * Claims up to `max` visible messages, oldest first.
   * 1. Read the visible messages of the queue in send order.
   * 2. Claim each with a write conditional on it still being visible with the receive count we read,
   *    which hides it for the visibility timeout, counts the delivery and issues a new receipt handle;
   *    a message another receiver claimed first is skipped.
   * 3. A claimed message that was already delivered `maxReceiveCount` times goes to the dead-letter
   *    queue instead of to the caller.
   */
  async receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    if (!Number.isInteger(options.max) || options.max < 1) throw new Error(`local queue ${queue}: max must be a positive whole number`);
    const visibilityMs = visibilityTimeoutMs(queue, options.visibilityTimeoutSeconds);
    const now = this.clock.now().getTime();
    const received: ReceivedMessage[] = [];
    for await (const candidate of this.items(queue, now)) {
      if (received.length >= options.max) break;
      const claimed = await this.claim(candidate, now, visibilityMs);
      if (!claimed) continue;
      if (options.maxReceiveCount !== undefined && candidate.receiveCount >= options.maxReceiveCount) {
        await this.moveToDeadLetterQueue(claimed, candidate.receiveCount, now);
        continue;
      }
      received.push(toReceivedMessage(claimed));
    }
    return received;
  }

  /** Deletes a received message. Returns false, changing nothing, when the handle is not the latest one. */
  async delete(queue: string, receiptHandle: string): Promise<boolean> {
    return ignoringFailedCondition(async () => {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: queue, sk: messageIdOf(receiptHandle) },
          ConditionExpression: 'receiptHandle = :handle',
          ExpressionAttributeValues: { ':handle': receiptHandle },
        }),
      );
      return true;
    }, false);
  }

  /**
   * Hides a received message for `visibilityTimeoutSeconds` from now (0 makes it visible at once).
   * Returns false, changing nothing, when the handle is not the latest one.
   */
  async changeVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<boolean> {
    const visibleAt = this.clock.now().getTime() + visibilityTimeoutMs(queue, visibilityTimeoutSeconds);
    return ignoringFailedCondition(async () => {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: queue, sk: messageIdOf(receiptHandle) },
          UpdateExpression: 'SET visibleAt = :visibleAt',
          ConditionExpression: 'receiptHandle = :handle',
          ExpressionAttributeValues: { ':handle': receiptHandle, ':visibleAt': visibleAt },
        }),
      );
      return true;
    }, false);
  }

  /** Counts the messages of a queue by state, like SQS's ApproximateNumberOfMessages* attributes. */
  async stats(queue: string): Promise<QueueStats> {
    const now = this.clock.now().getTime();
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for await (const item of this.items(queue)) {
      if (item.visibleAt <= now) counts.visible += 1;
      else if (item.receiveCount > 0) counts.inFlight += 1;
      else counts.delayed += 1;
    }
    return counts;
  }

  /** Lists stored messages in send order without claiming them, e.g. `peek(deadLetterQueueName(q))`. */
  async peek(queue: string, options: { limit?: number } = {}): Promise<QueuedMessage[]> {
    const limit = options.limit ?? QUERY_PAGE_SIZE;
    const messages: QueuedMessage[] = [];
    for await (const item of this.items(queue)) {
      if (messages.length >= limit) break;
      messages.push({
        messageId: item.sk,
        body: item.body,
        receiveCount: item.receiveCount,
        sentAt: new Date(item.sentAt),
        visibleAt: new Date(item.visibleAt),
        ...(item.deadLetterSourceQueue ? { deadLetterSourceQueue: item.deadLetterSourceQueue } : {}),
      });
    }
    return messages;
  }

  /**
   * Moves the dead-letter messages of `queue` back to it for another round of delivery, keeping their
   * message ids (consumers deduplicate on them) and starting their receive count afresh. Messages a
   * receiver of the dead-letter queue holds right now stay where they are. Returns how many moved.
   */
  async redriveFromDlq(queue: string): Promise<number> {
    const deadLetterQueue = deadLetterQueueName(queue);
    const now = this.clock.now().getTime();
    let moved = 0;
    for await (const item of this.items(deadLetterQueue)) {
      if (item.visibleAt > now) continue;
      const back: MessageItem = { pk: queue, sk: item.sk, body: item.body, sentAt: item.sentAt, visibleAt: now, receiveCount: 0 };
      await ignoringFailedCondition(async () => {
        await this.db.send(new PutCommand({ TableName: this.tableName, Item: back, ConditionExpression: 'attribute_not_exists(sk)' }));
      }, undefined);
      const removed = await ignoringFailedCondition(async () => {
        await this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: deadLetterQueue, sk: item.sk },
            ConditionExpression: 'visibleAt <= :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return true;
      }, false);
      if (removed) moved += 1;
    }
    if (moved > 0) for (const listener of this.sendListeners) listener(queue);
    return moved;
  }

  /**
   * Calls `listener` with the queue name whenever messages arrive, so an idle in-process poller can
   * wake up at once instead of waiting out its back-off. Returns the function that unsubscribes.
   */
  onMessagesArrived(listener: (queue: string) => void): () => void {
    this.sendListeners.add(listener);
    return () => this.sendListeners.delete(listener);
  }

  private async claim(item: MessageItem, now: number, visibilityMs: number): Promise<MessageItem | undefined> {
    const receiptHandle = `${item.sk}:${randomBytes(12).toString('base64url')}`;
    return ignoringFailedCondition(async () => {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression:
            'SET visibleAt = :hiddenUntil, receiveCount = :count, receiptHandle = :handle, firstReceivedAt = if_not_exists(firstReceivedAt, :now)',
          ConditionExpression: 'visibleAt <= :now AND receiveCount = :seen',
          ExpressionAttributeValues: {
            ':now': now,
            ':seen': item.receiveCount,
            ':count': item.receiveCount + 1,
            ':hiddenUntil': now + visibilityMs,
            ':handle': receiptHandle,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes as MessageItem;
    }, undefined);
  }

  /**
   * Moves a message this receiver has just claimed to the dead-letter queue. The dead-letter copy is
   * written only if absent and the source is deleted only under this claim's receipt handle, so a
   * crash between the two writes leaves the message to be moved again, never duplicated or lost.
   */
  private async moveToDeadLetterQueue(claimed: MessageItem, deliveries: number, now: number): Promise<void> {
    const deadLetter: MessageItem = {
      pk: deadLetterQueueName(claimed.pk),
      sk: claimed.sk,
      body: claimed.body,
      sentAt: claimed.sentAt,
      visibleAt: now,
      receiveCount: deliveries,
      deadLetterSourceQueue: claimed.pk,
    };
    await ignoringFailedCondition(async () => {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: deadLetter, ConditionExpression: 'attribute_not_exists(sk)' }));
    }, undefined);
    await this.delete(claimed.pk, claimed.receiptHandle as string);
  }

  /** the messages of a queue in send order, page by page; with `visibleBy` only those visible then */
  private async *items(queue: string, visibleBy?: number): AsyncGenerator<MessageItem> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :queue',
          ...(visibleBy === undefined
            ? { ExpressionAttributeValues: { ':queue': queue } }
            : { FilterExpression: 'visibleAt <= :now', ExpressionAttributeValues: { ':queue': queue, ':now': visibleBy }, Limit: QUERY_PAGE_SIZE }),
          ExclusiveStartKey: startKey,
        }),
      );
      yield* (page.Items ?? []) as MessageItem[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

async function ensureTable(db: DynamoDBDocumentClient, tableName: string): Promise<void> {
  for (;;) {
    try {
      const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      try {
        await db.send(
          new CreateTableCommand({
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
          }),
        );
      } catch (createError) {
        // another process or test opened the queues at the same moment and created the table first
        if ((createError as Error).name !== 'ResourceInUseException') throw createError;
      }
    }
  }
}

function serialiseBody(queue: string, body: unknown): string {
  const serialised: unknown = JSON.stringify(body);
  if (typeof serialised !== 'string') throw new Error(`local queue ${queue}: the message body is not JSON-serialisable`);
  if (Buffer.byteLength(serialised) > MAX_MESSAGE_BYTES) {
    throw new Error(`local queue ${queue}: a message body is larger than ${MAX_MESSAGE_BYTES} bytes`);
  }
  return serialised;
}

function visibilityTimeoutMs(queue: string, seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
    throw new Error(`local queue ${queue}: the visibility timeout must be a whole number from 0 to ${MAX_VISIBILITY_TIMEOUT_SECONDS} seconds`);
  }
  return seconds * 1000;
}

function messageIdOf(receiptHandle: string): string {
  const separator = receiptHandle.indexOf(':');
  if (separator <= 0) throw new Error('local queue: the receipt handle is malformed');
  return receiptHandle.slice(0, separator);
}

function toReceivedMessage(item: MessageItem): ReceivedMessage {
  return {
    messageId: item.sk,
    receiptHandle: item.receiptHandle as string,
    body: item.body,
    md5OfBody: createHash('md5').update(item.body).digest('hex'),
    receiveCount: item.receiveCount,
    sentAt: new Date(item.sentAt),
    firstReceivedAt: new Date(item.firstReceivedAt as number),
  };
}

/** Runs a conditional write; a failed condition means "someone else got there first" and yields `otherwise`. */
async function ignoringFailedCondition<T>(write: () => Promise<T>, otherwise: T): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return otherwise;
    throw error;
  }
}
