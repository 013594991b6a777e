import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsMessages } from '../../shared/adapters/aws/aws-message-sender.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { createHandler } from './app.js';
import { notifierFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(notifierFunction, { tables: awsTables, messages: awsMessages }));
