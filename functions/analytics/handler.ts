import { analyticsFunction } from '../../infra/manifest.js';
import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsSessionStatus } from '../../shared/adapters/aws/aws-session-status.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { createHandler } from './app.js';

export const handler = createHandler(awsDependencies(analyticsFunction, { sessions: awsSessionStatus, tables: awsTables }));
