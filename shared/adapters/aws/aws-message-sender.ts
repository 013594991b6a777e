import type { MessageSender, OutboundMessage } from '../../ports/message-sender.js';
import { lambdaCredentials, signedFetch, type CredentialsProvider, awsDomain } from './signed-fetch.js';

/** Renders a template with its params; templates are plain text with {name} placeholders. */
export function renderMessage(message: OutboundMessage, templates: Readonly<Record<string, string>>): string {
  const template = templates[message.template];
  if (!template) throw new Error(`no message template ${message.template}`);
  return template.replace(/\{(\w+)\}/g, (_, name: string) => message.params[name] ?? '');
}

/** Message texts by template id (zh-CN). New templates are added here and in the producer. */
export const MESSAGE_TEMPLATES: Readonly<Record<string, string>> = {
  'sms-code': '【政务服务平台】验证码 {code}，{minutes} 分钟内有效，用于{purpose}。如非本人操作请忽略。',
  'case-state': '【政务服务平台】您的办件 {caseNo} 状态更新为：{state}。',
};

export interface AwsMessageSenderOptions {
  readonly region: string;
  /** verified SES sender address; email is refused without it */
  readonly emailFrom?: string;
  readonly credentials?: CredentialsProvider;
  readonly fetch?: typeof fetch;
}

/**
 * Messages in AWS: SMS through Amazon SNS (Publish to a phone number, transactional), email
 * through Amazon SES v2 (SendEmail). Both are single signed HTTPS calls, so no SDK client is
 * bundled for them. Mainland China SMS needs a domestic provider; it plugs in behind the same port.
 */
export function awsMessageSender(options: AwsMessageSenderOptions): MessageSender {
  const credentials = options.credentials ?? lambdaCredentials();
  const sns = signedFetch({ service: 'sns', region: options.region, credentials, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const ses = signedFetch({ service: 'ses', region: options.region, credentials, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const domain = awsDomain(options.region);

  return {
    async send(message) {
      const text = renderMessage(message, MESSAGE_TEMPLATES);
      if (message.channel === 'sms') {
        const form = new URLSearchParams({
          Action: 'Publish',
          Version: '2010-03-31',
          PhoneNumber: message.to.startsWith('+') ? message.to : `+86${message.to}`,
          Message: text,
          'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
          'MessageAttributes.entry.1.Value.DataType': 'String',
          'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
        });
        const response = await sns({
          method: 'POST',
          url: `https://sns.${options.region}.${domain}/`,
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: form.toString(),
        });
        const xml = new TextDecoder().decode(response.body);
        if (response.status !== 200) throw new Error(`sns: Publish failed with ${response.status} ${/<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? ''}`.trim());
        return { providerMessageId: /<MessageId>([^<]+)<\/MessageId>/.exec(xml)?.[1] ?? 'sns' };
      }
      if (!options.emailFrom) throw new Error('configuration: EMAIL_FROM is not set');
      const response = await ses({
        method: 'POST',
        url: `https://email.${options.region}.${domain}/v2/email/outbound-emails`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          FromEmailAddress: options.emailFrom,
          Destination: { ToAddresses: [message.to] },
          Content: { Simple: { Subject: { Data: '政务服务平台通知', Charset: 'UTF-8' }, Body: { Text: { Data: text, Charset: 'UTF-8' } } } },
        }),
      });
      const body = new TextDecoder().decode(response.body);
      if (response.status !== 200) throw new Error(`ses: SendEmail failed with ${response.status}`);
      return { providerMessageId: (JSON.parse(body) as { MessageId?: string }).MessageId ?? 'ses' };
    },
  };
}

/** the message sender of a Lambda function (composition factory); EMAIL_FROM is the verified SES sender */
export const awsMessages = (env: NodeJS.ProcessEnv): MessageSender =>
  awsMessageSender({ region: env.AWS_REGION ?? 'unset', ...(env.EMAIL_FROM ? { emailFrom: env.EMAIL_FROM } : {}) });
