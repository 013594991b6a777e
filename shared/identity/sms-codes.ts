import { randomInt } from 'node:crypto';
import { ulid } from 'ulid';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { TransactionItem } from '../tables/transactions.js';
import type { NotificationMessage } from '../notifications/notification.js';
import type { AccountRepository } from './account-repository.js';
import type { AttemptCounters } from './attempt-counters.js';
import { MAX_WRONG_TRIES, type SmsCodeRepository, type SmsPurpose } from './sms-code-repository.js';

export const SMS_CODE_TTL_SECONDS = 5 * 60;
/** at most 5 codes per phone number per hour, whatever their purpose */
export const SMS_CODES_PER_PHONE = { max: 5, windowSeconds: 3600 } as const;

const PURPOSE_TEXT: Record<SmsPurpose, string> = { register: '注册账号', login: '登录', upgrade: '实名认证' };

interface SmsCodeDependencies {
  readonly smsCodes: SmsCodeRepository;
  readonly personalData: PersonalDataProtector;
  readonly clock: Clock;
}

const codeHashOf = (deps: SmsCodeDependencies, purpose: SmsPurpose, phoneHash: string, code: string) =>
  deps.personalData.lookupHash('sms-code', `${purpose}:${phoneHash}:${code}`);

/**
 * Sends a 6-digit one-time code by SMS.
 * 1. count the request against the phone's hourly limit (429 beyond 5 an hour);
 * 2. for login and upgrade codes, send only to a phone an account holds, answering the same
 *    either way, so the endpoint does not reveal who is registered;
 * 3. keep only the keyed hash of the code, valid 5 minutes, replacing any earlier code;
 * 4. queue the SMS on the notifications queue (the notifier hands it to the message port).
 */
export async function sendSmsCode(
  deps: SmsCodeDependencies & { accounts: AccountRepository; counters: AttemptCounters; queues: QueuePublisher },
  input: { phone: string; purpose: SmsPurpose },
): Promise<{ expiresIn: number }> {
  const now = deps.clock.now();
  const phoneHash = await deps.personalData.lookupHash('phone', input.phone);
  const { allowed } = await deps.counters.hit(`sms#${phoneHash}`, SMS_CODES_PER_PHONE, now);
  if (!allowed) throw new AppError('rate_limited', 'too_many_sms_codes', 'Too many codes were sent to this phone number; try again later');
  if (input.purpose !== 'register' && !(await deps.accounts.findByClaim({ kind: 'phone', hash: phoneHash }))) {
    return { expiresIn: SMS_CODE_TTL_SECONDS };
  }

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await deps.smsCodes.replace(phoneHash, input.purpose, {
    codeHash: await codeHashOf(deps, input.purpose, phoneHash, code),
    expiresAt: Math.floor(now.getTime() / 1000) + SMS_CODE_TTL_SECONDS,
  });
  const message: NotificationMessage = {
    id: `sms-code-${ulid(now.getTime())}`,
    channel: 'sms',
    to: input.phone,
    template: 'sms-code',
    params: { code, minutes: String(SMS_CODE_TTL_SECONDS / 60), purpose: PURPOSE_TEXT[input.purpose] },
  };
  await deps.queues.send('notifications', [{ body: message }]);
  return { expiresIn: SMS_CODE_TTL_SECONDS };
}

export type SmsCodeCheck = { readonly valid: true; readonly usage: TransactionItem } | { readonly valid: false };

/**
 * Checks an SMS code without using it up.
 * 1. no live code for this phone and purpose: invalid;
 * 2. a code tried wrongly 5 times refuses every further try (429), even the right code;
 * 3. a wrong code counts a wrong try;
 * 4. a right code yields the write that uses it up, to commit in the same transaction as the
 *    change it authorises (so a code works once, and only if that change is written).
 */
export async function checkSmsCode(deps: SmsCodeDependencies, input: { phone: string; purpose: SmsPurpose; code: string }): Promise<SmsCodeCheck> {
  const now = deps.clock.now();
  const phoneHash = await deps.personalData.lookupHash('phone', input.phone);
  const stored = await deps.smsCodes.get(phoneHash, input.purpose);
  if (!stored || stored.expiresAt * 1000 <= now.getTime()) return { valid: false };
  if (stored.wrongTries >= MAX_WRONG_TRIES) {
    throw new AppError('rate_limited', 'too_many_attempts', 'This code was tried wrongly too often; request a new one');
  }
  const codeHash = await codeHashOf(deps, input.purpose, phoneHash, input.code);
  if (codeHash !== stored.codeHash) {
    await deps.smsCodes.countWrongTry(phoneHash, input.purpose, stored.codeHash);
    return { valid: false };
  }
  return { valid: true, usage: deps.smsCodes.usage(phoneHash, input.purpose, codeHash, now) };
}
