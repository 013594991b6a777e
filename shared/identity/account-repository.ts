import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RealNameLevel, SubjectType } from '../auth/principal.js';
import { conflict } from '../errors.js';
import type { LookupKind } from '../privacy/personal-data.js';
import type { Tables } from '../ports/tables.js';
import { TransactionConflictError, writeAll, type TransactionItem } from '../tables/transactions.js';

/** A login-able identity: person, legal person, organisation, agency staff, administrator or peer platform. */
export interface Account {
  readonly accountId: string;
  readonly subjectType: SubjectType;
  /** display name (person's or organisation's name) */
  readonly name: string;
  readonly level: RealNameLevel;
  /** how the real name was proven: password, sms, id-card, social-security, face, id-reader, market-regulation, fed:<peer> */
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
  /** legal representative / person in charge of an organisation: sealed JSON { name, idNumber } and masked copies */
  readonly representativeSealed?: string;
  readonly representativeMasked?: { readonly name: string; readonly idNumber: string };
  readonly email?: string;
  /** the unique login names the account holds, by lookup hash; deregistration frees them */
  readonly claims: readonly UniqueClaim[];
  /** absent for accounts that cannot log in with a password (federated accounts) */
  readonly passwordHash?: string;
  /** the peer platform that created this account by token exchange */
  readonly federatedFrom?: string;
  readonly status: 'active' | 'deregistered';
  readonly createdAt: string;
  readonly deregisteredAt?: string;
  readonly version: number;
}

/** What is left of a deregistered account: no personal data, only what the audit trail points at. */
export type DeregisteredAccount = Pick<Account, 'accountId' | 'subjectType' | 'createdAt' | 'version'> & {
  readonly status: 'deregistered';
  readonly deregisteredAt: string;
};

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
  const putAccount = (account: Account | DeregisteredAccount, expectedVersion?: number): TransactionItem => ({
    Put: {
      TableName,
      Item: { ...accountKey(account.accountId), type: 'account', ...account },
      ...(expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  });

  return {
    /**
     * Creates an account and its unique claims in one transaction with `alsoWrite` (audit event,
     * the SMS code it uses up): if any claim is taken, nothing is written and a conflict names the
     * taken kinds; if an item of `alsoWrite` fails its condition, its position is reported.
     */
    async create(account: Account, alsoWrite: readonly TransactionItem[] = []): Promise<void> {
      const claims = account.claims;
      const items: TransactionItem[] = [
        putAccount(account),
        ...claims.map((claim) => ({
          Put: { TableName, Item: { ...claimKey(claim), type: 'claim', kind: claim.kind, accountId: account.accountId }, ConditionExpression: 'attribute_not_exists(pk)' },
        })),
        ...alsoWrite,
      ];
      try {
        await writeAll(tables, items);
      } catch (error) {
        if (!(error instanceof TransactionConflictError)) throw error;
        const taken = error.failed.filter((index) => index >= 1 && index <= claims.length).map((index) => claims[index - 1]!.kind);
        if (taken.length > 0 || error.failed.includes(0)) throw conflict(`Already registered: ${taken.join(', ') || 'account'}`, 'already_registered');
        throw new TransactionConflictError(error.failed.map((index) => index - 1 - claims.length));
      }
    },

    async get(accountId: string): Promise<Account | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: accountKey(accountId), ConsistentRead: true }));
      if (!Item || Item.status !== 'active') return undefined;
      return toAccount(Item);
    },

    async findByClaim(claim: UniqueClaim): Promise<Account | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: claimKey(claim) }));
      return Item ? this.get(Item.accountId as string) : undefined;
    },

    /**
     * Replaces an account if nobody changed it since its version (else 409), together with
     * `alsoWrite` (its audit event) in one transaction.
     */
    async update(account: Account, alsoWrite: readonly TransactionItem[] = []): Promise<Account> {
      const next = { ...account, version: account.version + 1 };
      await writeStale(tables, [putAccount(next, account.version), ...alsoWrite]);
      return next;
    },

    /**
     * Deregisters an account in one transaction: the account becomes a tombstone without personal
     * data, its unique claims are deleted (so the phone, ID number or USCC can register again), and
     * `alsoWrite` (revoked sessions, the audit event) is written with it; 409 if it changed meanwhile.
     */
    async deregister(account: Account, at: Date, alsoWrite: readonly TransactionItem[] = []): Promise<DeregisteredAccount> {
      const tombstone: DeregisteredAccount = {
        accountId: account.accountId,
        subjectType: account.subjectType,
        createdAt: account.createdAt,
        status: 'deregistered',
        deregisteredAt: at.toISOString(),
        version: account.version + 1,
      };
      await writeStale(tables, [
        putAccount(tombstone, account.version),
        ...account.claims.map((claim) => ({ Delete: { TableName, Key: claimKey(claim) } })),
        ...alsoWrite,
      ]);
      return tombstone;
    },
  };
}

export type AccountRepository = ReturnType<typeof accountRepository>;

async function writeStale(tables: Tables, items: readonly TransactionItem[]): Promise<void> {
  try {
    await writeAll(tables, items);
  } catch (error) {
    if (error instanceof TransactionConflictError) throw conflict('The account was changed meanwhile; retry', 'stale_version');
    throw error;
  }
}

function toAccount(item: Record<string, unknown>): Account {
  const { pk: _pk, sk: _sk, type: _type, ...account } = item;
  return { claims: [], ...account } as unknown as Account;
}
