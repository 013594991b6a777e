import { JwtVerifier } from 'aws-jwt-verify';
import { JwtBaseError } from 'aws-jwt-verify/error';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { AppError } from '../errors.js';
import { isSafePeerUrl, type PeerPlatform } from './peer-platforms.js';
import { InvalidTokenError, invalidTokenReason } from './token-verifier.js';

export interface VerifiedPeerToken {
  readonly peer: PeerPlatform;
  readonly claims: JwtPayload;
}

/** Verifies tokens that configured peer platforms signed (subject tokens, logout tokens). */
export interface PeerTokenVerifier {
  /** the verified claims and the peer that signed them, or InvalidTokenError */
  verify(token: string): Promise<VerifiedPeerToken>;
  /** the configured peer whose issuer an (unverified) token names, if any */
  peerNamedBy(token: string): PeerPlatform | undefined;
}

/** A peer's keys could not be fetched: its outage, reported as 503 rather than as a bad token. */
export class PeerKeysUnavailableError extends AppError {
  constructor(uri: string, reason: string) {
    super('unavailable', 'peer_unavailable', `The keys of a peer platform could not be loaded (${new URL(uri).host}: ${reason})`);
    this.name = 'PeerKeysUnavailableError';
  }
}

/** seconds of clock difference tolerated between us and a peer */
const PEER_CLOCK_SKEW_SECONDS = 30;
const JWKS_FETCH_TIMEOUT_MS = 5000;
const MAX_JWKS_BYTES = 64 * 1024;
/** After a token names a kid that a fresh JWKS does not have, the peer's keys are not reloaded for this long. */
const UNKNOWN_KID_RELOAD_PAUSE_SECONDS = 60;

/**
 * Verifies peer tokens with aws-jwt-verify: one verifier over every configured issuer, each with
 * its own JWKS URI, audience (ours), exp required, and a small clock-skew grace.
 *
 * aws-jwt-verify downloads JWKS only over https; its cache is handed a fetcher built on `fetch`
 * that also allows http on the loopback interface (the local runtime and tests, where the peer
 * is a server in the same machine), refuses redirects, and bounds time and size.
 */
export function createPeerTokenVerifier(options: {
  peers: readonly PeerPlatform[];
  audience: string | readonly string[];
  /** the `iss` a peer's tokens carry: its issuer URL, or its client id for client assertions (RFC 7523) */
  issuerOf?: (peer: PeerPlatform) => string;
  fetch?: typeof fetch;
}): PeerTokenVerifier {
  const fetchImpl = options.fetch ?? fetch;
  const issuerOf = options.issuerOf ?? ((peer: PeerPlatform) => peer.issuer);
  const byIssuer = new Map(options.peers.map((peer) => [issuerOf(peer), peer]));
  const jwksCache = new SimpleJwksCache({
    penaltyBox: new SimplePenaltyBox({ waitSeconds: UNKNOWN_KID_RELOAD_PAUSE_SECONDS }),
    fetcher: {
      fetch: async (uri: string) => {
        if (!isSafePeerUrl(uri)) throw new PeerKeysUnavailableError(uri, 'not an https URL');
        let response: Response;
        try {
          response = await fetchImpl(uri, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
        } catch (error) {
          throw new PeerKeysUnavailableError(uri, (error as Error).name);
        }
        if (!response.ok) throw new PeerKeysUnavailableError(uri, `HTTP ${response.status}`);
        const body = await response.arrayBuffer();
        if (body.byteLength > MAX_JWKS_BYTES) throw new PeerKeysUnavailableError(uri, 'key set too large');
        return body;
      },
    },
  });
  const verifier =
    options.peers.length === 0
      ? undefined
      : JwtVerifier.create(
          options.peers.map((peer) => ({
            issuer: issuerOf(peer),
            jwksUri: peer.jwksUri,
            audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
            graceSeconds: PEER_CLOCK_SKEW_SECONDS,
            customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
              if (typeof payload.exp !== 'number') throw new InvalidTokenError('malformed');
            },
          })),
          { jwksCache },
        );

  return {
    peerNamedBy(token) {
      const issuer = unverifiedIssuer(token);
      return issuer === undefined ? undefined : byIssuer.get(issuer);
    },
    async verify(token) {
      const peer = this.peerNamedBy(token);
      if (!verifier || !peer) throw new InvalidTokenError('wrong-issuer');
      try {
        return { peer, claims: await verifier.verify(token) };
      } catch (error) {
        if (error instanceof InvalidTokenError || error instanceof PeerKeysUnavailableError) throw error;
        if (error instanceof JwtBaseError) throw new InvalidTokenError(invalidTokenReason(error));
        throw error;
      }
    },
  };
}

/** the `iss` claim of a JWT whose signature is not checked yet; only to pick the verifier */
export function unverifiedIssuer(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const { iss } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
