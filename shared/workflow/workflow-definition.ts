/**
 * A workflow as data (GB/T 39047 6.3.6 workflow engine): its states, the actions that move a
 * case between them, who may take each action, how long a state may last in working days and
 * whether the case's clock stops in it. The engine (workflow-engine.ts) reads nothing else, so
 * a new flow is a new definition, not new code.
 */

/** who takes an action: the applicant (or a delegate), staff of the handling agency, or the platform itself on a schedule */
export type WorkflowRole = 'applicant' | 'staff' | 'system';

/** what an action must carry besides its name */
export type ActionRequirement = 'comment' | 'reason' | 'result' | 'target';

/** `to` of an action that returns to the state the case left for a paused state (补正 → back) */
export const RETURN_TO_PREVIOUS = '<previous>';
/** `to` of an action that leaves the state as it is (a transfer to another handler) */
export const STAY = '<same>';

export interface StateSpec {
  /** the name people read, e.g. 已受理 */
  readonly label: string;
  /** how long a case may stay in this state, in working days from entering it */
  readonly slaWorkingDays?: number;
  /** the case's overall deadline stops while it is in this state (补正: the applicant has the case) */
  readonly clockPaused?: boolean;
  /** no action leaves it */
  readonly terminal?: boolean;
  /** whose move it is: a case where the agency must act and nobody does is "stuck" */
  readonly waitingFor: 'agency' | 'applicant' | 'nobody';
  /** the state is (or follows) a decision on the application */
  readonly decision?: 'approved' | 'denied' | 'rejected';
  /** an action the platform takes by itself once the case has been in the state this long (e.g. close after the evaluation window) */
  readonly timeout?: { readonly workingDays: number; readonly action: string };
}

export interface ActionSpec {
  readonly label: string;
  readonly from: readonly string[];
  /** a state name, RETURN_TO_PREVIOUS or STAY */
  readonly to: string;
  readonly roles: readonly WorkflowRole[];
  readonly requires?: readonly ActionRequirement[];
}

export interface WorkflowDefinition {
  readonly id: string;
  readonly initial: string;
  readonly states: Readonly<Record<string, StateSpec>>;
  readonly actions: Readonly<Record<string, ActionSpec>>;
}

/**
 * The mistakes a definition can hold, as sentences (empty when it is sound): unknown states in
 * `initial`, `from`, `to` or a timeout, a return to the previous state from a state the clock
 * does not pause in, actions leaving terminal states, timeouts with an unknown action.
 */
export function definitionProblems(definition: WorkflowDefinition): string[] {
  const problems: string[] = [];
  const states = definition.states;
  if (!states[definition.initial]) problems.push(`initial state ${definition.initial} is not defined`);
  for (const [name, action] of Object.entries(definition.actions)) {
    if (action.roles.length === 0) problems.push(`action ${name} has no role`);
    for (const from of action.from) {
      if (!states[from]) problems.push(`action ${name} leaves the unknown state ${from}`);
      else if (states[from].terminal) problems.push(`action ${name} leaves the terminal state ${from}`);
      else if (action.to === RETURN_TO_PREVIOUS && !states[from].clockPaused) problems.push(`action ${name} returns to a previous state from ${from}, which is not a paused state`);
    }
    if (action.to !== RETURN_TO_PREVIOUS && action.to !== STAY && !states[action.to]) problems.push(`action ${name} enters the unknown state ${action.to}`);
  }
  for (const [name, state] of Object.entries(states)) {
    if (state.timeout && !definition.actions[state.timeout.action]?.from.includes(name)) {
      problems.push(`state ${name} times out with ${state.timeout.action}, which cannot leave it`);
    }
  }
  return problems;
}
