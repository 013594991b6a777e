import { ulid } from 'ulid';
import { signJwt } from '../auth/jwt.js';
import { isSafePeerUrl, type PeerPlatform } from '../auth/peer-platforms.js';
import type { TokenKeys } from '../auth/token-keys.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import { BACKCHANNEL_LOGOUT_EVENT, type LogoutNotice } from './logout-notices.js';

/** a logout token is good for this long: enough for the peer to receive it, not to keep it */
const LOGOUT_TOKEN_TTL_SECONDS = 120;
const DELIVERY_TIMEOUT_MS = 5000;

/** The peer did not take the logout: the queue retries, then dead-letters the notice. */
export class LogoutDeliveryError extends Error {
  constructor(peerId: string, reason: string) {
    super(`back-channel logout to ${peerId} failed: ${reason}`);
    this.name = 'LogoutDeliveryError';
  }
}

/**
 * Delivers one queued logout notice to a peer platform (OIDC Back-Channel Logout 1.0).
 * 1. a peer no longer configured, or without a logout URI, is skipped (nothing to retry);
 * 2. sign a fresh logout token with our token key: iss us, aud the peer, iat, exp, jti, sub,
 *    sid when one session ended, the back-channel logout event; typ "logout+jwt";
 * 3. POST it form-encoded as `logout_token`; any answer but 2xx, or no answer, throws so the
 *    queue retries it (with backoff, then the dead-letter queue).
 */
export async function deliverLogoutNotice(
  deps: { peerPlatforms: readonly PeerPlatform[]; vault: KeyVault; tokenKeys: TokenKeys; clock: Clock; issuer: string; fetch?: typeof fetch },
  notice: LogoutNotice,
): Promise<'delivered' | 'skipped'> {
  const peer = deps.peerPlatforms.find((p) => p.id === notice.peerId);
  if (!peer?.backchannelLogoutUri || !isSafePeerUrl(peer.backchannelLogoutUri)) return 'skipped';
  const { keyId, kid } = await deps.tokenKeys.signingKey();
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const logoutToken = await signJwt({
    vault: deps.vault,
    keyId,
    kid,
    header: { typ: 'logout+jwt' },
    claims: {
      iss: deps.issuer,
      aud: peer.audience,
      iat,
      exp: iat + LOGOUT_TOKEN_TTL_SECONDS,
      jti: ulid(),
      sub: notice.subject,
      ...(notice.sessionId ? { sid: notice.sessionId } : {}),
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    },
  });
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(peer.backchannelLogoutUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: logoutToken }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  } catch (error) {
    throw new LogoutDeliveryError(peer.id, (error as Error).name);
  }
  await response.arrayBuffer();
  if (!response.ok) throw new LogoutDeliveryError(peer.id, `HTTP ${response.status}`);
  return 'delivered';
}
