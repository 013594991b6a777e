import { Logger } from '@aws-lambda-powertools/logger';
import type { FunctionSpec, KeyName } from '../../../infra/manifest.js';
import { accessTokenPrincipals, type SessionStatus } from '../../auth/access-token-principals.js';
import { tokenKeysFromEnvironment } from '../../auth/token-keys.js';
import { createTokenVerifier } from '../../auth/token-verifier.js';
import { envNames, loadConfig, required } from '../../config.js';
import { systemClock } from '../../ports/clock.js';
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
  const core: CoreDependencies = {
    config,
    clock: systemClock,
    logger: new Logger({ serviceName: spec.name }),
    cors: { origins: config.corsOrigins },
    keyIds,
    tokenKeys,
    principals: accessTokenPrincipals({
      tokens: createTokenVerifier({ issuer: config.issuer, audience: config.audience, jwks: () => tokenKeys.jwks() }),
      ...sessionCheck(spec, adapters, env, () => composed.tables as PlatformDependencies['tables']),
    }),
  };
  const composed: Record<string, unknown> = { ...core };
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
