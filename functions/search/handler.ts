import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsSearchIndex } from '../../shared/adapters/aws/opensearch-search-index.js';
import { createHandler } from './app.js';
import { searchFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(searchFunction, { tables: awsTables, search: awsSearchIndex }));
