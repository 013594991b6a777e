import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';
import { manifest as defaultManifest, type KeyName, type Manifest } from '../manifest.js';
import { accessTokenPrincipals } from '../../shared/auth/access-token-principals.js';
import { createTokenVerifier } from '../../shared/auth/token-verifier.js';
import { tokenKeysFromVault } from '../../shared/auth/token-keys.js';
import { inlineFileBytes, MAX_INLINE_FILE_BYTES, type PlatformConfig } from '../../shared/config.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { createFolderBlobStore } from '../../shared/adapters/local/folder-blob-store.js';
import { createLocalKeyVault, type LocalKeyVault } from '../../shared/adapters/local/local-key-vault.js';
import { LocalQueue } from '../../shared/adapters/local/local-queue.js';
import { createLocalSearchIndex } from '../../shared/adapters/local/local-search-index.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { outboxMessageSender } from '../../shared/adapters/local/outbox-message-sender.js';
import { startQueuePump, type QueuePump, type SqsBatchHandler } from '../../shared/adapters/local/queue-pump.js';
import { startTtlSweeper, type TtlSweeper } from '../../shared/adapters/local/ttl-sweeper.js';
import { systemClock, type Clock } from '../../shared/ports/clock.js';
import { batchingAccessEvents } from '../../shared/access/batching-access-events.js';
import { userCenterSignals } from '../../shared/user-center/personal-activity.js';
import { userCenterRepository } from '../../shared/user-center/user-center-repository.js';
import type { PeerPlatform } from '../../shared/auth/peer-platforms.js';
import { loadIdentityRegistry, simulatedIdentityAuthorities } from '../../shared/adapters/local/simulated-identity-authorities.js';
import { cachedSessionStatus } from '../../shared/identity/session-status.js';
import { sessionRepository } from '../../shared/identity/session-repository.js';
import type { SearchIndex } from '../../shared/ports/search-index.js';
import type { PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { rebuildCatalogSearchIndex } from './catalog-seed.js';
import { ensureLocalSealAuthority } from './seal-authority-seed.js';
import { createGateway, type LambdaHttpHandler } from './gateway.js';
import { lambdaContext } from './lambda-context.js';
import { localOnlyRoutes } from './local-routes.js';
import { builtPortal } from './portal-files.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import { persistentSecret } from './persistent-secret.js';

export interface LocalRuntimeOptions {
  /** folder of all local state (tables, queues, keys, blobs, outbox); `.data` for `npm start` */
  readonly dataDir: string;
  /** 0 picks a free port */
  readonly port?: number;
  readonly host?: string;
  /** false keeps tables and queues in memory (keys and blobs still use dataDir) */
  readonly persist?: boolean;
  readonly clock?: Clock;
  readonly logLevel?: LogLevel;
  readonly corsOrigins?: readonly string[];
  readonly accessTokenTtlSeconds?: number;
  readonly healthCacheSeconds?: number;
  /** pause of an idle queue pump; small values make tests quick */
  readonly queuePollMs?: number;
  /** false: queued messages are delivered only by drainQueues (tests that must hold messages back) */
  readonly pollQueues?: boolean;
  /** check every JSON response against its schema (tests), so the OpenAPI document cannot drift */
  readonly validateResponses?: boolean;
  /** run the schedules on timers (false: only runSchedule, for tests) */
  readonly schedules?: boolean;
  readonly manifest?: Manifest;
  /** peer platforms trusted for token exchange and back-channel logout (PEER_PLATFORMS in AWS) */
  readonly peerPlatforms?: readonly PeerPlatform[];
  /** materials larger than this are downloaded by redirect (INLINE_FILE_BYTES in AWS); MAX_INLINE_FILE_BYTES by default */
  readonly inlineFileBytes?: number;
  /** the registry the simulated verification authorities answer from; test/fixtures/identity/registry.json by default */
  readonly identityRegistry?: URL | string;
  /** serve the web portal at every non-API path (built once per process from web/); `npm start` does */
  readonly portal?: boolean;
}

export interface LocalRuntime {
  readonly url: string;
  readonly dataDir: string;
  readonly dynamo: EmbeddedDynamo;
  readonly queue: LocalQueue;
  readonly vault: LocalKeyVault;
  readonly search: SearchIndex;
  /** the dependencies every function of the local runtime receives (its own logger aside) */
  readonly dependencies: PlatformDependencies;
  /** delivers queued messages until no queue has visible ones */
  drainQueues(): Promise<number>;
  /** runs one scheduled function once, as its schedule would */
  runSchedule(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole platform in one process, from the same manifest as the CDK stack:
 * 1. embedded stores under `dataDir`: dynalite (with transactions and TTL), the durable queue,
 *    the key vault, the blob folder, the in-process search index, the outbox;
 * 2. the manifest's tables and keys, created once (keys are found again by alias), and the
 *    seal CA on the first start;
 * 3. every function's handler, built by its `app.ts` factory with local dependencies;
 * 4. the gateway serving every route, the queue pump for every subscription, the scheduler;
 * 5. local-only routes: queue injection and the upload target;
 * 6. with `portal`, the web portal at every other path, as CloudFront serves it in AWS.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const m: Manifest = options.manifest ?? defaultManifest;
  const clock = options.clock ?? systemClock;
  const logLevel = options.logLevel ?? 'INFO';
  await mkdir(options.dataDir, { recursive: true });

  const dynamo = await startEmbeddedDynamo(options.persist === false ? {} : { path: join(options.dataDir, 'dynamo') });
  const tables = localTables(dynamo.documentClient);
  const tableEntries = Object.entries(m.tables).map(([name, spec]) => ({ tableName: tables.name(name as never), spec }));
  await ensureTables(dynamo.client, tableEntries);
  const sweeper: TtlSweeper = startTtlSweeper({
    client: dynamo.client,
    tables: tableEntries.map(({ tableName, spec }) => ({ tableName, ttlAttribute: spec.ttlAttribute })),
    intervalMs: 60_000,
    clock,
  });

  const vault = createLocalKeyVault({ dir: join(options.dataDir, 'vault'), clock });
  const keyIds = await ensureKeys(vault, m);
  const queue = await LocalQueue.open({ documentClient: dynamo.documentClient, clock });
  const search = createLocalSearchIndex();
  await rebuildCatalogSearchIndex({ tables, search });

  const handlers = new Map<string, LambdaHttpHandler>();
  const gateway = createGateway({
    manifest: m,
    handlers,
    defaultFunction: 'discovery',
    localRoutes: [],
    ...(options.portal ? { portal: await builtPortal() } : {}),
  });
  const url = await gateway.listen(options.port ?? 3000, options.host ?? '127.0.0.1');

  const blobs = createFolderBlobStore({
    dir: join(options.dataDir, 'blobs'),
    publicBaseUrl: url,
    signingSecret: await persistentSecret(join(options.dataDir, 'blob-signing.key')),
    clock,
  });
  const config: PlatformConfig = {
    issuer: url,
    audience: url,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 900,
    corsOrigins: options.corsOrigins ?? [],
    healthCacheSeconds: options.healthCacheSeconds ?? 5,
    peerPlatforms: options.peerPlatforms ?? [],
    inlineFileBytes: inlineFileBytes(options.inlineFileBytes ?? MAX_INLINE_FILE_BYTES),
  };
  const keys = tokenKeysFromVault(vault, [keyIds.tokenSigning]);
  const logger = new Logger({ serviceName: 'local', logLevel });
  const dependencies: PlatformDependencies = {
    config,
    clock,
    logger,
    tables,
    queues: queue,
    vault,
    keyIds,
    blobs,
    search,
    messages: outboxMessageSender({ dir: join(options.dataDir, 'outbox'), print: (line) => logger.info(line) }),
    tokenKeys: keys,
    authorities: simulatedIdentityAuthorities(await loadIdentityRegistry(options.identityRegistry), clock),
    principals: accessTokenPrincipals({
      tokens: createTokenVerifier({ issuer: config.issuer, audience: config.audience, jwks: () => keys.jwks() }),
      sessions: cachedSessionStatus({ sessions: sessionRepository(tables), clock }),
    }),
    cors: { origins: config.corsOrigins },
    validateResponses: options.validateResponses === true,
    accessEvents: batchingAccessEvents({ queues: queue, clock, flushDelayMs: 50, onError: (error) => logger.warn('access events not sent', { error: error.message }) }),
  };
  if (m.tables.seals) await ensureLocalSealAuthority(dependencies);
  // search recommendations read the user centre's favourites and footprints (a no-op seam in Lambda until the search function is granted the table)
  const personalSignals = userCenterSignals({ clock, userCenter: userCenterRepository(tables) });

  const pumpSubscriptions: Parameters<typeof startQueuePump>[0]['subscriptions'][number][] = [];
  const scheduled = new Map<string, () => Promise<void>>();
  for (const fn of m.functions) {
    const deps = { ...dependencies, logger: new Logger({ serviceName: fn.name, logLevel }), personalSignals };
    const { createHandler } = (await import(`../../functions/${fn.name}/app.js`)) as { createHandler: (d: PlatformDependencies) => unknown };
    const handler = createHandler(deps);
    if (fn.routes?.length) handlers.set(fn.name, handler as LambdaHttpHandler);
    for (const subscription of fn.subscriptions ?? []) {
      pumpSubscriptions.push({
        queueName: subscription.queue,
        spec: m.queues[subscription.queue]!,
        batchSize: subscription.batchSize,
        ...(subscription.maxBatchingWindowSeconds === undefined ? {} : { maxBatchingWindowSeconds: subscription.maxBatchingWindowSeconds }),
        handler: (event) => (handler as SqsBatchHandler & ((e: unknown, c: Context) => ReturnType<SqsBatchHandler>))(event, lambdaContext(fn.name)),
      });
    }
    for (const schedule of fn.schedules ?? []) {
      scheduled.set(schedule.name, async () => {
        await (handler as (event: unknown, context: Context) => Promise<unknown>)(scheduledEvent(schedule.name, clock), lambdaContext(fn.name));
      });
    }
  }
  const pump: QueuePump = startQueuePump({
    queue,
    subscriptions: pumpSubscriptions,
    pollIntervalMs: options.queuePollMs ?? 50,
    poll: options.pollQueues !== false,
    onError: (error, context) => logger.warn('queue batch failed', { queue: context.queueName, messages: context.messageIds.length, error: (error as Error).message }),
  });
  const scheduler: Scheduler = startScheduler({
    schedules: m.functions.flatMap((fn) => (fn.schedules ?? []).map((s) => ({ name: s.name, everyMinutes: s.everyMinutes, run: scheduled.get(s.name)! }))),
    enabled: options.schedules !== false,
    onError: (name, error) => logger.warn('schedule failed', { schedule: name, error: (error as Error).message }),
  });
  gateway.setLocalRoutes(localOnlyRoutes({ manifest: m, queue, blobs }));

  return {
    url,
    dataDir: options.dataDir,
    dynamo,
    queue,
    vault,
    search,
    dependencies,
    drainQueues: () => pump.drain(),
    runSchedule: async (name) => {
      const run = scheduled.get(name);
      if (!run) throw new Error(`no schedule ${name} in the manifest`);
      await run();
    },
    close: async () => {
      await gateway.close();
      await scheduler.stop();
      await dependencies.accessEvents?.flush();
      await pump.stop();
      await sweeper.stop();
      await dynamo.close();
    },
  };
}

/** Creates each manifest key in the vault the first time, under `alias/<name>`, and finds it again after. */
async function ensureKeys(vault: LocalKeyVault, m: Manifest): Promise<Record<KeyName, string>> {
  const ids: Record<string, string> = {};
  for (const [name, spec] of Object.entries(m.keys)) {
    const alias = `alias/${name}`;
    let keyId = await vault.resolve(alias);
    if (!keyId) {
      const description = spec.description;
      keyId =
        spec.usage === 'SIGN_VERIFY'
          ? (await vault.createSigningKey({ spec: 'ECC_NIST_P256', description })).keyId
          : spec.usage === 'ENCRYPT_DECRYPT'
            ? (await vault.createSymmetricKey({ description })).keyId
            : (await vault.createMacKey({ description })).keyId;
      await vault.createAlias(alias, keyId);
    }
    ids[name] = keyId;
  }
  return ids as Record<KeyName, string>;
}

/** the EventBridge scheduled event a rule delivers */
function scheduledEvent(name: string, clock: Clock) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: clock.now().toISOString(),
    region: 'local',
    resources: [`arn:aws:events:local:000000000000:rule/${name}`],
    detail: {},
  };
}
