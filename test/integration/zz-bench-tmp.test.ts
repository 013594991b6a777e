import { it } from '@jest/globals';
import { DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startEmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
it('bench', async () => {
  const db = await startEmbeddedDynamo();
  await ensureTables(db.client, [{ tableName: 't1', spec: { description: '', indexes: ['gsi1'], ttlAttribute: 'x' } }]);
  for (const [name, fn] of [
    ['describe', () => db.client.send(new DescribeTableCommand({ TableName: 't1' }))],
    ['get', () => db.client.send(new GetItemCommand({ TableName: 't1', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))],
    ['tx', () => db.documentClient.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 't1', Item: { pk: 'a', sk: 'b' } } }, { Put: { TableName: 't1', Item: { pk: 'a', sk: 'c' } } }] }))],
  ] as const) {
    await fn();
    const t = performance.now();
    for (let i = 0; i < 50; i++) await fn();
    console.log(name, ((performance.now() - t) / 50).toFixed(2), 'ms');
  }
  await db.close();
});
