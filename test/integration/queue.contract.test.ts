import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { LocalQueue, deadLetterQueueName } from '../../shared/adapters/local/local-queue.js';
import { ManualClock } from '../support/manual-clock.js';

const receiveOptions = { max: 10, visibilityTimeoutSeconds: 30 };
let queueCounter = 0;
const freshQueueName = () => `contract-${++queueCounter}`;

describe('queue port contract: local queue on the embedded DynamoDB', () => {
  let db: EmbeddedDynamo;
  let clock: ManualClock;
  let queue: LocalQueue;

  beforeAll(async () => {
    db = await startEmbeddedDynamo();
    clock = new ManualClock();
    queue = await LocalQueue.open({ documentClient: db.documentClient, clock });
  });

  afterAll(async () => {
    await db.close();
  });

  it('delivers sent messages in send order with their bodies as JSON strings', async () => {
    const name = freshQueueName();
    const { messageIds } = await queue.send(name, [{ body: { n: 1 } }, { body: 'two' }, { body: [3, { 名: '张三' }] }]);
    expect(new Set(messageIds).size).toBe(3);

    const received = await queue.receive(name, receiveOptions);

    expect(received.map((m) => m.messageId)).toEqual(messageIds);
    expect(received.map((m) => JSON.parse(m.body))).toEqual([{ n: 1 }, 'two', [3, { 名: '张三' }]]);
    expect(received.every((m) => m.receiveCount === 1)).toBe(true);
    expect(received[2]?.md5OfBody).toBe(createHash('md5').update(received[2]?.body ?? '').digest('hex'));
    expect(received[0]?.sentAt).toEqual(clock.now());
    expect(received[0]?.firstReceivedAt).toEqual(clock.now());
  });

  it('returns at most max messages and leaves the rest visible', async () => {
    const name = freshQueueName();
    const { messageIds } = await queue.send(name, Array.from({ length: 5 }, (_, n) => ({ body: n })));

    const first = await queue.receive(name, { ...receiveOptions, max: 2 });
    const rest = await queue.receive(name, receiveOptions);

    expect(first.map((m) => m.messageId)).toEqual(messageIds.slice(0, 2));
    expect(rest.map((m) => m.messageId)).toEqual(messageIds.slice(2));
  });

  it('returns nothing from an empty or unknown queue', async () => {
    expect(await queue.receive(freshQueueName(), receiveOptions)).toEqual([]);
    expect(await queue.send(freshQueueName(), [])).toEqual({ messageIds: [] });
  });

  it('holds a delayed message back until its delay has passed', async () => {
    const name = freshQueueName();
    await queue.send(name, [{ body: 'later', delaySeconds: 60 }, { body: 'now' }]);

    const [immediate] = await queue.receive(name, receiveOptions);
    expect(immediate?.body).toBe('"now"');
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 1, delayed: 1 });
    await queue.delete(name, immediate!.receiptHandle);

    clock.advance(59);
    expect(await queue.receive(name, receiveOptions)).toEqual([]);
    clock.advance(1);
    expect((await queue.receive(name, receiveOptions)).map((m) => m.body)).toEqual(['"later"']);
  });

  it('hides a received message for the visibility timeout, then delivers it again with a higher receive count', async () => {
    const name = freshQueueName();
    const { messageIds } = await queue.send(name, [{ body: 'x' }]);
    const [first] = await queue.receive(name, receiveOptions);

    clock.advance(29);
    expect(await queue.receive(name, receiveOptions)).toEqual([]);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });

    clock.advance(1);
    expect(await queue.stats(name)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    const [second] = await queue.receive(name, receiveOptions);
    expect(second?.messageId).toBe(messageIds[0]);
    expect(second?.receiveCount).toBe(2);
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);
    expect(second?.firstReceivedAt).toEqual(first?.firstReceivedAt);
  });

  it('deletes with the latest receipt handle and ignores a stale one', async () => {
    const name = freshQueueName();
    await queue.send(name, [{ body: 'x' }]);
    const [first] = await queue.receive(name, receiveOptions);
    clock.advance(30);
    const [second] = await queue.receive(name, receiveOptions);

    expect(await queue.delete(name, first!.receiptHandle)).toBe(false);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });

    expect(await queue.delete(name, second!.receiptHandle)).toBe(true);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    clock.advance(30);
    expect(await queue.receive(name, receiveOptions)).toEqual([]);
  });

  it('changes the visibility of a received message, and only with its latest receipt handle', async () => {
    const name = freshQueueName();
    await queue.send(name, [{ body: 'x' }]);
    const [first] = await queue.receive(name, receiveOptions);

    expect(await queue.changeVisibility(name, first!.receiptHandle, 0)).toBe(true);
    const [second] = await queue.receive(name, receiveOptions);
    expect(second?.receiveCount).toBe(2);

    expect(await queue.changeVisibility(name, first!.receiptHandle, 0)).toBe(false);
    expect(await queue.changeVisibility(name, second!.receiptHandle, 120)).toBe(true);
    clock.advance(119);
    expect(await queue.receive(name, receiveOptions)).toEqual([]);
    clock.advance(1);
    expect(await queue.receive(name, receiveOptions)).toHaveLength(1);
  });

  it('never gives one message to two receivers at once', async () => {
    const name = freshQueueName();
    const { messageIds } = await queue.send(name, Array.from({ length: 12 }, (_, n) => ({ body: n })));

    const batches = await Promise.all([1, 2, 3, 4].map(() => queue.receive(name, { ...receiveOptions, max: 5 })));

    const received = batches.flat().map((m) => m.messageId);
    expect(received).toHaveLength(12);
    expect(new Set(received)).toEqual(new Set(messageIds));
  });

  it('moves a message delivered maxReceiveCount times to the dead-letter queue instead of delivering it again', async () => {
    const name = freshQueueName();
    const redrive = { ...receiveOptions, maxReceiveCount: 2 };
    const { messageIds } = await queue.send(name, [{ body: 'poison' }]);

    expect(await queue.receive(name, redrive)).toHaveLength(1);
    clock.advance(30);
    expect(await queue.receive(name, redrive)).toHaveLength(1);
    clock.advance(30);
    expect(await queue.receive(name, redrive)).toEqual([]);

    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const deadLetters = await queue.peek(deadLetterQueueName(name));
    expect(deadLetters).toEqual([
      expect.objectContaining({ messageId: messageIds[0], body: '"poison"', receiveCount: 2, deadLetterSourceQueue: name }),
    ]);
    expect(await queue.stats(deadLetterQueueName(name))).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('redrives dead letters back to their queue with a fresh receive count', async () => {
    const name = freshQueueName();
    const redrive = { ...receiveOptions, maxReceiveCount: 1 };
    const { messageIds } = await queue.send(name, [{ body: 'a' }, { body: 'b' }]);
    await queue.receive(name, redrive);
    clock.advance(30);
    expect(await queue.receive(name, redrive)).toEqual([]);
    expect(await queue.peek(deadLetterQueueName(name))).toHaveLength(2);

    expect(await queue.redriveFromDlq(name)).toBe(2);

    expect(await queue.peek(deadLetterQueueName(name))).toEqual([]);
    const again = await queue.receive(name, redrive);
    expect(again.map((m) => m.messageId)).toEqual(messageIds);
    expect(again.map((m) => m.receiveCount)).toEqual([1, 1]);
  });

  it('peeks without claiming', async () => {
    const name = freshQueueName();
    await queue.send(name, [{ body: 1 }, { body: 2 }, { body: 3 }]);

    expect((await queue.peek(name, { limit: 2 })).map((m) => m.body)).toEqual(['1', '2']);
    expect(await queue.receive(name, receiveOptions)).toHaveLength(3);
  });

  it('rejects what SQS would reject and stores none of the batch', async () => {
    const name = freshQueueName();
    await expect(queue.send(name, [{ body: 'ok' }, { body: 'late', delaySeconds: 901 }])).rejects.toThrow(/delaySeconds/);
    await expect(queue.send(name, [{ body: undefined }])).rejects.toThrow(/JSON/);
    await expect(queue.send(name, [{ body: 'x'.repeat(1024 * 1024) }])).rejects.toThrow(/larger than/);
    await expect(queue.receive(name, { max: 1, visibilityTimeoutSeconds: -1 })).rejects.toThrow(/visibility timeout/);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('local queue durability', () => {
  it('keeps queued and in-flight messages across a restart on the same folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'local-queue-'));
    const clock = new ManualClock();
    const options = { max: 10, visibilityTimeoutSeconds: 30 };
    try {
      const before = await startEmbeddedDynamo({ path: folder });
      let messageIds: string[];
      let inFlightHandle: string;
      try {
        const queue = await LocalQueue.open({ documentClient: before.documentClient, clock });
        ({ messageIds } = await queue.send('durable', [{ body: 'a' }, { body: 'b' }, { body: 'c', delaySeconds: 10 }]));
        const [inFlight] = await queue.receive('durable', { ...options, max: 1 });
        inFlightHandle = inFlight!.receiptHandle;
      } finally {
        await before.close();
      }

      const after = await startEmbeddedDynamo({ path: folder });
      try {
        const queue = await LocalQueue.open({ documentClient: after.documentClient, clock });
        expect(await queue.stats('durable')).toEqual({ visible: 1, inFlight: 1, delayed: 1 });

        clock.advance(30);
        const received = await queue.receive('durable', options);
        expect(received.map((m) => [m.messageId, m.receiveCount])).toEqual([
          [messageIds[0], 2],
          [messageIds[1], 1],
          [messageIds[2], 1],
        ]);
        expect(await queue.delete('durable', inFlightHandle)).toBe(false);
      } finally {
        await after.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
