import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../../../infra/manifest.js';
import { envNames } from '../../config.js';
import type { Tables } from '../../ports/tables.js';

let documentClient: DynamoDBDocumentClient | undefined;

/** one client per cold start: created on first use, reused by every later invocation */
function sharedDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}

/**
 * The table port on AWS DynamoDB. Physical names come from the TABLE_* variables the CDK stack
 * sets for the tables a function is granted; asking for any other table fails at once, naming the
 * variable, instead of failing later with an access-denied error from DynamoDB.
 */
export function awsTables(env: NodeJS.ProcessEnv = process.env): Tables {
  return {
    client: sharedDocumentClient(),
    name: (table: TableName) => {
      const variable = envNames.table(table);
      const physicalName = env[variable];
      if (!physicalName) {
        throw new Error(`configuration: ${variable} is not set; is the function granted the ${table} table in infra/manifest.ts?`);
      }
      return physicalName;
    },
  };
}
