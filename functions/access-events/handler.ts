import { accessEventsFunction } from '../../infra/manifest.js';
import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsSessionStatus } from '../../shared/adapters/aws/aws-session-status.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsBlobStore } from '../../shared/adapters/aws/s3-blob-store.js';
import { createHandler } from './app.js';

export const handler = createHandler(awsDependencies(accessEventsFunction, { sessions: awsSessionStatus, tables: awsTables, blobs: awsBlobStore }));
