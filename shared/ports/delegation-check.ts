/**
 * Whether a delegate may act for a principal on an item right now (GB/T 39047 6.1.10 k):
 * the delegation is accepted by that delegate, not revoked, not past its end, and covers the item
 * by name or by the scope of the action.
 */
export interface DelegationCheck {
  isActive(input: { principal: string; delegate: string; itemCode: string; scope: 'cases:submit' | 'cases:read' }): Promise<{ delegationId: string } | undefined>;
}
