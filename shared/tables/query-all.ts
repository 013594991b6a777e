import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';

/** Every item of a query, page after page (up to `limit` items when given). */
export async function queryAll(tables: Tables, input: QueryCommandInput, limit = Number.POSITIVE_INFINITY): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tables.client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start && items.length < limit);
  return items.slice(0, limit);
}
