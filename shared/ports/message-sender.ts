/**
 * Delivers a message to a person (SMS gateway in production; the local sender writes to
 * <data dir>/outbox/ so a person running the platform can read the SMS codes).
 */
export interface OutboundMessage {
  readonly channel: 'sms' | 'email';
  /** phone number or email address; never logged */
  readonly to: string;
  readonly template: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface MessageSender {
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
}
