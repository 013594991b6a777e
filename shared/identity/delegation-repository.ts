import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubjectType } from '../auth/principal.js';
import { conflict } from '../errors.js';
import type { Tables } from '../ports/tables.js';
import { ttlFromNow } from '../tables/expiry.js';
import { TransactionConflictError, writeAll, type TransactionItem } from '../tables/transactions.js';
import type { UniqueClaim } from './account-repository.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/** An authorisation (GB/T 39047 6.1.10 k): a principal lets a delegate act for it on some items until a date. */
export interface Delegation {
  readonly delegationId: string;
  readonly principalAccountId: string;
  readonly principalName: string;
  readonly principalSubjectType: SubjectType;
  /** who may accept: the lookup hash of the delegate's ID number or USCC, and its masked form */
  readonly delegate: { readonly kind: 'resident-id' | 'uscc'; readonly hash: string; readonly masked: string };
  /** the account that accepted */
  readonly delegateAccountId?: string;
  readonly itemCodes: readonly string[];
  readonly scope: readonly string[];
  readonly validUntil: string;
  readonly state: 'offered' | 'accepted' | 'revoked';
  readonly createdAt: string;
  readonly acceptedAt?: string;
  readonly revokedAt?: string;
  /** delegated sessions opened under this delegation: they end when it is revoked */
  readonly sessionIds: readonly string[];
  readonly version: number;
}

/** Delegation records are kept this long past their end for the audit trail, then swept. */
const RETENTION_AFTER_END_SECONDS = 180 * 24 * 3600;

const delegationKey = (delegationId: string) => ({ pk: `DELEGATION#${delegationId}`, sk: 'DELEGATION' });
const delegatePointer = (claim: UniqueClaim) => `DELEGATE#${claim.kind}#${claim.hash}`;

/** Delegations in the identity table, listed by principal (gsi1) and by the delegate's ID hash (pointer items). */
export function delegationRepository(tables: Tables) {
  const TableName = tables.name('identity');
  const itemOf = (delegation: Delegation) => ({
    ...delegationKey(delegation.delegationId),
    gsi1pk: `DELEGATOR#${delegation.principalAccountId}`,
    gsi1sk: `DELEGATION#${delegation.delegationId}`,
    type: 'delegation',
    ...delegation,
    expiresAt: ttlFromNow(new Date(delegation.validUntil), RETENTION_AFTER_END_SECONDS),
  });
  const toDelegation = (item: Record<string, unknown>): Delegation => {
    const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, type: _t, expiresAt: _e, ...delegation } = item;
    return { sessionIds: [], ...delegation } as unknown as Delegation;
  };

  return {
    /** stores a new delegation, its delegate pointer and `alsoWrite` (its audit event) in one transaction */
    async create(delegation: Delegation, alsoWrite: readonly TransactionItem[] = []): Promise<void> {
      const expiresAt = ttlFromNow(new Date(delegation.validUntil), RETENTION_AFTER_END_SECONDS);
      await writeAll(tables, [
        { Put: { TableName, Item: itemOf(delegation), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName,
            Item: { pk: delegatePointer(delegation.delegate), sk: `DELEGATION#${delegation.delegationId}`, type: 'delegate-pointer', delegationId: delegation.delegationId, expiresAt },
          },
        },
        ...alsoWrite,
      ]);
    },

    async get(delegationId: string): Promise<Delegation | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: delegationKey(delegationId), ConsistentRead: true }));
      return Item ? toDelegation(Item) : undefined;
    },

    async listGranted(principalAccountId: string): Promise<Delegation[]> {
      const { Items } = await tables.client.send(
        new QueryCommand({
          TableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :principal',
          ExpressionAttributeValues: { ':principal': `DELEGATOR#${principalAccountId}` },
        }),
      );
      return (Items ?? []).map(toDelegation);
    },

    /** delegations offered to any of the given ID numbers or USCCs */
    async listReceived(claims: readonly UniqueClaim[]): Promise<Delegation[]> {
      const pages = await Promise.all(
        claims.map((claim) =>
          tables.client.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': delegatePointer(claim) } })),
        ),
      );
      const ids = [...new Set(pages.flatMap((page) => (page.Items ?? []).map((item) => item.delegationId as string)))];
      const found: Delegation[] = [];
      for (let start = 0; start < ids.length; start += 100) {
        let keys: Record<string, unknown>[] | undefined = ids.slice(start, start + 100).map(delegationKey);
        while (keys && keys.length > 0) {
          const result = await tables.client.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: keys } } }));
          found.push(...(result.Responses?.[TableName] ?? []).map(toDelegation));
          keys = result.UnprocessedKeys?.[TableName]?.Keys as Record<string, unknown>[] | undefined;
        }
      }
      return found.sort((a, b) => a.delegationId.localeCompare(b.delegationId));
    },

    /** replaces a delegation if nobody changed it since its version (else 409), with `alsoWrite` in one transaction */
    async update(next: Delegation, expectedVersion: number, alsoWrite: readonly TransactionItem[] = []): Promise<Delegation> {
      const stored = { ...next, version: expectedVersion + 1 };
      try {
        await writeAll(tables, [
          { Put: { TableName, Item: itemOf(stored), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } },
          ...alsoWrite,
        ]);
      } catch (error) {
        if (error instanceof TransactionConflictError) throw conflict('The delegation was changed meanwhile; retry', 'stale_version');
        throw error;
      }
      return stored;
    },

    /** records a delegated session, only while the delegation is accepted */
    async addSession(delegationId: string, sessionId: string): Promise<boolean> {
      return writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: delegationKey(delegationId),
            // the version moves too, so a revocation that read the list before cannot overwrite it
            UpdateExpression: 'SET sessionIds = list_append(if_not_exists(sessionIds, :empty), :session), version = version + :one',
            ConditionExpression: '#state = :accepted',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':empty': [], ':session': [sessionId], ':accepted': 'accepted', ':one': 1 },
          }),
        ),
      );
    },
  };
}

export type DelegationRepository = ReturnType<typeof delegationRepository>;
