import { describe, expect, it } from '@jest/globals';
import { CASE_WORKFLOWS, STANDARD_CASE_WORKFLOW } from '../../shared/cases/case-workflows.js';
import { AppError } from '../../shared/errors.js';
import { definitionProblems, RETURN_TO_PREVIOUS, type WorkflowDefinition } from '../../shared/workflow/workflow-definition.js';
import { availableActions, planTransition, type TransitionRequest, type WorkflowPosition } from '../../shared/workflow/workflow-engine.js';
import { advanceClock, remainingWorkingDays, startClock } from '../../shared/workflow/workflow-clock.js';
import { chinaDate, startOfChinaDay, workingCalendar } from '../../shared/workflow/working-calendar.js';

const flow = STANDARD_CASE_WORKFLOW;
const calendar = workingCalendar();
const at = (day: string, hour = 10) => new Date(startOfChinaDay(day).getTime() + hour * 3600_000);
const staff = (action: string, extra: Partial<TransitionRequest> = {}): TransitionRequest => ({ action, role: 'staff', provided: [], ...extra });

function refusal(run: () => unknown): { kind: string; code: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { kind: error.kind, code: error.code };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('workflow engine', () => {
  it('every case workflow in use is a sound definition', () => {
    for (const definition of CASE_WORKFLOWS.values()) expect(definitionProblems(definition)).toEqual([]);
  });

  it('walks the default flow: submitted → accepted → in-review → approved → delivered → closed', () => {
    let position: WorkflowPosition = { state: flow.initial, version: 1 };
    for (const [action, expected, extra] of [
      ['accept', 'accepted', {}],
      ['handle', 'in-review', {}],
      ['approve', 'approved', {}],
      ['deliver', 'delivered', { provided: ['result'] }],
      ['close', 'closed', {}],
    ] as const) {
      const plan = planTransition(flow, position, staff(action, extra as Partial<TransitionRequest>));
      expect(plan).toMatchObject({ from: position.state, to: expected, version: position.version + 1 });
      position = { state: plan.to, version: plan.version };
    }
    expect(availableActions(flow, 'closed', 'staff')).toEqual([]);
  });

  it('returns from a correction to the state it came from, and only there', () => {
    const paused = planTransition(flow, { state: 'in-review', version: 4 }, staff('request-correction', { provided: ['comment'] }));
    expect(paused).toMatchObject({ to: 'correction-requested', previousState: 'in-review', returned: false });
    const back = planTransition(flow, { state: 'correction-requested', version: 5, previousState: 'in-review' }, { action: 'supplement', role: 'applicant', provided: [] });
    expect(back).toMatchObject({ to: 'in-review', returned: true });
    expect(back.previousState).toBeUndefined();
  });

  it('refuses illegal transitions, stale versions, wrong roles, missing reasons and unknown actions', () => {
    expect(refusal(() => planTransition(flow, { state: 'submitted', version: 1 }, staff('approve')))).toEqual({ kind: 'conflict', code: 'illegal_transition' });
    expect(refusal(() => planTransition(flow, { state: 'submitted', version: 3 }, staff('accept', { expectedVersion: 2 })))).toEqual({ kind: 'conflict', code: 'stale_version' });
    expect(refusal(() => planTransition(flow, { state: 'submitted', version: 1 }, { action: 'accept', role: 'applicant', provided: [] }))).toEqual({ kind: 'forbidden', code: 'action_not_allowed' });
    expect(refusal(() => planTransition(flow, { state: 'submitted', version: 1 }, staff('reject')))).toEqual({ kind: 'invalid', code: 'validation_failed' });
    expect(refusal(() => planTransition(flow, { state: 'submitted', version: 1 }, staff('teleport')))).toEqual({ kind: 'invalid', code: 'validation_failed' });
    expect(refusal(() => planTransition(flow, { state: 'closed', version: 9 }, { action: 'close', role: 'system', provided: [] }))).toEqual({ kind: 'conflict', code: 'illegal_transition' });
  });

  it('keeps the state on a transfer', () => {
    expect(planTransition(flow, { state: 'accepted', version: 2 }, staff('transfer', { provided: ['target'] }))).toMatchObject({ from: 'accepted', to: 'accepted', version: 3 });
  });

  it('runs any flow defined as data, and finds the mistakes of a broken one', () => {
    const twoStep: WorkflowDefinition = {
      id: 'two-step',
      initial: 'open',
      states: { open: { label: 'open', waitingFor: 'agency' }, done: { label: 'done', terminal: true, waitingFor: 'nobody' } },
      actions: { finish: { label: 'finish', from: ['open'], to: 'done', roles: ['system'] } },
    };
    expect(definitionProblems(twoStep)).toEqual([]);
    expect(planTransition(twoStep, { state: 'open', version: 1 }, { action: 'finish', role: 'system', provided: [] }).to).toBe('done');
    const broken: WorkflowDefinition = {
      ...twoStep,
      initial: 'nowhere',
      states: { ...twoStep.states, open: { label: 'open', waitingFor: 'agency', timeout: { workingDays: 1, action: 'vanish' } } },
      actions: { finish: { label: 'finish', from: ['open', 'done'], to: 'elsewhere', roles: [] }, back: { label: 'back', from: ['open'], to: RETURN_TO_PREVIOUS, roles: ['staff'] } },
    };
    expect(definitionProblems(broken)).toEqual([
      'initial state nowhere is not defined',
      'action finish has no role',
      'action finish leaves the terminal state done',
      'action finish enters the unknown state elsewhere',
      'action back returns to a previous state from open, which is not a paused state',
      'state open times out with vanish, which cannot leave it',
    ]);
  });
});

describe('workflow clock', () => {
  it('starts with the promised deadline and the first state SLA', () => {
    const clock = startClock(calendar, at('2026-03-02'), 5, 2);
    expect(chinaDate(new Date(clock.dueAt))).toBe('2026-03-09');
    expect(chinaDate(new Date(clock.stateDueAt!))).toBe('2026-03-04');
  });

  it('stops while a correction is pending and moves the deadlines by the working days it stood still', () => {
    const started = startClock(calendar, at('2026-03-02'), 5, 2);
    const accepted = advanceClock(calendar, started, planTransition(flow, { state: 'submitted', version: 1 }, staff('accept')), at('2026-03-02', 11));
    expect(chinaDate(new Date(accepted.stateDueAt!))).toBe('2026-03-03');
    const pause = planTransition(flow, { state: 'accepted', version: 2 }, staff('request-correction', { provided: ['comment'] }));
    const paused = advanceClock(calendar, accepted, pause, at('2026-03-03'));
    expect(paused).toMatchObject({ dueAt: accepted.dueAt, pausedAt: at('2026-03-03').toISOString(), resumeStateDueAt: accepted.stateDueAt });
    expect(remainingWorkingDays(calendar, new Date(paused.pausedAt!), paused.dueAt)).toBe(4);

    // paused Tuesday, supplemented the next Monday: Wed, Thu, Fri and Mon did not count
    const resume = planTransition(flow, { state: 'correction-requested', version: 3, previousState: 'accepted' }, { action: 'supplement', role: 'applicant', provided: [] });
    const resumed = advanceClock(calendar, paused, resume, at('2026-03-09'));
    expect(chinaDate(new Date(resumed.dueAt))).toBe('2026-03-13');
    expect(chinaDate(new Date(resumed.stateDueAt!))).toBe('2026-03-09');
    expect(resumed.pausedAt).toBeUndefined();
  });

  it('counts the working days left, 0 on the last day and negative once past it', () => {
    const due = startClock(calendar, at('2026-03-02'), 5, undefined).dueAt;
    expect(remainingWorkingDays(calendar, at('2026-03-02'), due)).toBe(5);
    expect(remainingWorkingDays(calendar, at('2026-03-09'), due)).toBe(0);
    expect(remainingWorkingDays(calendar, at('2026-03-10'), due)).toBe(-1);
    expect(remainingWorkingDays(calendar, at('2026-03-16'), due)).toBe(-5);
  });
});
