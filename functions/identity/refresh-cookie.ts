import { invalidField, malformed } from '../../shared/errors.js';

/**
 * Refresh-token delivery for browsers (the web portal). A client that sends
 * `X-Token-Delivery: cookie` at login gets its refresh token as an httpOnly cookie instead of in
 * the body, so no script (nor an injected one) can read it; the access token stays in the
 * page's memory. The cookie is sent back only to the identity API's paths, only from the same
 * site (SameSite=Strict) and only over HTTPS (browsers treat http://localhost as secure).
 *
 * The header is also the CSRF guard of the refresh: a cross-site form cannot set a custom
 * header, and another origin's script needs a CORS preflight that only allowed origins pass.
 * Without the header the endpoints work as before (API clients keep the token in the body) and
 * ignore the cookie.
 */
export const TOKEN_DELIVERY_HEADER = 'x-token-delivery';
export const REFRESH_COOKIE = '__Secure-gsp-refresh';
const COOKIE_PATH = '/v1/identity';

/** whether the request asked for cookie delivery; any other value of the header is refused by the schema */
export const wantsCookieDelivery = (headers: Readonly<Record<string, string | undefined>>): boolean => headers[TOKEN_DELIVERY_HEADER] === 'cookie';

/** the Set-Cookie value carrying a refresh token that lives `maxAgeSeconds` */
export function refreshCookie(refreshToken: string, maxAgeSeconds: number): string {
  return `${REFRESH_COOKIE}=${refreshToken}; Path=${COOKIE_PATH}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Strict`;
}

/** the Set-Cookie value that removes the refresh cookie */
export function clearedRefreshCookie(): string {
  return `${REFRESH_COOKIE}=; Path=${COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

/**
 * The refresh token of a refresh_token grant: from the cookie with cookie delivery, else from
 * the body. Exactly one source: with cookie delivery a body token is refused, and without it a
 * missing body token is refused even if the cookie came along (no header, no cookie use).
 */
export function refreshTokenOf(request: { headers: Readonly<Record<string, string | undefined>>; cookies: Readonly<Record<string, string>>; bodyToken: string | undefined }): string {
  if (wantsCookieDelivery(request.headers)) {
    if (request.bodyToken !== undefined) throw invalidField('refresh_token', 'must be left out with X-Token-Delivery: cookie: the refresh token comes from the cookie');
    const token = request.cookies[REFRESH_COOKIE];
    if (!token) throw malformed('No refresh cookie came with the request; log in again', 'invalid_grant');
    return token;
  }
  if (request.bodyToken === undefined) throw invalidField('refresh_token', 'is required (a browser sends X-Token-Delivery: cookie instead, with the refresh cookie)');
  return request.bodyToken;
}
