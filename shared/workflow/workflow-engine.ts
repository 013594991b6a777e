import { conflict, forbidden, invalidField, ValidationError } from '../errors.js';
import { RETURN_TO_PREVIOUS, STAY, type ActionRequirement, type StateSpec, type WorkflowDefinition, type WorkflowRole } from './workflow-definition.js';

/** Where a case stands in its workflow. */
export interface WorkflowPosition {
  readonly state: string;
  readonly version: number;
  /** the state a paused state returns to */
  readonly previousState?: string;
}

export interface TransitionRequest {
  readonly action: string;
  readonly role: WorkflowRole;
  /** the version the actor saw; another one means someone acted meanwhile (409) */
  readonly expectedVersion?: number;
  /** which of the action's requirements the request carries */
  readonly provided: readonly ActionRequirement[];
}

export interface PlannedTransition {
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly version: number;
  /** the state to return to later: set when the transition enters a paused state */
  readonly previousState?: string;
  /** the transition went back to the state before a pause */
  readonly returned: boolean;
  readonly entered: StateSpec;
  readonly left: StateSpec;
}

/**
 * Decides one transition from the definition alone (pure; the caller writes it conditionally on
 * the state and version it read, so a race still ends in one winner).
 * 1. the action must exist (422);
 * 2. a stale `expectedVersion` is a conflict (409 stale_version);
 * 3. the role must be one the action allows (403 action_not_allowed);
 * 4. the current state must be one the action leaves (409 illegal_transition);
 * 5. the requirements (reason, result, ...) must be present (422, one issue each);
 * 6. the target: a state, the state before the pause, or the same state.
 */
export function planTransition(definition: WorkflowDefinition, position: WorkflowPosition, request: TransitionRequest): PlannedTransition {
  const action = definition.actions[request.action];
  if (!action) throw invalidField('action', `must be one of ${Object.keys(definition.actions).join(', ')}`);
  if (request.expectedVersion !== undefined && request.expectedVersion !== position.version) {
    throw conflict(`The case is at version ${position.version}, not ${request.expectedVersion}; reload it`, 'stale_version');
  }
  if (!action.roles.includes(request.role)) throw forbidden(`${request.action} is not an action for ${request.role}`, 'action_not_allowed');
  if (!action.from.includes(position.state)) {
    throw conflict(`${request.action} is not possible in state ${position.state}`, 'illegal_transition');
  }
  const missing = (action.requires ?? []).filter((requirement) => !request.provided.includes(requirement));
  if (missing.length > 0) throw new ValidationError(missing.map((field) => ({ field, message: `is required for ${request.action}` })));

  const to = action.to === STAY ? position.state : action.to === RETURN_TO_PREVIOUS ? position.previousState : action.to;
  const entered = to === undefined ? undefined : definition.states[to];
  if (to === undefined || !entered) throw conflict(`${request.action} has no state to return to`, 'illegal_transition');
  const left = definition.states[position.state]!;
  return {
    action: request.action,
    from: position.state,
    to,
    version: position.version + 1,
    ...(entered.clockPaused && !left.clockPaused ? { previousState: position.state } : {}),
    returned: action.to === RETURN_TO_PREVIOUS,
    entered,
    left,
  };
}

/** the actions a role could take in a state, e.g. to show staff their buttons */
export function availableActions(definition: WorkflowDefinition, state: string, role: WorkflowRole): string[] {
  return Object.entries(definition.actions)
    .filter(([, action]) => action.from.includes(state) && action.roles.includes(role))
    .map(([name]) => name);
}
