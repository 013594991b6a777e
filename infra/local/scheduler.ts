/** A scheduled run from the manifest (EventBridge rate rules in AWS). */
export interface LocalSchedule {
  readonly name: string;
  readonly everyMinutes: number;
  run(): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * The local twin of EventBridge rate rules: runs each schedule every `everyMinutes`, never two
 * runs of one schedule at once (a slow run delays the next instead of overlapping it).
 */
export function startScheduler(options: { schedules: readonly LocalSchedule[]; enabled: boolean; onError: (name: string, error: unknown) => void }): Scheduler {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  if (options.enabled) {
    for (const schedule of options.schedules) {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        // a run that throws before returning its promise must still free the schedule and reach onError
        const run = new Promise<void>((resolve) => resolve(schedule.run()))
          .catch((error: unknown) => options.onError(schedule.name, error))
          .finally(() => {
            busy = false;
            running.delete(run);
          });
        running.add(run);
      }, schedule.everyMinutes * 60_000);
      timer.unref();
      timers.push(timer);
    }
  }
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
    },
  };
}
