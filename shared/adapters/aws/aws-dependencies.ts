import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { FunctionName, KeyName } from '../../../infra/manifest.js';
import { accessTokenPrincipals } from '../../auth/access-token-principals.js';
import { tokenKeys } from '../../auth/token-keys.js';
import { createTokenVerifier } from '../../auth/token-verifier.js';
import { envNames, loadConfig, required } from '../../config.js';
import { systemClock } from '../../ports/clock.js';
import type { PlatformDependencies } from '../../runtime/platform-dependencies.js';
import { awsMessageSender } from './aws-message-sender.js';
import { awsTables } from './dynamo-tables.js';
import { kmsKeyVault } from './kms-key-vault.js';
import { createOpenSearchClient, openSearchIndex } from './opensearch-search-index.js';
import { s3BlobStore } from './s3-blob-store.js';
import { sqsQueuePublisher } from './sqs-queue-publisher.js';

/** name of the search index in the OpenSearch domain */
const SEARCH_INDEX_NAME = 'gov-services';

/**
 * The composition root of a Lambda function: AWS adapters behind every port, read from the
 * environment the CDK stack sets. Runs once per cold start; each member is built on first use,
 * so a function only needs the configuration of what it was granted (asking for anything else
 * fails naming the missing variable).
 */
export function awsDependencies(functionName: FunctionName, env: NodeJS.ProcessEnv = process.env): PlatformDependencies {
  const config = loadConfig(env);
  const once = <T>(build: () => T) => {
    let value: T | undefined;
    return () => (value ??= build());
  };
  const vault = once(() => kmsKeyVault());
  const keys = once(() => tokenKeys(vault(), [required(env, envNames.keyId('tokenSigning'))]));
  const keyIds = new Proxy({} as Record<KeyName, string>, {
    get: (_, name: string) => required(env, envNames.keyId(name)),
  });
  const principals = once(() =>
    accessTokenPrincipals({ tokens: createTokenVerifier({ issuer: config.issuer, audience: config.audience, jwks: () => keys().jwks() }) }),
  );
  const tables = once(() => awsTables(env));
  const queues = once(() => sqsQueuePublisher({ env }));
  const blobs = once(() => s3BlobStore({ client: new S3Client({}), bucket: required(env, envNames.blobBucket) }));
  const search = once(() =>
    openSearchIndex({ client: createOpenSearchClient(required(env, envNames.searchEndpoint), required(env, 'AWS_REGION')), indexName: SEARCH_INDEX_NAME }),
  );
  const messages = once(() => awsMessageSender(env.EMAIL_FROM ? { emailFrom: env.EMAIL_FROM } : {}));
  return {
    config,
    clock: systemClock,
    logger: new Logger({ serviceName: functionName }),
    cors: { origins: config.corsOrigins },
    keyIds,
    get tables() {
      return tables();
    },
    get queues() {
      return queues();
    },
    get vault() {
      return vault();
    },
    get tokenKeys() {
      return keys();
    },
    get principals() {
      return principals();
    },
    get blobs() {
      return blobs();
    },
    get search() {
      return search();
    },
    get messages() {
      return messages();
    },
  };
}
