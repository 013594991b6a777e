import { describe, it, expect } from '@jest/globals';
import { AwsServiceError } from '../../shared/adapters/aws/aws-json-service.js';
import { awsQueues, sqsQueuePublisher, QueueSendError } from '../../shared/adapters/aws/sqs-queue-publisher.js';
import { AwsErrorAnswer, fakeAwsJsonService, testClock, testCredentials, type AwsJsonRequest } from '../support/fake-aws-json-service.js';

const queueUrl = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/gsp-notifications';
const env = { QUEUE_URL_NOTIFICATIONS: queueUrl };

interface Entry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
}
const entriesOf = (request: AwsJsonRequest) => request.input.Entries as Entry[];

/** answers every SendMessageBatch by accepting all entries, with message ids derived from the entry ids */
function acceptAll(request: AwsJsonRequest) {
  return { Successful: entriesOf(request).map((e) => ({ Id: e.Id, MessageId: `sqs-${e.Id}`, MD5OfMessageBody: 'x' })), Failed: [] };
}

/** a publisher in cn-north-1 whose SQS is the fake behind `answer` */
function publisherWith(answer: (request: AwsJsonRequest) => unknown, queueEnv: NodeJS.ProcessEnv = env) {
  const sqs = fakeAwsJsonService(answer);
  const publisher = sqsQueuePublisher({ region: 'cn-north-1', env: queueEnv, credentials: testCredentials, clock: testClock, fetch: sqs.fetch });
  return { publisher, sqs };
}

describe('sqsQueuePublisher', () => {
  it('speaks AWS JSON 1.0 to the regional SQS endpoint, signed for sqs', async () => {
    const { publisher, sqs } = publisherWith(acceptAll);
    await publisher.send('notifications', [{ body: { n: 1 } }]);
    expect(sqs.requests).toEqual([
      {
        url: 'https://sqs.cn-north-1.amazonaws.com.cn/',
        target: 'AmazonSQS.SendMessageBatch',
        operation: 'SendMessageBatch',
        contentType: 'application/x-amz-json-1.0',
        credentialScope: 'AKIDTEST/20250301/cn-north-1/sqs/aws4_request',
        input: { QueueUrl: queueUrl, Entries: [{ Id: 'm0', MessageBody: '{"n":1}' }] },
      },
    ]);
  });

  it('sends JSON bodies with their delays in batches of 10 and returns the ids in message order', async () => {
    const { publisher, sqs } = publisherWith(acceptAll);
    const messages = Array.from({ length: 23 }, (_, n) => ({ body: { n }, ...(n === 0 ? { delaySeconds: 30 } : {}) }));

    const { messageIds } = await publisher.send('notifications', messages);

    const calls = sqs.inputsOf('SendMessageBatch') as { QueueUrl: string; Entries: Entry[] }[];
    expect(calls.map((input) => input.Entries.length)).toEqual([10, 10, 3]);
    expect(calls.every((input) => input.QueueUrl === queueUrl)).toBe(true);
    expect(calls[0]?.Entries[0]).toEqual({ Id: 'm0', MessageBody: '{"n":0}', DelaySeconds: 30 });
    expect(calls[0]?.Entries[1]).toEqual({ Id: 'm1', MessageBody: '{"n":1}' });
    expect(messageIds).toEqual(messages.map((_, n) => `sqs-m${n}`));
  });

  it('keeps each request under 1 MiB of message bodies', async () => {
    const { publisher, sqs } = publisherWith(acceptAll);
    const large = { body: 'x'.repeat(400 * 1024) };

    await publisher.send('notifications', [large, large, large, { body: 'small' }]);

    expect(sqs.requests.map((request) => entriesOf(request).length)).toEqual([2, 2]);
  });

  it('makes no request for an empty list', async () => {
    const { publisher, sqs } = publisherWith(acceptAll);
    expect(await publisher.send('notifications', [])).toEqual({ messageIds: [] });
    expect(sqs.requests).toHaveLength(0);
  });

  it('fails naming the environment variable when the queue URL is missing', async () => {
    const { publisher, sqs } = publisherWith(acceptAll, {});
    await expect(publisher.send('notifications', [{ body: 1 }])).rejects.toThrow(/QUEUE_URL_NOTIFICATIONS/);
    expect(sqs.requests).toHaveLength(0);
  });

  it('retries entries SQS failed on its side', async () => {
    const answers = [
      { Successful: [{ Id: 'm0', MessageId: 'id-0', MD5OfMessageBody: 'x' }], Failed: [{ Id: 'm1', SenderFault: false, Code: 'InternalError' }] },
      { Successful: [{ Id: 'm1', MessageId: 'id-1', MD5OfMessageBody: 'x' }], Failed: [] },
    ];
    const { publisher, sqs } = publisherWith(() => answers.shift());

    const { messageIds } = await publisher.send('notifications', [{ body: 'a' }, { body: 'b' }]);

    expect(messageIds).toEqual(['id-0', 'id-1']);
    expect(entriesOf(sqs.requests[1]!)).toEqual([{ Id: 'm1', MessageBody: '"b"' }]);
  });

  it('gives up on entries SQS keeps failing after two retries', async () => {
    const { publisher, sqs } = publisherWith((request) => ({ Failed: entriesOf(request).map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' })) }));

    const error = (await publisher.send('notifications', [{ body: 'a' }]).catch((e: unknown) => e)) as QueueSendError;

    expect(error).toBeInstanceOf(QueueSendError);
    expect(error.rejected).toEqual([{ index: 0, code: 'InternalError', senderFault: false }]);
    expect(sqs.requests).toHaveLength(3);
  });

  it('raises an error that lists the rejected messages but never their bodies', async () => {
    const rejects = (e: Entry) => e.Id === 'm1' || e.Id === 'm11';
    const { publisher, sqs } = publisherWith((request) => ({
      Successful: entriesOf(request)
        .filter((e) => !rejects(e))
        .map((e) => ({ Id: e.Id, MessageId: `sqs-${e.Id}`, MD5OfMessageBody: 'x' })),
      Failed: entriesOf(request)
        .filter(rejects)
        .map((e) => ({ Id: e.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: `bad ${e.MessageBody}` })),
    }));
    const messages = Array.from({ length: 12 }, (_, n) => ({ body: { phone: `1380000${String(n).padStart(4, '0')}` } }));

    const error = (await publisher.send('notifications', messages).catch((e: unknown) => e)) as QueueSendError;

    expect(error).toBeInstanceOf(QueueSendError);
    expect(error.message).toMatch(/#1 \(InvalidParameterValue, sender fault\), #11 \(InvalidParameterValue, sender fault\)/);
    expect(error.message).not.toMatch(/1380000/);
    expect(error.rejected.map((r) => r.index)).toEqual([1, 11]);
    expect(error.messageIds.filter(Boolean)).toHaveLength(10);
    expect(sqs.requests).toHaveLength(2);
  });

  it('fails the send when SQS refuses the whole request', async () => {
    const { publisher } = publisherWith(() => new AwsErrorAnswer('QueueDoesNotExist', 400, 'The specified queue does not exist.'));
    const error = await publisher.send('notifications', [{ body: 'a' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({ operation: 'SendMessageBatch', code: 'QueueDoesNotExist' });
  });

  it('needs AWS_REGION in a Lambda function', () => {
    expect(() => awsQueues(env)).toThrow(/AWS_REGION is not set/);
  });
});
