import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queues } from '../../infra/manifest.js';
import type { NotificationMessage } from '../../shared/notifications/notification.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

/** the runtime's time, stepped by the test to let hidden messages come back; starts now, so nothing is born expired */
const clock = new ManualClock(new Date());
let platform: TestPlatform;
beforeAll(async () => {
  // the background pump then sleeps through the clock steps, so the test's own drains deliver at once
  // instead of waiting out the pump's batching window
  platform = await startTestPlatform({ clock, queuePollMs: 1000 });
});
afterAll(async () => {
  await platform?.close();
});

let sequence = 0;
function notification(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  sequence += 1;
  return { id: `test-${sequence}-${Date.now()}`, channel: 'sms', to: '13800000001', template: 'case-accepted', params: { caseNo: `C${sequence}` }, ...overrides };
}

const inject = (queue: string, body: unknown) => platform.call('POST', `/_local/queues/${queue}/messages`, { body });

/** notifications in the local outbox with this id */
async function delivered(id: string): Promise<unknown[]> {
  const dir = join(platform.runtime.dataDir, 'outbox');
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = await Promise.all(names.filter((name) => name.endsWith('.json')).map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8'))));
  return files.filter((file: { id: string }) => file.id === id);
}

describe('POST /_local/queues/{queue}/messages', () => {
  it('accepts a notification with 202 and the notifier writes it to the outbox', async () => {
    const message = notification();
    const res = await inject('notifications', message);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ queue: 'notifications', messageIds: [expect.any(String)] });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    await platform.runtime.drainQueues();
    const files = await delivered(message.id);
    expect(files).toEqual([expect.objectContaining({ ...message, providerMessageId: expect.stringMatching(/^local-/) })]);
  });

  it('delivers a notification id once, however often it is sent', async () => {
    const message = notification();
    expect((await inject('notifications', message)).status).toBe(202);
    expect((await inject('notifications', message)).status).toBe(202);
    expect((await inject('notifications', { messages: [message, message] })).status).toBe(202);
    await platform.runtime.drainQueues();
    // a copy that met another copy mid-delivery failed and comes back after the visibility timeout
    clock.advance(queues.notifications.visibilityTimeoutSeconds + 1);
    await platform.runtime.drainQueues();
    expect(await delivered(message.id)).toHaveLength(1);
    expect(await platform.runtime.queue.stats('notifications')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('takes a batch as { "messages": [...] }', async () => {
    const batch = [notification(), notification({ channel: 'email', to: 'someone@example.org' })];
    const res = await inject('notifications', { messages: batch });
    expect(res.status).toBe(202);
    expect(res.body.messageIds).toHaveLength(2);
    await platform.runtime.drainQueues();
    for (const message of batch) expect(await delivered(message.id)).toHaveLength(1);
  });

  it('answers 404 for a queue that is not in the manifest', async () => {
    const res = await inject('no-such-queue', notification());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('queue_not_found');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await platform.call('POST', '/_local/queues/notifications/messages', { rawBody: '{"id": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('answers 422 for an empty batch', async () => {
    const res = await inject('notifications', { messages: [] });
    expect(res.status).toBe(422);
  });
});

describe('a poison message', () => {
  it('ends in the dead-letter queue after maxReceiveCount deliveries, and good messages still flow', async () => {
    const { maxReceiveCount, visibilityTimeoutSeconds } = queues.notifications;
    const poison = { hello: 'not a notification' };
    const beside = notification();
    const sent = await inject('notifications', { messages: [poison, beside] });
    const [poisonId] = sent.body.messageIds as string[];

    await platform.runtime.drainQueues();
    expect(await delivered(beside.id)).toHaveLength(1);
    for (let delivery = 2; delivery <= maxReceiveCount; delivery += 1) {
      clock.advance(visibilityTimeoutSeconds + 1);
      await platform.runtime.drainQueues();
    }
    const [stillThere] = await platform.runtime.queue.peek('notifications');
    expect(stillThere).toMatchObject({ messageId: poisonId, receiveCount: maxReceiveCount });
    expect(await platform.runtime.queue.peek('notifications-dlq')).toEqual([]);

    clock.advance(visibilityTimeoutSeconds + 1);
    await platform.runtime.drainQueues();
    expect(await platform.runtime.queue.peek('notifications')).toEqual([]);
    const deadLetters = await platform.runtime.queue.peek('notifications-dlq');
    expect(deadLetters).toEqual([expect.objectContaining({ messageId: poisonId, receiveCount: maxReceiveCount, deadLetterSourceQueue: 'notifications' })]);
    expect(JSON.parse(deadLetters[0]!.body)).toEqual(poison);

    const after = notification();
    expect((await inject('notifications', after)).status).toBe(202);
    await platform.runtime.drainQueues();
    expect(await delivered(after.id)).toHaveLength(1);
  });
});
