import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** Puts and deletes in batches of 25, sending again what the store left unprocessed until nothing is. */
export async function batchWriteAll(tables: Tables, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: readonly WriteRequest[] | undefined = requests.slice(i, i + 25);
    while (pending && pending.length > 0) {
      const answer = await tables.client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = answer.UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
    }
  }
}
