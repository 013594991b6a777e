import { describe, it, expect, beforeEach } from '@jest/globals';
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { sqsQueuePublisher, QueueSendError } from '../../shared/adapters/aws/sqs-queue-publisher.js';

const queueUrl = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/gsp-notifications';
const env = { QUEUE_URL_NOTIFICATIONS: queueUrl };

/** answers every SendMessageBatch by accepting all entries, with message ids derived from the entry ids */
function acceptAll(input: { Entries?: SendMessageBatchRequestEntry[] }) {
  return { Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: `sqs-${e.Id}`, MD5OfMessageBody: 'x' })), Failed: [] };
}

describe('sqsQueuePublisher', () => {
  const client = new SQSClient({ region: 'cn-north-1' });
  const sqs = mockClient(client);

  beforeEach(() => {
    sqs.reset();
  });

  it('sends JSON bodies with their delays in batches of 10 and returns the ids in message order', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(acceptAll);
    const messages = Array.from({ length: 23 }, (_, n) => ({ body: { n }, ...(n === 0 ? { delaySeconds: 30 } : {}) }));

    const { messageIds } = await sqsQueuePublisher({ client, env }).send('notifications', messages);

    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((input) => input.QueueUrl === queueUrl)).toBe(true);
    expect(calls[0]?.Entries?.[0]).toEqual({ Id: 'm0', MessageBody: '{"n":0}', DelaySeconds: 30 });
    expect(calls[0]?.Entries?.[1]).toEqual({ Id: 'm1', MessageBody: '{"n":1}' });
    expect(messageIds).toEqual(messages.map((_, n) => `sqs-m${n}`));
  });

  it('keeps each request under 1 MiB of message bodies', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(acceptAll);
    const large = { body: 'x'.repeat(400 * 1024) };

    await sqsQueuePublisher({ client, env }).send('notifications', [large, large, large, { body: 'small' }]);

    expect(sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries?.length)).toEqual([2, 2]);
  });

  it('makes no request for an empty list', async () => {
    expect(await sqsQueuePublisher({ client, env }).send('notifications', [])).toEqual({ messageIds: [] });
    expect(sqs.calls()).toHaveLength(0);
  });

  it('fails naming the environment variable when the queue URL is missing', async () => {
    await expect(sqsQueuePublisher({ client, env: {} }).send('notifications', [{ body: 1 }])).rejects.toThrow(/QUEUE_URL_NOTIFICATIONS/);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('retries entries SQS failed on its side', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: 'm0', MessageId: 'id-0', MD5OfMessageBody: 'x' }],
        Failed: [{ Id: 'm1', SenderFault: false, Code: 'InternalError' }],
      })
      .resolves({ Successful: [{ Id: 'm1', MessageId: 'id-1', MD5OfMessageBody: 'x' }], Failed: [] });

    const { messageIds } = await sqsQueuePublisher({ client, env }).send('notifications', [{ body: 'a' }, { body: 'b' }]);

    expect(messageIds).toEqual(['id-0', 'id-1']);
    expect(sqs.commandCalls(SendMessageBatchCommand)[1]?.args[0].input.Entries).toEqual([{ Id: 'm1', MessageBody: '"b"' }]);
  });

  it('raises an error that lists the rejected messages but never their bodies', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
      Successful: (input.Entries ?? []).filter((e) => e.Id !== 'm1' && e.Id !== 'm11').map((e) => ({ Id: e.Id, MessageId: `sqs-${e.Id}`, MD5OfMessageBody: 'x' })),
      Failed: (input.Entries ?? [])
        .filter((e) => e.Id === 'm1' || e.Id === 'm11')
        .map((e) => ({ Id: e.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: `bad ${e.MessageBody}` })),
    }));
    const messages = Array.from({ length: 12 }, (_, n) => ({ body: { phone: `1380000${String(n).padStart(4, '0')}` } }));

    const sending = sqsQueuePublisher({ client, env }).send('notifications', messages);

    const error = (await sending.catch((e: unknown) => e)) as QueueSendError;
    expect(error).toBeInstanceOf(QueueSendError);
    expect(error.message).toMatch(/#1 \(InvalidParameterValue, sender fault\), #11 \(InvalidParameterValue, sender fault\)/);
    expect(error.message).not.toMatch(/1380000/);
    expect(error.rejected.map((r) => r.index)).toEqual([1, 11]);
    expect(error.messageIds.filter(Boolean)).toHaveLength(10);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });
});
