import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsBlobStore } from '../../shared/adapters/aws/s3-blob-store.js';
import { createHandler } from './app.js';
import { awsSessionStatus } from '../../shared/adapters/aws/aws-session-status.js';
import { caseQueryFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(caseQueryFunction, { sessions: awsSessionStatus, tables: awsTables, blobs: awsBlobStore }));
