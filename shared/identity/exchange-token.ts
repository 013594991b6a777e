import { InvalidTokenError } from '../auth/token-verifier.js';
import { invalidField, malformed } from '../errors.js';
import { accountHolder } from './account-holder.js';
import { actForPrincipal } from './act-for-principal.js';
import { exchangeForPeer } from './exchange-for-peer.js';
import { federatePeerSubject } from './federate-peer-subject.js';
import type { IdentityServices } from './identity-services.js';
import { invalidGrant } from './refresh-session.js';
import { TOKEN_TYPE_ACCESS, TOKEN_TYPE_JWT } from './token-types.js';


export interface ExchangedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken?: string;
  readonly issuedTokenType: typeof TOKEN_TYPE_ACCESS | typeof TOKEN_TYPE_JWT;
  /** "N_A" for a token that is not an access token here (RFC 8693 2.2.1) */
  readonly tokenType: 'Bearer' | 'N_A';
}

/**
 * RFC 8693 token exchange, in the three directions the platform needs:
 * 1. a configured peer's token → a session here (trust transfer in), when the token's issuer is
 *    a peer; an audience, if asked for, must be ours;
 * 2. our own access token (verified, revoked sessions refused) with `delegation_id` → a token
 *    to act for the principal of an accepted delegation;
 * 3. our own access token with a peer's `audience` → a token for that peer (trust transfer out).
 */
export async function exchangeToken(
  deps: IdentityServices,
  input: { subjectToken: string; audience?: string; delegationId?: string; sourceIp: string },
): Promise<ExchangedToken> {
  if (deps.peerTokens.peerNamedBy(input.subjectToken)) {
    if (input.audience !== undefined && input.audience !== deps.settings.audience) throw malformed('A peer token can only be exchanged for a token of this platform', 'invalid_target');
    const opened = await federatePeerSubject(deps, input);
    return { accessToken: opened.accessToken, expiresIn: opened.expiresIn, refreshToken: opened.refreshToken, issuedTokenType: TOKEN_TYPE_ACCESS, tokenType: 'Bearer' };
  }

  const principal = await deps.principals.verify(input.subjectToken).catch((error: unknown) => {
    if (error instanceof InvalidTokenError) throw invalidGrant(`The subject token is not valid (${error.reason})`);
    throw error;
  });
  const caller = accountHolder(principal);
  if (input.delegationId !== undefined) {
    const token = await actForPrincipal(deps, { caller, delegationId: input.delegationId, sourceIp: input.sourceIp });
    return { ...token, issuedTokenType: TOKEN_TYPE_ACCESS, tokenType: 'Bearer' };
  }
  if (input.audience === undefined) throw invalidField('audience', 'is required to exchange a token of this platform (the audience of a peer platform)');
  const token = await exchangeForPeer(deps, { caller, audience: input.audience, sourceIp: input.sourceIp });
  return { accessToken: token.accessToken, expiresIn: token.expiresIn, issuedTokenType: TOKEN_TYPE_JWT, tokenType: 'N_A' };
}
