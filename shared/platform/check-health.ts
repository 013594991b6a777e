import type { Clock } from '../ports/clock.js';

export interface HealthProbe {
  /** store name as reported, e.g. "tables" */
  readonly name: string;
  check(): Promise<void>;
}

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly checks: Readonly<Record<string, 'ok' | 'error'>>;
  readonly checkedAt: string;
}

/**
 * Health of the stores a function depends on.
 * 1. run every probe in parallel, each bounded by a timeout;
 * 2. report each store as ok or error (never the error text: it may name internals);
 * 3. reuse the report for `cacheSeconds`, so a flood of probes cannot load the stores.
 */
export function healthChecker(deps: { probes: readonly HealthProbe[]; clock: Clock; cacheSeconds: number; timeoutMs?: number }) {
  let cached: { report: HealthReport; until: number } | undefined;
  let inFlight: Promise<HealthReport> | undefined;

  const run = async (): Promise<HealthReport> => {
    const results = await Promise.all(
      deps.probes.map(async (probe) => [probe.name, (await succeeds(probe.check(), deps.timeoutMs ?? 2000)) ? 'ok' : 'error'] as const),
    );
    const checks = Object.fromEntries(results);
    const status = results.every(([, state]) => state === 'ok') ? 'ok' : 'degraded';
    return { status, checks, checkedAt: deps.clock.now().toISOString() };
  };

  return {
    async check(): Promise<HealthReport> {
      const now = deps.clock.now().getTime();
      if (cached && now < cached.until) return cached.report;
      inFlight ??= run().finally(() => {
        inFlight = undefined;
      });
      const report = await inFlight;
      cached = { report, until: deps.clock.now().getTime() + deps.cacheSeconds * 1000 };
      return report;
    },
  };
}

async function succeeds(probe: Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe.then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
