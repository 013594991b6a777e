import { describe, expect, it } from '@jest/globals';
import type { OutgoingMessage, QueuePublisher } from '../../shared/ports/queue.js';
import { accessEventBatch } from '../../shared/access/access-event.js';
import { anonymisedUserKey, batchingAccessEvents } from '../../shared/access/batching-access-events.js';
import { INTERACTION_FLOWS } from '../../shared/interactions/interaction-flows.js';
import { definitionProblems } from '../../shared/workflow/workflow-definition.js';
import { ManualClock } from '../support/manual-clock.js';

/** a queue that keeps what it is sent, or refuses everything */
function recordingQueue(refuse = false): QueuePublisher & { sent: { queue: string; messages: readonly OutgoingMessage[] }[] } {
  const sent: { queue: string; messages: readonly OutgoingMessage[] }[] = [];
  return {
    sent,
    async send(queue, messages) {
      if (refuse) throw new Error('queue unavailable');
      sent.push({ queue, messages });
      return { messageIds: messages.map((_, i) => String(i)) };
    },
  };
}

const access = { function: 'discovery', route: 'GET /health', status: 200, latencyMs: 1 };

describe('the access-event emitter', () => {
  it('sends nothing while recording, then one batch per flush, with daily anonymised user keys instead of accounts', async () => {
    const queue = recordingQueue();
    const clock = new ManualClock('2030-03-04T02:00:00Z');
    const sink = batchingAccessEvents({ queues: queue, clock, onError: () => undefined, flushDelayMs: 60_000 });
    sink.record(access);
    sink.record({ ...access, sub: 'account-1', subjectType: 'natural', level: 3 });
    expect(queue.sent).toEqual([]);
    await sink.flush();
    expect(queue.sent).toHaveLength(1);
    const batch = accessEventBatch.parse(queue.sent[0]!.messages[0]!.body);
    expect(queue.sent[0]!.queue).toBe('access-events');
    expect(batch.events).toHaveLength(2);
    expect(batch.events[1]).toMatchObject({ at: '2030-03-04T02:00:00.000Z', channel: 'api', userKey: anonymisedUserKey('2030-03-04', 'account-1') });
    expect(JSON.stringify(batch)).not.toContain('account-1');
    expect(anonymisedUserKey('2030-03-05', 'account-1')).not.toBe(anonymisedUserKey('2030-03-04', 'account-1'));
  });

  it('sends a full buffer at once, samples, and reports a failed send instead of throwing', async () => {
    const queue = recordingQueue();
    const full = batchingAccessEvents({ queues: queue, clock: new ManualClock(), onError: () => undefined, maxBatch: 3, flushDelayMs: 60_000 });
    for (let i = 0; i < 3; i++) full.record(access);
    await full.flush();
    expect(queue.sent).toHaveLength(1);

    const draws = [0.1, 0.9, 0.2, 0.95];
    const sampled = batchingAccessEvents({ queues: queue, clock: new ManualClock(), onError: () => undefined, sampleRate: 0.5, random: () => draws.shift()!, flushDelayMs: 60_000 });
    for (let i = 0; i < 4; i++) sampled.record(access);
    await sampled.flush();
    expect(accessEventBatch.parse(queue.sent[1]!.messages[0]!.body).events).toHaveLength(2);

    const errors: Error[] = [];
    const failing = batchingAccessEvents({ queues: recordingQueue(true), clock: new ManualClock(), onError: (error) => errors.push(error), flushDelayMs: 60_000 });
    failing.record(access);
    await expect(failing.flush()).resolves.toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual(['queue unavailable']);
  });
});

describe('the interaction flows', () => {
  it('are sound workflow definitions', () => {
    for (const flow of Object.values(INTERACTION_FLOWS)) expect(definitionProblems(flow)).toEqual([]);
  });
});
