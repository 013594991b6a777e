import { ulid } from 'ulid';
import { signJwt } from '../auth/jwt.js';
import type { Principal, RealNameLevel } from '../auth/principal.js';
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

/** Whom a token speaks for, with what it may do: the principal its verification yields. */
export type TokenSubject = Pick<Principal, 'sub' | 'subjectType' | 'level' | 'roles' | 'agency' | 'region'>;

export interface TokenSigning {
  readonly vault: KeyVault;
  readonly tokenKeys: TokenKeys;
  readonly clock: Clock;
  readonly settings: AccessTokenSettings;
}

/** the acr we assert: the real-name level (GB/T 39047 table 1) the authentication reached */
export const acrOf = (level: number) => `urn:gov:cn:loa:${level}`;

/** The token subject of an account, at its own level unless a session fixes another. */
export function subjectOf(account: Account, level: RealNameLevel = account.level): TokenSubject {
  return {
    sub: account.accountId,
    subjectType: account.subjectType,
    level,
    roles: account.roles,
    ...(account.agency ? { agency: account.agency } : {}),
    ...(account.region ? { region: account.region } : {}),
  };
}

/**
 * Issues an ES256 JWT signed by the vault key (RFC 9068 header typ "at+jwt"): claims iss, sub,
 * aud, exp, iat, jti, sid, auth_time, subjectType, level, acr, amr, roles, agency, region, plus
 * `extraClaims` (act and delegation of delegated tokens; name and ID of tokens for a peer).
 * `tokenUse` "access" marks our access tokens; "federation" a token only a peer's token
 * exchange accepts.
 */
export async function issueAccessToken(
  deps: TokenSigning,
  input: {
    subject: TokenSubject;
    sessionId?: string;
    amr: readonly string[];
    authTime?: Date;
    audience?: string;
    ttlSeconds?: number;
    tokenUse?: 'access' | 'federation';
    extraClaims?: Readonly<Record<string, unknown>>;
  },
): Promise<IssuedAccessToken> {
  const { keyId, kid } = await deps.tokenKeys.signingKey();
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const ttl = input.ttlSeconds ?? deps.settings.ttlSeconds;
  const { subject } = input;
  const accessToken = await signJwt({
    vault: deps.vault,
    keyId,
    kid,
    header: { typ: input.tokenUse === 'federation' ? 'JWT' : 'at+jwt' },
    claims: {
      ...input.extraClaims,
      iss: deps.settings.issuer,
      sub: subject.sub,
      aud: input.audience ?? deps.settings.audience,
      iat,
      exp: iat + ttl,
      jti: ulid(),
      ...(input.sessionId ? { sid: input.sessionId } : {}),
      ...(input.authTime ? { auth_time: Math.floor(input.authTime.getTime() / 1000) } : {}),
      token_use: input.tokenUse ?? 'access',
      subjectType: subject.subjectType,
      level: subject.level,
      acr: acrOf(subject.level),
      amr: input.amr,
      roles: subject.roles,
      ...(subject.agency ? { agency: subject.agency } : {}),
      ...(subject.region ? { region: subject.region } : {}),
    },
  });
  return { accessToken, expiresIn: ttl, tokenType: 'Bearer' };
}
