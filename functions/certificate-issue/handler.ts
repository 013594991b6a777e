import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { awsSessionStatus } from '../../shared/adapters/aws/aws-session-status.js';
import { awsQueues } from '../../shared/adapters/aws/sqs-queue-publisher.js';
import { certificateIssueFunction } from '../../infra/manifest.js';
import { createHandler } from './app.js';

export const handler = createHandler(awsDependencies(certificateIssueFunction, { sessions: awsSessionStatus, tables: awsTables, vault: awsKeyVault, queues: awsQueues }));
