import { unauthenticated } from '../errors.js';
import type { Account } from './account-repository.js';
import type { AuditSubject } from './audit-trail.js';
import type { IdentityServices } from './identity-services.js';
import { classifyLoginName } from './login-name.js';
import { openSession, type OpenedSession } from './open-session.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';

export type LoginDependencies = Pick<IdentityServices, 'accounts' | 'sessions' | 'personalData' | 'lockout' | 'audit' | 'vault' | 'tokenKeys' | 'clock' | 'settings'>;

export const invalidCredentials = () => unauthenticated('The login name or password is wrong', 'invalid_credentials');

/**
 * Logs in with a login name (phone, ID number, USCC, email or username) and a password.
 * 1. find the account by the keyed hash of the normalised login name;
 * 2. refuse while the account (or the unknown name) is locked: 429 account_locked;
 * 3. check the password in constant time, spending the same time when there is no account;
 * 4. a failure counts towards the lockout (10 in 15 minutes) and is audited; the answer is
 *    the same whatever failed, so it does not reveal who is registered;
 * 5. open a session (amr "pwd") with an access and a refresh token; audit the login.
 */
export async function loginWithPassword(deps: LoginDependencies, input: { username: string; password: string; sourceIp: string }): Promise<OpenedSession> {
  const { kind, value } = classifyLoginName(input.username);
  const loginName = { kind, hash: await deps.personalData.lookupHash(kind, value) };
  const account = await deps.accounts.findByClaim(loginName);
  const subject: AuditSubject = account ? { accountId: account.accountId } : { loginName };
  await deps.lockout.assertNotLocked(subject);

  const ok = account?.passwordHash ? await verifyPassword(input.password, account.passwordHash) : await verifyAgainstDummy(input.password);
  if (!account || !ok) {
    await deps.lockout.recordFailure(subject, { sourceIp: input.sourceIp, method: 'password' });
    throw invalidCredentials();
  }
  return completeLogin(deps, account, { amr: ['pwd'], method: 'password', sourceIp: input.sourceIp });
}

/** Clears the failure count, opens the session and audits the login. */
export async function completeLogin(
  deps: LoginDependencies,
  account: Account,
  context: { amr: readonly string[]; method: string; sourceIp: string },
): Promise<OpenedSession> {
  await deps.lockout.recordSuccess({ accountId: account.accountId });
  const opened = await openSession(deps, { account, amr: context.amr, sourceIp: context.sourceIp });
  await deps.audit.append(
    { accountId: account.accountId },
    { action: 'login-succeeded', actor: account.accountId, at: deps.clock.now().toISOString(), sourceIp: context.sourceIp, outcome: 'success', details: { method: context.method, sessionId: opened.sessionId } },
  );
  return opened;
}
