import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MessageSender, OutboundMessage } from '../../ports/message-sender.js';

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

/**
 * Messages in AWS: SMS through Amazon SNS (transactional), email through Amazon SES.
 * Mainland China SMS needs a domestic provider; it plugs in behind the same port.
 */
export function awsMessageSender(options: { sns?: SNSClient; ses?: SESv2Client; emailFrom?: string } = {}): MessageSender {
  const sns = options.sns ?? new SNSClient({});
  const ses = options.ses ?? new SESv2Client({});
  return {
    async send(message) {
      const text = renderMessage(message, MESSAGE_TEMPLATES);
      if (message.channel === 'sms') {
        const phone = message.to.startsWith('+') ? message.to : `+86${message.to}`;
        const { MessageId } = await sns.send(
          new PublishCommand({
            PhoneNumber: phone,
            Message: text,
            MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
          }),
        );
        return { providerMessageId: MessageId ?? 'sns' };
      }
      if (!options.emailFrom) throw new Error('configuration: EMAIL_FROM is not set');
      const { MessageId } = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: options.emailFrom,
          Destination: { ToAddresses: [message.to] },
          Content: { Simple: { Subject: { Data: '政务服务平台通知', Charset: 'UTF-8' }, Body: { Text: { Data: text, Charset: 'UTF-8' } } } },
        }),
      );
      return { providerMessageId: MessageId ?? 'ses' };
    },
  };
}
