import type { PeerPlatform } from '../auth/peer-platforms.js';
import { createPeerTokenVerifier, type PeerTokenVerifier } from '../auth/peer-token-verifier.js';
import type { PrincipalVerifier } from '../auth/principal.js';
import type { TokenKeys } from '../auth/token-keys.js';
import type { Clock } from '../ports/clock.js';
import type { IdentityAuthorities } from '../ports/identity-authorities.js';
import type { KeyVault } from '../ports/key-vault.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { Tables } from '../ports/tables.js';
import { personalDataProtector, type PersonalDataProtector } from '../privacy/personal-data.js';
import { accountRepository, type AccountRepository } from './account-repository.js';
import type { AccessTokenSettings } from './access-tokens.js';
import { attemptCounters, type AttemptCounters } from './attempt-counters.js';
import { identityAuditTrail, type IdentityAuditTrail } from './audit-trail.js';
import { delegationRepository, type DelegationRepository } from './delegation-repository.js';
import { loginLockout, type LoginLockout } from './login-lockout.js';
import { replayGuard, type ReplayGuard } from './replay-guard.js';
import { sessionRepository, type SessionRepository } from './session-repository.js';
import { smsCodeRepository, type SmsCodeRepository } from './sms-code-repository.js';

/** Everything the identity use cases work with; each use case takes the part it needs. */
export interface IdentityServices {
  readonly tables: Tables;
  readonly accounts: AccountRepository;
  readonly sessions: SessionRepository;
  readonly smsCodes: SmsCodeRepository;
  readonly counters: AttemptCounters;
  readonly lockout: LoginLockout;
  readonly audit: IdentityAuditTrail;
  readonly delegations: DelegationRepository;
  readonly replays: ReplayGuard;
  readonly personalData: PersonalDataProtector;
  readonly authorities: IdentityAuthorities;
  readonly vault: KeyVault;
  readonly tokenKeys: TokenKeys;
  readonly queues: QueuePublisher;
  readonly clock: Clock;
  readonly settings: AccessTokenSettings;
  /** verifies our own access tokens presented as subject tokens (revoked sessions refused) */
  readonly principals: PrincipalVerifier;
  readonly peerPlatforms: readonly PeerPlatform[];
  /** tokens peers signed for us: subject tokens of token exchange, back-channel logout tokens */
  readonly peerTokens: PeerTokenVerifier;
  /** client assertions (private_key_jwt) of peer platforms authenticating as clients */
  readonly clientAssertions: PeerTokenVerifier;
}

/** the path of the OAuth token endpoint under the issuer: the audience of client assertions */
export const TOKEN_ENDPOINT_PATH = '/v1/identity/token';

/** Builds the identity services once per cold start from the function's ports and configuration. */
export function identityServices(deps: {
  tables: Tables;
  vault: KeyVault;
  queues: QueuePublisher;
  authorities: IdentityAuthorities;
  tokenKeys: TokenKeys;
  principals: PrincipalVerifier;
  clock: Clock;
  keyIds: { readonly data: string; readonly lookupHash: string };
  config: { readonly issuer: string; readonly audience: string; readonly accessTokenTtlSeconds: number; readonly peerPlatforms: readonly PeerPlatform[] };
  fetch?: typeof fetch;
}): IdentityServices {
  const { config } = deps;
  const counters = attemptCounters(deps.tables);
  const audit = identityAuditTrail(deps.tables);
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
  return {
    tables: deps.tables,
    accounts: accountRepository(deps.tables),
    sessions: sessionRepository(deps.tables),
    smsCodes: smsCodeRepository(deps.tables),
    counters,
    lockout: loginLockout({ counters, audit, clock: deps.clock }),
    audit,
    delegations: delegationRepository(deps.tables),
    replays: replayGuard(deps.tables),
    personalData: personalDataProtector({ vault: deps.vault, dataKeyId: deps.keyIds.data, lookupKeyId: deps.keyIds.lookupHash }),
    authorities: deps.authorities,
    vault: deps.vault,
    tokenKeys: deps.tokenKeys,
    queues: deps.queues,
    clock: deps.clock,
    settings: { issuer: config.issuer, audience: config.audience, ttlSeconds: config.accessTokenTtlSeconds },
    principals: deps.principals,
    peerPlatforms: config.peerPlatforms,
    peerTokens: createPeerTokenVerifier({ peers: config.peerPlatforms, audience: config.audience, ...fetchOption }),
    clientAssertions: createPeerTokenVerifier({
      peers: config.peerPlatforms,
      audience: [`${config.issuer.replace(/\/$/, '')}${TOKEN_ENDPOINT_PATH}`, config.issuer],
      issuerOf: (peer) => peer.id,
      ...fetchOption,
    }),
  };
}
