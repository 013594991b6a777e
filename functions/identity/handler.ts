import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { createHandler } from './app.js';

export const handler = createHandler(awsDependencies('identity', { tables: awsTables, vault: awsKeyVault }));
