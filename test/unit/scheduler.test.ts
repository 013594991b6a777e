import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { startScheduler, type LocalSchedule, type Scheduler } from '../../infra/local/scheduler.js';

const MINUTE = 60_000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** a schedule that counts its runs and how many of them overlap */
function countingSchedule(name: string, everyMinutes: number, body: () => Promise<void> = async () => undefined) {
  const stats = { runs: 0, running: 0, maxRunning: 0 };
  const schedule: LocalSchedule = {
    name,
    everyMinutes,
    async run() {
      stats.runs += 1;
      stats.running += 1;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      try {
        await body();
      } finally {
        stats.running -= 1;
      }
    },
  };
  return { schedule, stats };
}

const scheduled: Scheduler[] = [];
function start(schedules: LocalSchedule[], onError: (name: string, error: unknown) => void = () => undefined, enabled = true): Scheduler {
  const scheduler = startScheduler({ schedules, enabled, onError });
  scheduled.push(scheduler);
  return scheduler;
}

beforeEach(() => {
  jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
});
afterEach(async () => {
  const stopping = Promise.all(scheduled.splice(0).map((scheduler) => scheduler.stop()));
  await jest.runOnlyPendingTimersAsync();
  await stopping;
  jest.useRealTimers();
});

describe('local scheduler', () => {
  it('runs each schedule every interval, and not before', async () => {
    const everyMinute = countingSchedule('every-minute', 1);
    const everyFive = countingSchedule('every-five', 5);
    start([everyMinute.schedule, everyFive.schedule]);

    await jest.advanceTimersByTimeAsync(MINUTE - 1);
    expect([everyMinute.stats.runs, everyFive.stats.runs]).toEqual([0, 0]);
    await jest.advanceTimersByTimeAsync(1);
    expect([everyMinute.stats.runs, everyFive.stats.runs]).toEqual([1, 0]);
    await jest.advanceTimersByTimeAsync(9 * MINUTE);
    expect([everyMinute.stats.runs, everyFive.stats.runs]).toEqual([10, 2]);
  });

  it('never overlaps two runs of one schedule: a slow run delays the next', async () => {
    const gate = deferred();
    const slow = countingSchedule('slow', 1, () => gate.promise);
    start([slow.schedule]);

    await jest.advanceTimersByTimeAsync(4 * MINUTE);
    expect(slow.stats).toEqual({ runs: 1, running: 1, maxRunning: 1 });
    gate.resolve();
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(slow.stats).toEqual({ runs: 2, running: 0, maxRunning: 1 });
  });

  it('runs different schedules side by side', async () => {
    const gate = deferred();
    const slow = countingSchedule('slow', 1, () => gate.promise);
    const quick = countingSchedule('quick', 1);
    start([slow.schedule, quick.schedule]);

    await jest.advanceTimersByTimeAsync(3 * MINUTE);
    expect(slow.stats.runs).toBe(1);
    expect(quick.stats.runs).toBe(3);
    gate.resolve();
  });

  it('stop() waits for a run in progress and no run starts after it', async () => {
    const gate = deferred();
    const slow = countingSchedule('slow', 1, () => gate.promise);
    const scheduler = start([slow.schedule]);
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(slow.stats.running).toBe(1);

    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(stopped).toBe(true);
    expect(slow.stats.running).toBe(0);

    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(slow.stats.runs).toBe(1);
  });

  it('hands failures to onError and keeps running the schedule', async () => {
    const failure = new Error('store unavailable');
    const errors: [string, unknown][] = [];
    let calls = 0;
    const flaky: LocalSchedule = {
      name: 'flaky',
      everyMinutes: 1,
      async run() {
        calls += 1;
        if (calls === 1) throw failure;
      },
    };
    start([flaky], (name, error) => errors.push([name, error]));

    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(errors).toEqual([['flaky', failure]]);
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('survives a run that throws before returning its promise', async () => {
    const errors: string[] = [];
    let calls = 0;
    const throwsAtOnce: LocalSchedule = {
      name: 'throws-at-once',
      everyMinutes: 1,
      run() {
        calls += 1;
        throw new Error('thrown synchronously');
      },
    };
    start([throwsAtOnce], (name) => errors.push(name));

    await jest.advanceTimersByTimeAsync(3 * MINUTE);
    expect(calls).toBe(3);
    expect(errors).toEqual(['throws-at-once', 'throws-at-once', 'throws-at-once']);
  });

  it('runs nothing when disabled', async () => {
    const never = countingSchedule('never', 1);
    start([never.schedule], undefined, false);
    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(never.stats.runs).toBe(0);
  });
});
