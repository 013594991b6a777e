import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { awsQueues } from '../../shared/adapters/aws/sqs-queue-publisher.js';
import { unconnectedIdentityAuthorities } from '../../shared/adapters/unconnected-identity-authorities.js';
import { createHandler } from './app.js';
import { awsSessionStatus } from '../../shared/adapters/aws/aws-session-status.js';
import { identityFunction } from '../../infra/manifest.js';

export const handler = createHandler(
  awsDependencies(identityFunction, { sessions: awsSessionStatus, tables: awsTables, vault: awsKeyVault, queues: awsQueues, authorities: unconnectedIdentityAuthorities }),
);
