import type { Principal } from '../auth/principal.js';
import { forbidden } from '../errors.js';
import type { DELEGATION_SCOPES } from '../identity/delegations.js';
import type { Seal } from './seal.js';
import type { SealAuditEvent } from './seal-repository.js';

/** The caller of a seal use case, with where the call came from for the audit trail. */
export interface SealCaller {
  readonly principal: Principal;
  readonly sourceIp?: string;
  readonly requestId?: string;
}

/** the delegation scope that lets a delegate use an organisation's seals: apply, sign, report lost */
export const SEAL_DELEGATION_SCOPE = 'seals:use' satisfies (typeof DELEGATION_SCOPES)[number];

export const isSealAuthority = (principal: Principal) => principal.roles.includes('seal-authority');

/**
 * True when the caller is the seal's owner organisation, or its delegate acting under a
 * delegation whose scope includes "seals:use" (the token's subject is then the organisation).
 */
export function actsForOwner(principal: Principal, seal: Pick<Seal, 'ownerAccountId'>): boolean {
  if (!seal.ownerAccountId || principal.sub !== seal.ownerAccountId) return false;
  return !principal.actor || (principal.delegation?.scope.includes(SEAL_DELEGATION_SCOPE) ?? false);
}

export function requireSealAuthority(principal: Principal): void {
  if (!isSealAuthority(principal)) throw forbidden('Only staff of the seal authority may do this', 'not_seal_authority');
}

/** who did it, for whom, from where */
export function auditOf(caller: SealCaller, event: Pick<SealAuditEvent, 'action' | 'from' | 'to' | 'detail'>, at: Date): SealAuditEvent {
  const { principal } = caller;
  return {
    ...event,
    actor: principal.actor?.sub ?? principal.sub,
    ...(principal.actor ? { onBehalfOf: principal.sub } : {}),
    at: at.toISOString(),
    ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
    ...(caller.requestId ? { requestId: caller.requestId } : {}),
  };
}
