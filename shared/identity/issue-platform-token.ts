import { InvalidTokenError } from '../auth/token-verifier.js';
import { unauthenticated } from '../errors.js';
import { issueAccessToken, subjectOf, type IssuedAccessToken } from './access-tokens.js';
import type { AuditSubject } from './audit-trail.js';
import type { IdentityServices } from './identity-services.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';

/** How a registered platform proves who it is at the token endpoint (RFC 6749 2.3, RFC 7523). */
export type ClientAuthentication =
  | { readonly method: 'client_secret'; readonly clientId: string; readonly clientSecret: string }
  | { readonly method: 'private_key_jwt'; readonly clientAssertion: string };

const invalidClient = () => unauthenticated('The client authentication failed', 'invalid_client');

/**
 * OAuth client_credentials grant for registered peer platforms: tokens with subjectType
 * "platform", the platform's roles and level, and no session (there is no one to log out).
 * 1. client secret: find the platform account by its client id and check the secret like a
 *    password (constant time, same answer for unknown clients), with the login lockout;
 * 2. private_key_jwt: verify the assertion with the keys of the peer of that client id
 *    (iss = sub = client id, aud = our token endpoint, exp), and use its jti once;
 * 3. only active platform accounts get a token; the issuance is audited.
 */
export async function issuePlatformToken(
  deps: Pick<IdentityServices, 'accounts' | 'personalData' | 'lockout' | 'audit' | 'clientAssertions' | 'replays' | 'vault' | 'tokenKeys' | 'clock' | 'settings'>,
  input: ClientAuthentication & { sourceIp: string },
): Promise<IssuedAccessToken> {
  let clientId: string;
  if (input.method === 'private_key_jwt') {
    const verified = await deps.clientAssertions.verify(input.clientAssertion).catch((error: unknown) => {
      if (error instanceof InvalidTokenError) throw invalidClient();
      throw error;
    });
    const { sub, jti, exp, iss } = verified.claims;
    if (sub !== iss || typeof jti !== 'string' || !(await deps.replays.firstUse(`client:${verified.peer.id}`, jti, exp!))) throw invalidClient();
    clientId = verified.peer.id;
  } else {
    clientId = input.clientId.trim().toLowerCase();
  }

  const loginName = { kind: 'username' as const, hash: await deps.personalData.lookupHash('username', clientId) };
  const found = await deps.accounts.findByClaim(loginName);
  const account = found?.subjectType === 'platform' ? found : undefined;
  const subject: AuditSubject = account ? { accountId: account.accountId } : { loginName };
  await deps.lockout.assertNotLocked(subject);
  if (input.method === 'client_secret') {
    const ok = account?.passwordHash ? await verifyPassword(input.clientSecret, account.passwordHash) : await verifyAgainstDummy(input.clientSecret);
    if (!account || !ok) {
      await deps.lockout.recordFailure(subject, { sourceIp: input.sourceIp, method: 'client-secret' });
      throw invalidClient();
    }
    await deps.lockout.recordSuccess(subject);
  } else if (!account) {
    throw invalidClient();
  }

  const amr = input.method === 'client_secret' ? ['pwd'] : ['swk'];
  const token = await issueAccessToken(deps, { subject: subjectOf(account), amr });
  await deps.audit.append(
    { accountId: account.accountId },
    { action: 'platform-token-issued', actor: account.accountId, at: deps.clock.now().toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { method: input.method } },
  );
  return token;
}
