import type { Clock } from '../ports/clock.js';
import type { DelegationCheck } from '../ports/delegation-check.js';
import type { DelegationRepository } from '../identity/delegation-repository.js';

/** The delegation check of cases, read from the identity table's delegations of the principal. */
export function identityDelegationCheck(deps: { delegations: DelegationRepository; clock: Clock }): DelegationCheck {
  return {
    async isActive({ principal, delegate, itemCode, scope }) {
      const now = deps.clock.now();
      const found = (await deps.delegations.listGranted(principal)).find(
        (delegation) =>
          delegation.state === 'accepted' &&
          delegation.delegateAccountId === delegate &&
          new Date(delegation.validUntil) > now &&
          (delegation.itemCodes.includes(itemCode) || delegation.scope.includes(scope)),
      );
      return found ? { delegationId: found.delegationId } : undefined;
    },
  };
}
