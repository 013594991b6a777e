import { apiDocsFunction } from '../../infra/manifest.js';
import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { createHandler } from './app.js';

export const handler = createHandler(awsDependencies(apiDocsFunction, {}));
