import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are opaque: "<session id>.<256 random bits>". Only their SHA-256 is stored (on
 * the session), so a copy of the table holds no usable token; the session id in front finds the
 * session without an index.
 */
export function newRefreshToken(sessionId: string): { token: string; hash: string } {
  const token = `${sessionId}.${randomBytes(32).toString('base64url')}`;
  return { token, hash: refreshTokenHash(token) };
}

export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** the session id a refresh token names, or undefined for anything that is not one of ours */
export function sessionIdOfRefreshToken(token: string): string | undefined {
  const match = /^([0-9A-HJKMNP-TV-Z]{26})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match?.[1];
}
