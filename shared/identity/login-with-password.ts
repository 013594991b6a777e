import { ulid } from 'ulid';
import { unauthenticated } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import type { TokenKeys } from '../auth/token-keys.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import { ttlFromNow } from '../tables/expiry.js';
import type { AccountRepository } from './account-repository.js';
import { issueAccessToken, type AccessTokenSettings, type IssuedAccessToken } from './access-tokens.js';
import { classifyLoginName } from './login-name.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';
import type { SessionRepository } from './session-repository.js';

/** How long a login session lives (refresh tokens cannot outlive it). */
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface LoginDependencies {
  readonly accounts: AccountRepository;
  readonly sessions: SessionRepository;
  readonly personalData: PersonalDataProtector;
  readonly vault: KeyVault;
  readonly tokenKeys: TokenKeys;
  readonly clock: Clock;
  readonly settings: AccessTokenSettings;
}

/**
 * Logs in with a login name (phone, ID number, USCC, email or username) and a password.
 * 1. find the account by the keyed hash of the normalised login name;
 * 2. check the password in constant time, spending the same time when there is no account;
 * 3. refuse with one message whatever failed, so the answer does not reveal who is registered;
 * 4. open a session and issue an access token for it (amr "pwd").
 */
export async function loginWithPassword(
  deps: LoginDependencies,
  input: { username: string; password: string; sourceIp: string },
): Promise<IssuedAccessToken & { sessionId: string }> {
  const { kind, value } = classifyLoginName(input.username);
  const account = await deps.accounts.findByClaim({ kind, hash: await deps.personalData.lookupHash(kind, value) });
  const ok = account && account.status === 'active' ? await verifyPassword(input.password, account.passwordHash) : await verifyAgainstDummy(input.password);
  if (!account || !ok) throw unauthenticated('The login name or password is wrong', 'invalid_credentials');

  const now = deps.clock.now();
  const sessionId = ulid(now.getTime());
  const amr = ['pwd'];
  await deps.sessions.create({ sessionId, accountId: account.accountId, amr, createdAt: now.toISOString(), sourceIp: input.sourceIp, expiresAt: ttlFromNow(now, SESSION_TTL_SECONDS) });
  return { ...(await issueAccessToken(deps, { account, sessionId, amr })), sessionId };
}
