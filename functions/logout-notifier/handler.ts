import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { createHandler } from './app.js';
import { logoutNotifierFunction } from '../../infra/manifest.js';

export const handler = createHandler(awsDependencies(logoutNotifierFunction, { vault: awsKeyVault }));
