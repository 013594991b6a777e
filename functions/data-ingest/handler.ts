import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { awsBlobStore } from '../../shared/adapters/aws/s3-blob-store.js';
import { awsQueues } from '../../shared/adapters/aws/sqs-queue-publisher.js';
import { createHandler } from './app.js';
import { dataIngestFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(dataIngestFunction, { tables: awsTables, queues: awsQueues, vault: awsKeyVault, blobs: awsBlobStore }));
