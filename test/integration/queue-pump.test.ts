import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import type { QueueSpec } from '../../infra/manifest.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { LocalQueue, deadLetterQueueName } from '../../shared/adapters/local/local-queue.js';
import { startQueuePump, type PumpSubscription, type QueuePump, type SqsBatchHandler } from '../../shared/adapters/local/queue-pump.js';
import { ManualClock } from '../support/manual-clock.js';

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const spec: QueueSpec = { description: 'pump test queue', visibilityTimeoutSeconds: 30, maxReceiveCount: 3, retentionDays: 4 };
let queueCounter = 0;
const freshQueueName = () => `pump-${++queueCounter}`;
const bodies = (event: SQSEvent) => event.Records.map((record) => JSON.parse(record.body) as unknown);

describe('local queue pump', () => {
  let db: EmbeddedDynamo;
  let clock: ManualClock;
  let queue: LocalQueue;
  const pumps: QueuePump[] = [];

  /** a pump that only delivers when the test calls runOnce/drain, on the manual clock */
  function steppedPump(queueName: string, handler: SqsBatchHandler, overrides: Partial<PumpSubscription> = {}) {
    const errors: unknown[] = [];
    const pump = startQueuePump({
      queue,
      subscriptions: [{ queueName, spec, batchSize: 10, handler, ...overrides }],
      pollIntervalMs: 10,
      poll: false,
      onError: (error) => errors.push(error),
    });
    pumps.push(pump);
    return { pump, errors };
  }

  beforeAll(async () => {
    db = await startEmbeddedDynamo();
    clock = new ManualClock();
    queue = await LocalQueue.open({ documentClient: db.documentClient, clock });
  });

  afterAll(async () => {
    await Promise.all(pumps.map((pump) => pump.stop()));
    await db.close();
  });

  it('hands the handler an SQSEvent shaped like the Lambda event source builds it', async () => {
    const name = freshQueueName();
    const { messageIds } = await queue.send(name, [{ body: { hello: '世界' } }]);
    const events: SQSEvent[] = [];
    const { pump } = steppedPump(name, async (event) => void events.push(event));

    expect(await pump.runOnce()).toBe(1);

    const record = events[0]?.Records[0];
    expect(record).toEqual({
      messageId: messageIds[0],
      receiptHandle: expect.any(String),
      body: '{"hello":"世界"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(clock.now().getTime()),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: String(clock.now().getTime()),
      },
      messageAttributes: {},
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${name}`,
      awsRegion: 'local',
    });
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('deletes the successes of a partly failed batch and redelivers only the failures', async () => {
    const name = freshQueueName();
    await queue.send(name, [1, 2, 3, 4, 5].map((n) => ({ body: n })));
    const deliveries: SQSEvent[] = [];
    const { pump } = steppedPump(name, async (event) => {
      deliveries.push(event);
      const failing = event.Records.filter((record) => [2, 4].includes(JSON.parse(record.body) as number));
      return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.messageId })) };
    });

    expect(await pump.drain()).toBe(5);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 2, delayed: 0 });

    clock.advance(spec.visibilityTimeoutSeconds);
    expect(await pump.runOnce()).toBe(2);
    const redelivered = deliveries[1]!;
    expect(bodies(redelivered)).toEqual([2, 4]);
    expect(redelivered.Records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
  });

  it('keeps the whole batch when the handler throws', async () => {
    const name = freshQueueName();
    await queue.send(name, [{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    const { pump, errors } = steppedPump(name, async () => {
      throw new Error('downstream unavailable');
    });

    expect(await pump.runOnce()).toBe(3);

    expect(errors).toEqual([expect.objectContaining({ message: 'downstream unavailable' })]);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 3, delayed: 0 });
    clock.advance(spec.visibilityTimeoutSeconds);
    expect(await queue.stats(name)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
  });

  it('keeps the whole batch when batchItemFailures names a message that is not in it', async () => {
    const name = freshQueueName();
    await queue.send(name, [{ body: 'a' }, { body: 'b' }]);
    const { pump, errors } = steppedPump(name, async () => ({ batchItemFailures: [{ itemIdentifier: '' }] }));

    await pump.runOnce();

    expect(errors).toHaveLength(1);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
  });

  it('moves a poison message to the dead-letter queue after maxReceiveCount tries while the others keep flowing', async () => {
    const name = freshQueueName();
    const handled: unknown[] = [];
    let poisonAttempts = 0;
    const { pump } = steppedPump(name, async (event) => {
      const failures = event.Records.filter((record) => record.body === '"poison"');
      poisonAttempts += failures.length;
      handled.push(...bodies(event).filter((body) => body !== 'poison'));
      return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
    });
    const { messageIds } = await queue.send(name, [{ body: 'poison' }]);

    for (let round = 1; round <= 5; round += 1) {
      await queue.send(name, [{ body: `ok-${round}` }]);
      await pump.drain();
      clock.advance(spec.visibilityTimeoutSeconds);
    }

    expect(poisonAttempts).toBe(spec.maxReceiveCount);
    expect(handled).toEqual(['ok-1', 'ok-2', 'ok-3', 'ok-4', 'ok-5']);
    expect(await queue.stats(name)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await queue.peek(deadLetterQueueName(name))).toEqual([
      expect.objectContaining({ messageId: messageIds[0], receiveCount: spec.maxReceiveCount }),
    ]);
  });

  it('never hands the handler more than batchSize messages', async () => {
    const name = freshQueueName();
    await queue.send(name, Array.from({ length: 10 }, (_, n) => ({ body: n })));
    const batchSizes: number[] = [];
    const { pump } = steppedPump(name, async (event) => void batchSizes.push(event.Records.length), { batchSize: 4 });

    expect(await pump.drain()).toBe(10);

    expect(batchSizes).toEqual([4, 4, 2]);
  });

  it('gives up draining after maxRounds when messages keep coming back', async () => {
    const name = freshQueueName();
    await queue.send(name, [{ body: 'boomerang' }]);
    const { pump } = steppedPump(name, async () => {
      throw new Error('always');
    }, { spec: { ...spec, visibilityTimeoutSeconds: 0, maxReceiveCount: 1000 } });

    await expect(pump.drain({ maxRounds: 3 })).rejects.toThrow(/after 3 rounds/);
  });

  describe('polling on the system clock', () => {
    let liveQueue: LocalQueue;

    beforeAll(async () => {
      liveQueue = await LocalQueue.open({ documentClient: db.documentClient });
    });

    it('wakes up for a message sent while idle, and stop waits for the batch in flight', async () => {
      const name = freshQueueName();
      const started = deferred();
      const release = deferred();
      let finished = false;
      const pump = startQueuePump({
        queue: liveQueue,
        // a long idle pause: only the wake-up on send can deliver within the test's time
        pollIntervalMs: 60_000,
        subscriptions: [
          {
            queueName: name,
            spec,
            batchSize: 10,
            handler: async () => {
              started.resolve();
              await release.promise;
              finished = true;
            },
          },
        ],
      });
      pumps.push(pump);
      await new Promise((resolve) => setTimeout(resolve, 20));

      await liveQueue.send(name, [{ body: 'work' }]);
      await started.promise;
      let stopped = false;
      const stopping = pump.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);

      release.resolve();
      await stopping;
      expect(finished).toBe(true);
      expect(await liveQueue.stats(name)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it('gathers messages into one batch during the batching window', async () => {
      const name = freshQueueName();
      const delivered = deferred<SQSEvent>();
      const pump = startQueuePump({
        queue: liveQueue,
        pollIntervalMs: 5,
        subscriptions: [{ queueName: name, spec, batchSize: 10, maxBatchingWindowSeconds: 0.4, handler: async (event) => delivered.resolve(event) }],
      });
      pumps.push(pump);

      await liveQueue.send(name, [{ body: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await liveQueue.send(name, [{ body: 2 }, { body: 3 }]);

      expect(bodies(await delivered.promise)).toEqual([1, 2, 3]);
      await pump.stop();
    });
  });
});
