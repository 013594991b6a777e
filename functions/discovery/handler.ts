import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';
import { awsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { awsBlobStore } from '../../shared/adapters/aws/s3-blob-store.js';
import { createHandler } from './app.js';

export const handler = createHandler(awsDependencies('discovery', { tables: awsTables, vault: awsKeyVault, blobs: awsBlobStore }));
