import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';

/** The items of a scan a page at a time, so a caller folds a large table without holding it. */
export async function* scanPages(tables: Tables, input: Omit<ScanCommandInput, 'ExclusiveStartKey'>): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tables.client.send(new ScanCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    yield (page.Items ?? []) as Record<string, unknown>[];
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
}
