import { ulid } from 'ulid';
import { signJwt } from '../auth/jwt.js';
import type { TokenKeys } from '../auth/token-keys.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import type { Account } from './account-repository.js';

export interface AccessTokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export interface IssuedAccessToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly tokenType: 'Bearer';
}

/** RFC 8176 amr values → the acr we assert: the real-name level the login reached. */
const acrOf = (level: number) => `urn:gov:cn:loa:${level}`;

/**
 * Issues an ES256 access token for an account's session, signed by the vault key
 * (RFC 9068 header typ "at+jwt"; claims iss, sub, aud, exp, iat, jti, sid, subjectType, level, acr, amr, roles, agency).
 */
export async function issueAccessToken(
  deps: { vault: KeyVault; tokenKeys: TokenKeys; clock: Clock; settings: AccessTokenSettings },
  input: { account: Account; sessionId: string; amr: readonly string[] },
): Promise<IssuedAccessToken> {
  const { keyId, kid } = await deps.tokenKeys.signingKey();
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const { account } = input;
  const accessToken = await signJwt({
    vault: deps.vault,
    keyId,
    kid,
    header: { typ: 'at+jwt' },
    claims: {
      iss: deps.settings.issuer,
      sub: account.accountId,
      aud: deps.settings.audience,
      iat,
      exp: iat + deps.settings.ttlSeconds,
      jti: ulid(),
      sid: input.sessionId,
      token_use: 'access',
      subjectType: account.subjectType,
      level: account.level,
      acr: acrOf(account.level),
      amr: input.amr,
      roles: account.roles,
      ...(account.agency ? { agency: account.agency } : {}),
    },
  });
  return { accessToken, expiresIn: deps.settings.ttlSeconds, tokenType: 'Bearer' };
}
