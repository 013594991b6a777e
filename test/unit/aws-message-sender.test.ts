import { describe, expect, it } from '@jest/globals';
import { awsMessageSender } from '../../shared/adapters/aws/aws-message-sender.js';

const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });

function recordingFetch(status: number, body: string) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fake = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body, { status });
  }) as unknown as typeof fetch;
  return { calls, fake };
}

describe('AWS message sender (request shapes)', () => {
  it('publishes an SMS through SNS as a transactional message to a +86 number', async () => {
    const { calls, fake } = recordingFetch(200, '<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>');
    const sender = awsMessageSender({ region: 'ap-east-1', credentials, fetch: fake });
    const result = await sender.send({ channel: 'sms', to: '13800000001', template: 'sms-code', params: { code: '123456', minutes: '5', purpose: '登录' } });
    expect(result.providerMessageId).toBe('m-1');
    expect(calls[0]!.url).toBe('https://sns.ap-east-1.amazonaws.com/');
    const form = new URLSearchParams(String(calls[0]!.init.body));
    expect(form.get('Action')).toBe('Publish');
    expect(form.get('PhoneNumber')).toBe('+8613800000001');
    expect(form.get('Message')).toContain('123456');
    expect(form.get('MessageAttributes.entry.1.Value.StringValue')).toBe('Transactional');
    expect(new Headers(calls[0]!.init.headers).get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-east-1\/sns\/aws4_request/);
  });

  it('sends email through SES v2 from the configured sender, and refuses without one', async () => {
    const { calls, fake } = recordingFetch(200, '{"MessageId":"e-1"}');
    const sender = awsMessageSender({ region: 'cn-north-1', credentials, fetch: fake, emailFrom: 'noreply@gov.example' });
    await sender.send({ channel: 'email', to: 'a@b.cn', template: 'case-state', params: { caseNo: 'C1', state: '已受理' } });
    expect(calls[0]!.url).toBe('https://email.cn-north-1.amazonaws.com.cn/v2/email/outbound-emails');
    expect(JSON.parse(String(calls[0]!.init.body))).toMatchObject({ FromEmailAddress: 'noreply@gov.example', Destination: { ToAddresses: ['a@b.cn'] } });
    const noSender = awsMessageSender({ region: 'cn-north-1', credentials, fetch: fake });
    await expect(noSender.send({ channel: 'email', to: 'a@b.cn', template: 'case-state', params: {} })).rejects.toThrow('EMAIL_FROM');
  });

  it('reports an SNS failure with its error code', async () => {
    const { fake } = recordingFetch(400, '<ErrorResponse><Error><Code>InvalidParameter</Code></Error></ErrorResponse>');
    const sender = awsMessageSender({ region: 'ap-east-1', credentials, fetch: fake });
    await expect(sender.send({ channel: 'sms', to: '13800000001', template: 'sms-code', params: {} })).rejects.toThrow('InvalidParameter');
  });
});
