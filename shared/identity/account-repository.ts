import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { RealNameLevel, SubjectType } from '../auth/principal.js';
import { conflict } from '../errors.js';
import type { LookupKind } from '../privacy/personal-data.js';
import type { Tables } from '../ports/tables.js';

/** A login-able identity: person, legal person, organisation, agency staff, administrator or peer platform. */
export interface Account {
  readonly accountId: string;
  readonly subjectType: SubjectType;
  /** display name (person's or organisation's name) */
  readonly name: string;
  readonly level: RealNameLevel;
  /** how the real name was proven: password, sms, id-card, social-security, face, id-reader, market-regulation */
  readonly verifiedMethods: readonly string[];
  readonly roles: readonly string[];
  readonly agency?: string;
  readonly region?: string;
  /** personal data: sealed (envelope-encrypted) and masked copies; the clear value is never stored */
  readonly idType?: string;
  readonly idNumberSealed?: string;
  readonly idNumberMasked?: string;
  readonly usccSealed?: string;
  readonly usccMasked?: string;
  readonly phoneSealed?: string;
  readonly phoneMasked?: string;
  readonly email?: string;
  readonly passwordHash: string;
  readonly status: 'active' | 'deregistered';
  readonly createdAt: string;
  readonly version: number;
}

/** A unique value an account claims (phone, ID number, USCC, username), by its lookup hash. */
export interface UniqueClaim {
  readonly kind: LookupKind;
  readonly hash: string;
}

const accountKey = (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'PROFILE' });
const claimKey = (claim: UniqueClaim) => ({ pk: `CLAIM#${claim.kind}#${claim.hash}`, sk: 'CLAIM' });

/** Accounts and their unique claims in the identity table. */
export function accountRepository(tables: Tables) {
  const TableName = tables.name('identity');
  return {
    /**
     * Creates an account and its unique claims in one transaction: if any claim is taken,
     * nothing is written and a conflict names the taken kinds.
     */
    async create(account: Account, claims: readonly UniqueClaim[]): Promise<void> {
      try {
        await tables.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: { ...accountKey(account.accountId), type: 'account', ...account }, ConditionExpression: 'attribute_not_exists(pk)' } },
              ...claims.map((claim) => ({
                Put: {
                  TableName,
                  Item: { ...claimKey(claim), type: 'claim', kind: claim.kind, accountId: account.accountId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
            ],
          }),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const taken = (error.CancellationReasons ?? [])
            .map((reason, index) => (reason.Code === 'ConditionalCheckFailed' && index > 0 ? claims[index - 1]!.kind : undefined))
            .filter(Boolean);
          throw conflict(`Already registered: ${taken.join(', ') || 'account'}`, 'already_registered');
        }
        throw error;
      }
    },

    async get(accountId: string): Promise<Account | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: accountKey(accountId), ConsistentRead: true }));
      return Item ? toAccount(Item) : undefined;
    },

    async findByClaim(claim: UniqueClaim): Promise<Account | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: claimKey(claim) }));
      return Item ? this.get(Item.accountId as string) : undefined;
    },

    /** Replaces an account if nobody changed it since `expectedVersion` (else 409). */
    async update(account: Account, expectedVersion: number): Promise<Account> {
      const next = { ...account, version: expectedVersion + 1 };
      try {
        await tables.client.send(
          new PutCommand({
            TableName,
            Item: { ...accountKey(account.accountId), type: 'account', ...next },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
        );
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') throw conflict('The account was changed meanwhile; retry', 'stale_version');
        throw error;
      }
      return next;
    },
  };
}

export type AccountRepository = ReturnType<typeof accountRepository>;

function toAccount(item: Record<string, unknown>): Account {
  const { pk: _pk, sk: _sk, type: _type, ...account } = item;
  return account as unknown as Account;
}
