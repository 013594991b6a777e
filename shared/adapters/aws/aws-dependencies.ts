import { Logger } from '@aws-lambda-powertools/logger';
import type { FunctionSpec, KeyName } from '../../../infra/manifest.js';
import { accessTokenPrincipals, type SessionStatus } from '../../auth/access-token-principals.js';
import { tokenKeysFromEnvironment } from '../../auth/token-keys.js';
import { createTokenVerifier } from '../../auth/token-verifier.js';
import { envNames, loadConfig, required } from '../../config.js';
import { systemClock } from '../../ports/clock.js';
import { batchingAccessEvents } from '../../access/batching-access-events.js';
import type { AccessEventSink } from '../../access/access-event.js';
import { awsQueues } from './sqs-queue-publisher.js';
import type { CoreDependencies, PlatformDependencies } from '../../runtime/platform-dependencies.js';

/** The ports a function may be composed with; each factory reads its configuration from the environment. */
export interface AwsAdapterFactories {
  readonly tables: (env: NodeJS.ProcessEnv) => PlatformDependencies['tables'];
  readonly queues: (env: NodeJS.ProcessEnv) => PlatformDependencies['queues'];
  readonly vault: (env: NodeJS.ProcessEnv) => PlatformDependencies['vault'];
  readonly blobs: (env: NodeJS.ProcessEnv) => PlatformDependencies['blobs'];
  readonly search: (env: NodeJS.ProcessEnv) => PlatformDependencies['search'];
  readonly messages: (env: NodeJS.ProcessEnv) => PlatformDependencies['messages'];
  readonly authorities: (env: NodeJS.ProcessEnv) => PlatformDependencies['authorities'];
}

/** the adapters a function names in its handler.ts, plus the session check of signed-in routes */
type AwsAdapters = Partial<AwsAdapterFactories> & {
  readonly sessions?: (env: NodeJS.ProcessEnv, tables: () => PlatformDependencies['tables']) => SessionStatus;
};

/**
 * The composition root of a Lambda function, run once per cold start. Every function gets the
 * core (configuration, clock, logger, token verification from the public keys the stack puts in
 * its environment: no KMS call to verify a token); it names the AWS adapters it uses in its
 * handler.ts, so its bundle holds only those SDK clients. Each adapter is built on first use.
 */
export function awsDependencies<const A extends AwsAdapters>(
  spec: FunctionSpec,
  adapters: A,
  env: NodeJS.ProcessEnv = process.env,
): CoreDependencies & Pick<PlatformDependencies, Extract<keyof A, keyof AwsAdapterFactories>> {
  const config = loadConfig(env);
  const tokenKeys = tokenKeysFromEnvironment(env, envNames.keyId('tokenSigning'));
  const keyIds = new Proxy({} as Record<KeyName, string>, { get: (_, name: string) => required(env, envNames.keyId(name)) });
  const logger = new Logger({ serviceName: spec.name });
  const core: CoreDependencies = {
    config,
    clock: systemClock,
    logger,
    cors: { origins: config.corsOrigins },
    keyIds,
    tokenKeys,
    principals: accessTokenPrincipals({
      tokens: createTokenVerifier({ issuer: config.issuer, audience: config.audience, jwks: () => tokenKeys.jwks() }),
      ...sessionCheck(spec, adapters, env, () => composed.tables as PlatformDependencies['tables']),
    }),
  };
  const composed: Record<string, unknown> = { ...core, ...accessMonitoring(spec, env, logger) };
  for (const [name, factory] of Object.entries(adapters).filter(([name]) => name !== 'sessions') as [string, (env: NodeJS.ProcessEnv) => unknown][]) {
    let built: unknown;
    Object.defineProperty(composed, name, { enumerable: true, get: () => (built ??= factory(env)) });
  }
  return composed as CoreDependencies & Pick<PlatformDependencies, Extract<keyof A, keyof AwsAdapterFactories>>;
}

/**
 * Revoked sessions (unified logout) are refused by every function that serves signed-in routes.
 * Such a function must be composed with `sessions` (awsSessionStatus) and the tables adapter;
 * without them it would accept revoked tokens, so it fails its cold start instead.
 */
function sessionCheck(
  spec: FunctionSpec,
  adapters: AwsAdapters,
  env: NodeJS.ProcessEnv,
  tables: () => PlatformDependencies['tables'],
): { sessions?: SessionStatus } {
  // a function whose routes are all anonymous never sees a session
  if (!spec.routes?.some((route) => route.auth.require !== 'anonymous')) return {};
  if (!adapters.tables || !adapters.sessions) {
    throw new Error(`configuration: ${spec.name} serves signed-in routes, so it needs the tables and sessions adapters (identity: 'read' in the manifest)`);
  }
  return { sessions: adapters.sessions(env, tables) };
}

/**
 * Access events (GB/T 39047 6.2.4) of a function that serves routes: recorded by the HTTP stack
 * into a buffer and sent to the access-events queue in batches, off the request's path
 * (best effort: a batch still buffered when Lambda reclaims the environment is lost).
 * ACCESS_EVENTS_SAMPLE_RATE (0..1, default 1) samples them.
 */
function accessMonitoring(spec: FunctionSpec, env: NodeJS.ProcessEnv, logger: Logger): { accessEvents?: AccessEventSink } {
  if (!spec.routes?.length) return {};
  if (!spec.grants.sendTo?.includes('access-events')) {
    throw new Error(`configuration: ${spec.name} serves routes, so it must be granted sendTo 'access-events' in infra/manifest.ts`);
  }
  const sampleRate = env.ACCESS_EVENTS_SAMPLE_RATE === undefined ? 1 : Number(env.ACCESS_EVENTS_SAMPLE_RATE);
  if (!(sampleRate >= 0 && sampleRate <= 1)) throw new Error('configuration: ACCESS_EVENTS_SAMPLE_RATE must be between 0 and 1');
  let queues: ReturnType<typeof awsQueues> | undefined;
  return {
    accessEvents: batchingAccessEvents({
      queues: { send: (queue, messages) => (queues ??= awsQueues(env)).send(queue, messages) },
      clock: systemClock,
      sampleRate,
      onError: (error) => logger.warn('access events not sent', { error: error.message }),
    }),
  };
}
