import type { PlannedTransition } from './workflow-engine.js';
import type { WorkingCalendar } from './working-calendar.js';

/** The deadlines of a case: overall, and of the state it is in. ISO instants. */
export interface WorkflowClock {
  /** the promised deadline of the whole case, moved later by every pause */
  readonly dueAt: string;
  /** the deadline of the current state (its SLA), when it has one */
  readonly stateDueAt?: string;
  /** while paused: since when, and the state deadline to restore (moved by the pause) on return */
  readonly pausedAt?: string;
  readonly resumeStateDueAt?: string;
}

/** The clock of a new case: the promised working days from the submission, and the first state's SLA. */
export function startClock(calendar: WorkingCalendar, at: Date, promisedWorkingDays: number, firstStateSla: number | undefined): WorkflowClock {
  return {
    dueAt: calendar.deadline(at, promisedWorkingDays).toISOString(),
    ...(firstStateSla === undefined ? {} : { stateDueAt: calendar.deadline(at, firstStateSla).toISOString() }),
  };
}

/**
 * The clock after a transition at `at`:
 * - entering a paused state stops the clock and keeps the current state's deadline aside;
 * - leaving it moves the overall deadline, and the kept state deadline, later by the working
 *   days the pause lasted;
 * - entering any other state starts that state's SLA (none when it has no SLA);
 * - staying in the same state (a transfer) changes nothing.
 */
export function advanceClock(calendar: WorkingCalendar, clock: WorkflowClock, transition: PlannedTransition, at: Date): WorkflowClock {
  if (transition.from === transition.to) return clock;
  if (transition.entered.clockPaused && !transition.left.clockPaused) {
    return { dueAt: clock.dueAt, pausedAt: at.toISOString(), ...(clock.stateDueAt ? { resumeStateDueAt: clock.stateDueAt } : {}) };
  }
  if (transition.left.clockPaused && clock.pausedAt) {
    const pausedDays = Math.max(0, calendar.workingDaysBetween(new Date(clock.pausedAt), at));
    const moved = (instant: string) => calendar.extend(new Date(instant), pausedDays).toISOString();
    return {
      dueAt: moved(clock.dueAt),
      ...(transition.returned && clock.resumeStateDueAt ? { stateDueAt: moved(clock.resumeStateDueAt) } : stateSla(calendar, transition, at)),
    };
  }
  return { dueAt: clock.dueAt, ...stateSla(calendar, transition, at) };
}

function stateSla(calendar: WorkingCalendar, transition: PlannedTransition, at: Date): { stateDueAt?: string } {
  const days = transition.entered.slaWorkingDays;
  return days === undefined ? {} : { stateDueAt: calendar.deadline(at, days).toISOString() };
}

/** how many working days are left until the deadline (0 on its last day, negative once past it) */
export function remainingWorkingDays(calendar: WorkingCalendar, now: Date, dueAt: string): number {
  const due = new Date(dueAt);
  const days = calendar.workingDaysBetween(now, due);
  return now > due ? Math.min(days, -1) : days;
}
