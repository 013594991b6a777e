import { unauthenticated } from '../errors.js';
import { TransactionConflictError, writeAll } from '../tables/transactions.js';
import type { Tables } from '../ports/tables.js';
import type { AuditSubject } from './audit-trail.js';
import type { IdentityServices } from './identity-services.js';
import { completeLogin, type LoginDependencies } from './login-with-password.js';
import type { OpenedSession } from './open-session.js';
import { checkSmsCode } from './sms-codes.js';

const wrongCode = () => unauthenticated('The phone number or code is wrong', 'invalid_credentials');

/**
 * Logs in with a phone number and an SMS code sent for purpose "login".
 * 1. find the account by the phone's keyed hash; refuse while it is locked (429 account_locked);
 * 2. check the code (5 wrong tries per code, then 429); a wrong code or an unknown phone counts
 *    towards the lockout like a wrong password, with one answer for both;
 * 3. use the code up (once only), open a session (amr "sms") and audit the login.
 */
export async function loginWithSmsCode(
  deps: LoginDependencies & Pick<IdentityServices, 'smsCodes'> & { tables: Tables },
  input: { phone: string; smsCode: string; sourceIp: string },
): Promise<OpenedSession> {
  const phone = { kind: 'phone' as const, hash: await deps.personalData.lookupHash('phone', input.phone) };
  const account = await deps.accounts.findByClaim(phone);
  const subject: AuditSubject = account ? { accountId: account.accountId } : { loginName: phone };
  await deps.lockout.assertNotLocked(subject);

  const check = await checkSmsCode(deps, { phone: input.phone, purpose: 'login', code: input.smsCode });
  if (!account || !check.valid) {
    await deps.lockout.recordFailure(subject, { sourceIp: input.sourceIp, method: 'sms' });
    throw wrongCode();
  }
  try {
    await writeAll(deps.tables, [check.usage]);
  } catch (error) {
    if (error instanceof TransactionConflictError) throw wrongCode();
    throw error;
  }
  return completeLogin(deps, account, { amr: ['sms'], method: 'sms', sourceIp: input.sourceIp });
}
