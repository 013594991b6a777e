import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsMessages } from '../../shared/adapters/aws/aws-message-sender.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { createHandler } from './app.js';

export const handler = createHandler(awsDependencies('notifier', { tables: awsTables, messages: awsMessages }));
