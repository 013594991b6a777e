import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { InvalidTokenError, type TokenVerifier } from './token-verifier.js';
import type { Principal, PrincipalVerifier, RealNameLevel, SubjectType } from './principal.js';

const SUBJECT_TYPES: readonly SubjectType[] = ['natural', 'legal', 'organization', 'staff', 'platform'];

/** Optional check that a session is still alive (unified logout); cached by the implementation. */
export interface SessionStatus {
  isRevoked(sessionId: string): Promise<boolean>;
}

/**
 * Verifies our access tokens and turns their claims into a Principal.
 * 1. signature, issuer, audience and expiry (aws-jwt-verify);
 * 2. it must be an access token (token_use "access"), not some other token we sign;
 * 3. the platform claims must be well-formed (subject type, level 1–5, roles);
 * 4. the session must not be revoked, when a session check is configured.
 */
export function accessTokenPrincipals(deps: { tokens: TokenVerifier; sessions?: SessionStatus }): PrincipalVerifier {
  return {
    async verify(token) {
      const claims = await deps.tokens.verify(token);
      const principal = principalFromClaims(claims);
      if (principal.sessionId && deps.sessions && (await deps.sessions.isRevoked(principal.sessionId))) {
        throw new InvalidTokenError('revoked');
      }
      return principal;
    },
  };
}

export function principalFromClaims(claims: JwtPayload): Principal {
  const { sub, subjectType, level, roles, agency, region, sid, amr, act, jti, token_use: tokenUse, delegation_id: delegationId, item_codes: itemCodes, scope } =
    claims as Record<string, unknown>;
  if (tokenUse !== 'access' || typeof sub !== 'string' || !SUBJECT_TYPES.includes(subjectType as SubjectType)) {
    throw new InvalidTokenError('malformed');
  }
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 5) throw new InvalidTokenError('malformed');
  const stringList = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return {
    sub,
    subjectType: subjectType as SubjectType,
    level: level as RealNameLevel,
    roles: stringList(roles),
    amr: stringList(amr),
    ...(typeof agency === 'string' ? { agency } : {}),
    ...(typeof region === 'string' && /^[1-9]\d{5}$/.test(region) ? { region } : {}),
    ...(typeof sid === 'string' ? { sessionId: sid } : {}),
    ...(typeof jti === 'string' ? { tokenId: jti } : {}),
    ...(act && typeof (act as { sub?: unknown }).sub === 'string' ? { actor: { sub: (act as { sub: string }).sub } } : {}),
    ...(typeof delegationId === 'string'
      ? { delegation: { id: delegationId, itemCodes: stringList(itemCodes), scope: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [] } }
      : {}),
  };
}
