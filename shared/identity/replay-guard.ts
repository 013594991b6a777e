import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/**
 * One-time use of signed tokens that others send us (back-channel logout tokens, client
 * assertions): each jti is remembered until the token expires, and a second use is refused.
 */
export function replayGuard(tables: Tables) {
  const TableName = tables.name('identity');
  return {
    /** true the first time `jti` of `issuer` is seen; false for a replay */
    async firstUse(issuer: string, jti: string, expiresAt: number): Promise<boolean> {
      return writtenIfCondition(
        tables.client.send(
          new PutCommand({
            TableName,
            Item: { pk: `JTI#${issuer}#${jti}`, sk: 'JTI', type: 'jti', expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },
  };
}

export type ReplayGuard = ReturnType<typeof replayGuard>;
