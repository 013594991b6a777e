import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHandler } from '../functions/discovery/app.js';
import { lambdaContext } from '../infra/local/lambda-context.js';
import { startLocalRuntime } from '../infra/local/runtime.js';

const ROUNDS = 20;
const CALLS_PER_ROUND = 500;
const BUDGET_MS = 1;

function healthEvent(n: number): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'GET /health',
    rawPath: '/health',
    rawQueryString: '',
    headers: { host: 'localhost' },
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'GET', path: '/health', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `bench-${n}`,
      routeKey: 'GET /health',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The latency access-event emission adds to GET /health, at p50: the discovery function's
 * handler built twice over one local runtime, with and without the batching emitter (which
 * sends to the local access-events queue), called in alternating rounds in this process.
 */
export async function benchAccessEvents(): Promise<void> {
  console.log('\n== Access events: added latency on GET /health (handler, in process) ==');
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-access-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, persist: false, logLevel: 'SILENT', schedules: false, pollQueues: false });
  try {
    const { accessEvents: _off, ...withoutEvents } = runtime.dependencies;
    const variants = { without: createHandler(withoutEvents), with: createHandler(runtime.dependencies) };
    const samples: Record<keyof typeof variants, number[]> = { without: [], with: [] };
    let n = 0;
    for (const name of ['without', 'with'] as const) for (let i = 0; i < CALLS_PER_ROUND; i++) await variants[name](healthEvent(n++), lambdaContext('discovery')); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
        for (let i = 0; i < CALLS_PER_ROUND; i++) {
          const started = performance.now();
          await variants[name](healthEvent(n++), lambdaContext('discovery'));
          samples[name].push(performance.now() - started);
        }
      }
      await runtime.drainQueues();
    }
    const [without, withEvents] = [median(samples.without), median(samples.with)];
    const added = withEvents - without;
    console.log(`p50 without ${(without * 1000).toFixed(1)} µs, with ${(withEvents * 1000).toFixed(1)} µs: added ${(added * 1000).toFixed(1)} µs (budget < ${BUDGET_MS} ms) ${added < BUDGET_MS ? 'ok' : 'OVER BUDGET'}`);
    if (added >= BUDGET_MS) process.exitCode = 1;
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAccessEvents();
