import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { manifest } from '../infra/manifest.js';
import { MAX_BUNDLE_BYTES } from '../infra/lambda-bundling.js';
import { bundleLambda } from './lambda-bundles.js';

/**
 * `npm run bench`: figures measured in one run on this machine, reported as ratios where the
 * machine's speed would otherwise dominate (shared, noisy hosts).
 * 1. minified size of every Lambda bundle (esbuild metafile, the CDK settings) against the budget;
 * 2. local gateway throughput on GET /health against a bare Node HTTP server, each in its own
 *    process, loaded by autocannon from this process, alternating rounds; median ratio reported;
 * 3. the figures of each capability (identity, search, seals, exchange, cases, certificates, access events,
 *    the analytics schedule (evaluation and insights) over a million synthetic cases, the web
 *    portal's script size and search result pages in headless Chromium).
 * `npm run bench -- gateway seals` runs only the named sections.
 */
const SECTIONS: Record<string, () => Promise<void>> = {
  bundles: benchBundles,
  gateway: benchGateway,
  identity: async () => (await import('./identity.js')).identityBenchmark(),
  seals: async () => (await import('./seals.js')).sealBenchmark(),
  exchange: async () => (await import('./exchange.js')).runExchangeBench(),
  cases: async () => (await import('./cases.js')).benchCases(),
  certificates: async () => (await import('./certificates.js')).benchCertificates(),
  'access-events': async () => (await import('./access-events.js')).benchAccessEvents(),
  analytics: async () => (await import('./analytics.js')).benchAnalytics(),
  portal: async () => (await import('./portal.js')).benchPortal(),
};

async function main(): Promise<void> {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in SECTIONS));
  if (unknown.length) throw new Error(`unknown bench sections: ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  for (const [name, run] of Object.entries(SECTIONS)) if (chosen.length === 0 || chosen.includes(name)) await run();
}

async function benchBundles(): Promise<void> {
  console.log('== Lambda bundles (ESM, minified, tree-shaken) ==');
  let overBudget = 0;
  for (const fn of manifest.functions) {
    const report = await bundleLambda(fn.name);
    const ok = report.bytes <= MAX_BUNDLE_BYTES;
    if (!ok) overBudget++;
    console.log(`${fn.name.padEnd(24)} ${(report.bytes / 1000).toFixed(1).padStart(8)} KB  ${ok ? 'ok' : `OVER ${MAX_BUNDLE_BYTES / 1000} KB`}`);
  }
  if (overBudget) process.exitCode = 1;
}

/** the gateway against a bare server, then the search figures on the same running platform */
async function benchGateway(): Promise<void> {
  console.log('\n== Local gateway vs bare Node HTTP, GET /health ==');
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-'));
  const gateway = await startServer(['node_modules/.bin/tsx', 'infra/local/start.ts', '--port', '0', '--data', dataDir, '--log-level', 'INFO'], /running at http:\/\/127\.0\.0\.1:(\d+)/);
  const bare = await startServer(['node_modules/.bin/tsx', 'bench/bare-server.ts', '0'], /listening (\d+)/);
  try {
    await load(gateway.port, 2); // warm-up: JIT, health cache, connections
    await load(bare.port, 2);
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const bareRps = await load(bare.port, 5);
      const gatewayRps = await load(gateway.port, 5);
      ratios.push(gatewayRps / bareRps);
      console.log(`round ${round}: bare ${bareRps.toFixed(0)} req/s, gateway ${gatewayRps.toFixed(0)} req/s, ratio ${(100 * (gatewayRps / bareRps)).toFixed(1)}%`);
    }
    const median = ratios.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
    console.log(`gateway / bare (median of ${ROUNDS}): ${(100 * median).toFixed(1)}%  (budget ≥ 50%) ${median >= 0.5 ? 'ok' : 'BELOW BUDGET'}`);
    if (median < 0.5) process.exitCode = 1;
    await (await import('./search.js')).benchSearch(`http://127.0.0.1:${gateway.port}`);
  } finally {
    gateway.child.kill('SIGINT');
    bare.child.kill('SIGTERM');
    await new Promise((resolve) => gateway.child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** alternating rounds; the median ratio is robust to a noisy neighbour on a shared machine */
const ROUNDS = 5;

async function load(port: number, seconds: number): Promise<number> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/health`, connections: 20, pipelining: 1, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load on port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

function startServer(command: string[], ready: RegExp): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = ready.exec(seen);
      if (!match) return;
      // from here on the server's output (its request log) is read and dropped, as a log shipper would
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({ child, port: Number(match[1]) });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
