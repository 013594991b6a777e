import { describe, it, expect } from '@jest/globals';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startEmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';

describe('embedded dynamo', () => {
  it('serves the DynamoDB API in process', async () => {
    const db = await startEmbeddedDynamo();
    try {
      await db.client.send(new CreateTableCommand({ TableName: 'ttt', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
      await db.documentClient.send(new PutCommand({ TableName: 'ttt', Item: { pk: 'a', v: 1 } }));
      const got = await db.documentClient.send(new GetCommand({ TableName: 'ttt', Key: { pk: 'a' } }));
      expect(got.Item).toEqual({ pk: 'a', v: 1 });
    } finally {
      await db.close();
    }
  });
});
