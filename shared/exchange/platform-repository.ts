import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { writeAll, type TransactionItem } from '../tables/transactions.js';
import type { DatasetName } from './dataset-names.js';
import type { SigningJwk } from './envelope-signature.js';

/** What a consumer platform may read of one dataset. */
export interface DatasetGrant {
  readonly dataset: DatasetName;
  /** table exchange: push every change of the dataset to the platform's outbound queue */
  readonly subscribe: boolean;
  /** personal fields (dotted paths) the platform sees in clear; every other personal field is masked */
  readonly clearFields: readonly string[];
}

/**
 * A platform registered for data exchange: a source (pushes batches), a consumer (reads shared
 * data, subscribes to datasets), or both. Registrations are data, changed by administrators.
 */
export interface ExchangePlatform {
  readonly platformId: string;
  readonly name: string;
  /** identity accounts (token subjects) that act for the platform on the API */
  readonly accountIds: readonly string[];
  /** the manifest queue that carries our messages to the platform; without one it reads the API only */
  readonly outboundQueue?: string;
  readonly source?: {
    readonly datasets: readonly DatasetName[];
    /** present: every message must carry a valid ES256 signature by one of these keys */
    readonly signingKeys?: readonly SigningJwk[];
  };
  readonly consumer?: { readonly grants: readonly DatasetGrant[] };
  readonly updatedAt: string;
  readonly version: number;
}

const platformKey = (platformId: string) => ({ pk: `PLATFORM#${platformId}`, sk: 'PLATFORM' });
const accountLinkKey = (accountId: string) => ({ pk: `PLATFORM_ACCOUNT#${accountId}`, sk: 'PLATFORM' });
const PLATFORM_LIST = 'PLATFORMS';

/** Registered exchange platforms and the accounts that act for them, in the exchange table. */
export function platformRepository(tables: Tables) {
  const TableName = tables.name('exchange');
  return {
    async get(platformId: string): Promise<ExchangePlatform | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: platformKey(platformId) }));
      return Item ? toPlatform(Item) : undefined;
    },

    async findByAccount(accountId: string): Promise<ExchangePlatform | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: accountLinkKey(accountId) }));
      return Item ? this.get(Item.platformId as string) : undefined;
    },

    async list(): Promise<ExchangePlatform[]> {
      const platforms: ExchangePlatform[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await tables.client.send(
          new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :list', ExpressionAttributeValues: { ':list': PLATFORM_LIST }, ExclusiveStartKey }),
        );
        platforms.push(...(page.Items ?? []).map(toPlatform));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return platforms;
    },

    /**
     * Writes a registration and its account links in one transaction, conditional on the version
     * the caller read (absent: a new platform), so two administrators never overwrite each other.
     * An account already linked to another platform fails the transaction too.
     */
    async put(platform: ExchangePlatform, previous: ExchangePlatform | undefined): Promise<void> {
      const removed = (previous?.accountIds ?? []).filter((id) => !platform.accountIds.includes(id));
      const items: TransactionItem[] = [
        {
          Put: {
            TableName,
            Item: { ...platformKey(platform.platformId), type: 'exchange-platform', gsi1pk: PLATFORM_LIST, gsi1sk: platform.platformId, ...platform },
            ...(previous
              ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previous.version } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        ...platform.accountIds.map((accountId) => ({
          Put: {
            TableName,
            Item: { ...accountLinkKey(accountId), type: 'exchange-platform-account', platformId: platform.platformId },
            ConditionExpression: 'attribute_not_exists(pk) OR platformId = :platform',
            ExpressionAttributeValues: { ':platform': platform.platformId },
          },
        })),
        ...removed.map((accountId) => ({ Delete: { TableName, Key: accountLinkKey(accountId) } })),
      ];
      await writeAll(tables, items);
    },
  };
}

export type PlatformRepository = ReturnType<typeof platformRepository>;

function toPlatform(item: Record<string, unknown>): ExchangePlatform {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...platform } = item;
  return platform as unknown as ExchangePlatform;
}

/**
 * Registrations read through a short cache: the ingest looks the source up for every message, and a
 * registration change reaches every warm function within `ttlMs`.
 */
export function cachedPlatforms(repository: PlatformRepository, now: () => number, ttlMs = 30_000) {
  const byId = new Map<string, { at: number; value: Promise<ExchangePlatform | undefined> }>();
  let all: { at: number; value: Promise<ExchangePlatform[]> } | undefined;
  return {
    get(platformId: string): Promise<ExchangePlatform | undefined> {
      const hit = byId.get(platformId);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = repository.get(platformId);
      value.catch(() => byId.delete(platformId));
      byId.set(platformId, { at: now(), value });
      return value;
    },
    list(): Promise<ExchangePlatform[]> {
      if (all && now() - all.at < ttlMs) return all.value;
      const value = repository.list();
      value.catch(() => (all = undefined));
      all = { at: now(), value };
      return value;
    },
  };
}

export type PlatformDirectory = ReturnType<typeof cachedPlatforms>;
