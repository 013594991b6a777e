import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsQueues } from '../../shared/adapters/aws/sqs-queue-publisher.js';
import { createHandler } from './app.js';
import { awsSessionStatus } from '../../shared/adapters/aws/aws-session-status.js';
import { catalogAdminFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(catalogAdminFunction, { sessions: awsSessionStatus, tables: awsTables, queues: awsQueues }));
