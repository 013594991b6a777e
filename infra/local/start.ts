import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { seedDemoData, readDemoAccounts } from './demo-seed.js';
import { parsePeerPlatforms } from '../../shared/auth/peer-platforms.js';
import { startLocalRuntime } from './runtime.js';

/**
 * `npm start [-- --port N --data DIR]`: the whole platform on this machine, offline.
 * Seeds demo data on the first start, prints the URL and the demo accounts; Ctrl-C stops it
 * after in-flight requests, queue batches and schedules are done, losing nothing.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      data: { type: 'string', default: process.env.DATA_DIR ?? '.data' },
      host: { type: 'string', default: '127.0.0.1' },
      'log-level': { type: 'string', default: process.env.LOG_LEVEL ?? 'INFO' },
      cors: { type: 'string', default: process.env.CORS_ORIGINS ?? '' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`);
  const dataDir = resolve(values.data);

  const runtime = await startLocalRuntime({
    dataDir,
    port,
    host: values.host,
    logLevel: values['log-level'].toUpperCase() as 'INFO',
    corsOrigins: values.cors.split(',').map((o) => o.trim()).filter(Boolean),
    peerPlatforms: parsePeerPlatforms(process.env.PEER_PLATFORMS),
    portal: true,
  });
  const seeded = await seedDemoData(runtime.dependencies, dataDir);
  const accounts = seeded ?? (await readDemoAccounts(dataDir));

  console.log(`\n政务服务平台 (GB/T 39047-2020) is running at ${runtime.url}`);
  console.log(`  portal:   ${runtime.url}/`);
  console.log(`  health:   ${runtime.url}/health`);
  console.log(`  OpenAPI:  ${runtime.url}/openapi.json`);
  console.log(`  data:     ${dataDir}${seeded ? ' (demo data seeded now)' : ''}`);
  console.log(`  demo accounts (also in ${dataDir}/demo-accounts.json):`);
  for (const account of accounts) {
    const where = account.agency ? `  ${account.agency}` : account.sourceId ? `  source ${account.sourceId}` : '';
    console.log(`    ${account.role.padEnd(15)} ${account.username.padEnd(20)} ${account.password}${where}`);
  }
  console.log('  Ctrl-C stops it.\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping after in-flight work…`);
    await runtime.close();
    console.log('stopped; data kept in', dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
