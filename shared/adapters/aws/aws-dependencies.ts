import { Logger } from '@aws-lambda-powertools/logger';
import type { FunctionName, KeyName } from '../../../infra/manifest.js';
import { accessTokenPrincipals } from '../../auth/access-token-principals.js';
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
}

/**
 * The composition root of a Lambda function, run once per cold start. Every function gets the
 * core (configuration, clock, logger, token verification from the public keys the stack puts in
 * its environment: no KMS call to verify a token); it names the AWS adapters it uses in its
 * handler.ts, so its bundle holds only those SDK clients. Each adapter is built on first use.
 */
export function awsDependencies<const K extends keyof AwsAdapterFactories>(
  functionName: FunctionName,
  adapters: Pick<AwsAdapterFactories, K>,
  env: NodeJS.ProcessEnv = process.env,
): CoreDependencies & Pick<PlatformDependencies, K> {
  const config = loadConfig(env);
  const tokenKeys = tokenKeysFromEnvironment(env, envNames.keyId('tokenSigning'));
  const keyIds = new Proxy({} as Record<KeyName, string>, { get: (_, name: string) => required(env, envNames.keyId(name)) });
  const core: CoreDependencies = {
    config,
    clock: systemClock,
    logger: new Logger({ serviceName: functionName }),
    cors: { origins: config.corsOrigins },
    keyIds,
    tokenKeys,
    principals: accessTokenPrincipals({
      tokens: createTokenVerifier({ issuer: config.issuer, audience: config.audience, jwks: () => tokenKeys.jwks() }),
    }),
  };
  const composed: Record<string, unknown> = { ...core };
  for (const [name, factory] of Object.entries(adapters) as [K, (env: NodeJS.ProcessEnv) => unknown][]) {
    let built: unknown;
    Object.defineProperty(composed, name, { enumerable: true, get: () => (built ??= factory(env)) });
  }
  return composed as CoreDependencies & Pick<PlatformDependencies, K>;
}
