import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';

/** One write of a transaction, built by the repository that owns its keys. */
export type TransactionItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's ceiling on the items of one TransactWriteItems call */
export const MAX_TRANSACTION_ITEMS = 100;

/** Some conditions of a transaction failed, so nothing was written; `failed` holds their positions. */
export class TransactionConflictError extends Error {
  constructor(readonly failed: readonly number[]) {
    super(`transaction cancelled: conditions failed at ${failed.join(', ')}`);
    this.name = 'TransactionConflictError';
  }
}

/**
 * Writes every item or none (TransactWriteItems). When conditions fail, throws
 * TransactionConflictError naming the failed positions, so the caller can say which invariant
 * stopped it (a taken phone number, a stale version, a used SMS code).
 */
export async function writeAll(tables: Tables, items: readonly TransactionItem[]): Promise<void> {
  if (items.length > MAX_TRANSACTION_ITEMS) throw new Error(`a transaction holds at most ${MAX_TRANSACTION_ITEMS} items, not ${items.length}`);
  try {
    await tables.client.send(new TransactWriteCommand({ TransactItems: [...items] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const failed = (error.CancellationReasons ?? []).flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
      if (failed.length > 0) throw new TransactionConflictError(failed);
    }
    throw error;
  }
}
