import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';

/** A login: access tokens carry its id (sid) so logout can end it. */
export interface Session {
  readonly sessionId: string;
  readonly accountId: string;
  readonly amr: readonly string[];
  readonly createdAt: string;
  readonly sourceIp: string;
  /** epoch seconds; the session record is swept after this */
  readonly expiresAt: number;
  readonly revokedAt?: string;
}

const sessionKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' });

/** Sessions in the identity table, also indexed by account (gsi1) for "log out everywhere". */
export function sessionRepository(tables: Tables) {
  const TableName = tables.name('identity');
  return {
    async create(session: Session): Promise<void> {
      await tables.client.send(
        new PutCommand({
          TableName,
          Item: { ...sessionKey(session.sessionId), gsi1pk: `ACCOUNT#${session.accountId}`, gsi1sk: `SESSION#${session.sessionId}`, type: 'session', ...session },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async get(sessionId: string): Promise<Session | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: sessionKey(sessionId), ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, type: _t, ...session } = Item;
      return session as Session;
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
