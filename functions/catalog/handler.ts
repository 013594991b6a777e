import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { createHandler } from './app.js';
import { catalogFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(catalogFunction, { tables: awsTables }));
