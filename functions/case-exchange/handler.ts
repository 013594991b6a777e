import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { awsQueues } from '../../shared/adapters/aws/sqs-queue-publisher.js';
import { createHandler } from './app.js';
import { caseExchangeFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(caseExchangeFunction, { tables: awsTables, queues: awsQueues, vault: awsKeyVault }));
