import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { seedDemoData } from '../infra/local/demo-seed.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { hashPassword, verifyPassword } from '../shared/identity/password.js';

const VERIFY_SECONDS = 3;
const LOGIN_SECONDS = 10;
const LOGIN_CONNECTIONS = 8;

/**
 * Identity figures, measured on the local runtime in this process:
 * 1. token verifications per second in the auth middleware: the principal verifier every
 *    function uses (aws-jwt-verify with the JWKS cached, claims, the session-status cache);
 * 2. password logins per second through the local gateway (HTTP, the identity function, scrypt
 *    N=2^15 per login in libuv's thread pool, a session and an audit event written per login),
 *    against bare scrypt checks at the same concurrency in the same run: scrypt is the cost a
 *    login must pay, so the ratio shows what the platform adds on a machine of any speed.
 */
export async function identityBenchmark(): Promise<void> {
  console.log('\n== Identity: token verification and login ==');
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-identity-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, logLevel: 'SILENT', schedules: false });
  try {
    const accounts = (await seedDemoData(runtime.dependencies, dataDir)) ?? [];
    const { username, password } = accounts.find((a) => a.role === 'citizen')!;
    const body = JSON.stringify({ username, password });
    const login = await fetch(`${runtime.url}/v1/identity/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const { accessToken } = (await login.json()) as { accessToken: string };

    const { principals } = runtime.dependencies;
    await principals.verify(accessToken);
    let verified = 0;
    const until = performance.now() + VERIFY_SECONDS * 1000;
    const started = performance.now();
    while (performance.now() < until) {
      await principals.verify(accessToken);
      verified++;
    }
    const verifyRate = verified / ((performance.now() - started) / 1000);
    console.log(`token verifications (principal verifier, cached JWKS and session status): ${verifyRate.toFixed(0)} /s`);

    const stored = await hashPassword(password);
    let checks = 0;
    const scryptStarted = performance.now();
    const scryptUntil = scryptStarted + LOGIN_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: LOGIN_CONNECTIONS }, async () => {
        while (performance.now() < scryptUntil) {
          await verifyPassword(password, stored);
          checks++;
        }
      }),
    );
    const scryptRate = checks / ((performance.now() - scryptStarted) / 1000);

    const result = await autocannon({
      url: `${runtime.url}/v1/identity/sessions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: LOGIN_CONNECTIONS,
      // a number of requests rather than a duration, so every login has finished when the runtime closes
      amount: Math.max(2 * LOGIN_CONNECTIONS, Math.round(scryptRate * LOGIN_SECONDS)),
      timeout: 60,
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`login load: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const loginRate = result.requests.total / result.duration;
    console.log(`bare scrypt password checks (${LOGIN_CONNECTIONS} at a time): ${scryptRate.toFixed(1)} /s`);
    console.log(
      `password logins through the local gateway: ${loginRate.toFixed(1)} req/s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${LOGIN_CONNECTIONS} connections), ${(100 * (loginRate / scryptRate)).toFixed(0)}% of bare scrypt`,
    );
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  identityBenchmark().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
