import { JwtVerifier } from 'aws-jwt-verify';
import {
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { AppError } from '../errors.js';
import type { Jwks } from './jwt.js';

export type InvalidTokenReason =
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'unknown-key'
  | 'bad-signature'
  | 'revoked'
  | 'malformed';

/** A bearer token we do not accept (401). `reason` says why without echoing the token. */
export class InvalidTokenError extends AppError {
  constructor(readonly reason: InvalidTokenReason) {
    super('unauthenticated', 'invalid_token', `The access token is not valid (${reason})`);
    this.name = 'InvalidTokenError';
  }
}

/** The public keys could not be loaded: an outage on our side, not a bad token. */
export class JwksUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the token signing keys could not be loaded', { cause });
    this.name = 'JwksUnavailableError';
  }
}

export interface TokenVerifier {
  /** the verified claims, or InvalidTokenError */
  verify(token: string): Promise<JwtPayload>;
}

/** After a token names a kid that a fresh JWKS does not have, keys are not reloaded for this long. */
const UNKNOWN_KID_RELOAD_PAUSE_SECONDS = 60;

/**
 * Verifies our ES256 access tokens with aws-jwt-verify: signature against the JWKS, alg
 * matching the key (so `none` and HS256 tricks fail), issuer, audience, exp and nbf; tokens
 * without exp are refused too.
 *
 * aws-jwt-verify downloads JWKS only over https, so its cache is handed a fetcher that calls
 * `jwks()` instead (the vault's public keys). The JWKS loads on first use and reloads when a
 * token names an unknown kid (a rotated key); a kid still unknown after a reload pauses reloads
 * for a minute, so forged kids cannot hammer the vault.
 */
export function createTokenVerifier(options: { issuer: string; audience: string | string[]; jwks: () => Promise<Jwks> }): TokenVerifier {
  const jwksCache = new SimpleJwksCache({
    penaltyBox: new SimplePenaltyBox({ waitSeconds: UNKNOWN_KID_RELOAD_PAUSE_SECONDS }),
    fetcher: {
      fetch: async () => {
        try {
          return new TextEncoder().encode(JSON.stringify(await options.jwks())).buffer as ArrayBuffer;
        } catch (error) {
          throw new JwksUnavailableError(error);
        }
      },
    },
  });
  const verifier = JwtVerifier.create(
    {
      issuer: options.issuer,
      audience: options.audience,
      jwksUri: `${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (typeof payload.exp !== 'number') throw new InvalidTokenError('malformed');
      },
    },
    { jwksCache },
  );

  return {
    async verify(token) {
      try {
        return await verifier.verify(token);
      } catch (error) {
        if (error instanceof InvalidTokenError || error instanceof JwksUnavailableError) throw error;
        if (error instanceof JwtBaseError) throw new InvalidTokenError(invalidTokenReason(error));
        throw error;
      }
    },
  };
}

/** why aws-jwt-verify refused a token, in our terms */
export function invalidTokenReason(error: JwtBaseError): InvalidTokenReason {
  if (error instanceof JwtExpiredError) return 'expired';
  if (error instanceof JwtNotBeforeError) return 'not-yet-valid';
  if (error instanceof JwtInvalidIssuerError) return 'wrong-issuer';
  if (error instanceof JwtInvalidAudienceError) return 'wrong-audience';
  if (error instanceof KidNotFoundInJwksError || error instanceof WaitPeriodNotYetEndedJwkError || error instanceof JwtWithoutValidKidError) {
    return 'unknown-key';
  }
  if (error instanceof JwtInvalidSignatureError || error instanceof JwtInvalidSignatureAlgorithmError) return 'bad-signature';
  return 'malformed';
}
