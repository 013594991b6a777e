import { BatchGetCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../errors.js';
import type { Tables } from '../ports/tables.js';
import { batchWriteAll } from '../tables/batch-write.js';
import { queryAll } from '../tables/query-all.js';
import { TransactionConflictError, writeAll } from '../tables/transactions.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/** Who made a change: the subject of the token, and the agency of staff. */
export interface Actor {
  readonly sub: string;
  readonly agency?: string;
}

/** The current state of a versioned catalog entity: its latest version and the one published. */
export interface VersionedHead<T> {
  readonly key: string;
  readonly latestVersion: number;
  /** the version the public sees; absent until the first publication */
  readonly publishedVersion?: number;
  /** how often a version was published; orders the search documents built from this entity */
  readonly publishCount: number;
  /** content of the published version */
  readonly published?: T;
  readonly publishedAt?: string;
  /** agency USCC that owns the entity (implementations, halls); absent for national content */
  readonly owner?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One immutable version: who changed what, when. */
export interface VersionRecord<T> {
  readonly version: number;
  readonly content: T;
  readonly changedBy: string;
  readonly changedByAgency?: string;
  readonly changedAt: string;
  /** top-level fields that differ from the previous version (every field for version 1) */
  readonly changes: readonly string[];
}

/** Where a published entity is listed: a partition (e.g. every implementation of one item) and its order within it. */
export interface Listing {
  readonly partition: string;
  readonly sort: string;
}

const MAX_VERSIONS_LISTED = 100;
const pad = (version: number) => String(version).padStart(6, '0');

/**
 * Versioned entities of one kind in the catalog table (basic items, implementations, policies,
 * life events), with their keys:
 * - `<KIND>#<key>` / `HEAD`: latest and published version, publish count, published content;
 *   listed under gsi1 once published;
 * - `<KIND>#<key>` / `V#<version>`: each version, never changed after it is written.
 * Writes that race are conditional: a version is added only on top of the version the editor
 * saw (else 409 stale_version), a publication only on top of the publish count it read.
 */
export function versionedStore<T extends object>(tables: Tables, kind: string, listing: (content: T) => Listing) {
  const TableName = tables.name('catalog');
  const headKey = (key: string) => ({ pk: `${kind}#${key}`, sk: 'HEAD' });
  const versionKey = (key: string, version: number) => ({ pk: `${kind}#${key}`, sk: `V#${pad(version)}` });
  const listingKeys = (content: T) => {
    const { partition, sort } = listing(content);
    return { gsi1pk: `${kind}#${partition}`, gsi1sk: sort };
  };

  function versionItem(key: string, version: number, content: T, actor: Actor, now: Date, changes: readonly string[]) {
    return {
      ...versionKey(key, version),
      type: 'version',
      version,
      content: plain(content),
      changedBy: actor.sub,
      ...(actor.agency ? { changedByAgency: actor.agency } : {}),
      changedAt: now.toISOString(),
      changes: [...changes],
    };
  }

  const store = {
    /** Writes version 1 and the head; 409 `already_exists` when the key is taken. */
    async create(key: string, content: T, actor: Actor, now: Date, owner?: string): Promise<VersionedHead<T>> {
      const head: VersionedHead<T> = {
        key,
        latestVersion: 1,
        publishCount: 0,
        ...(owner ? { owner } : {}),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      try {
        await writeAll(tables, [
          { Put: { TableName, Item: { ...headKey(key), type: 'head', ...head }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName, Item: versionItem(key, 1, content, actor, now, Object.keys(plain(content))), ConditionExpression: 'attribute_not_exists(pk)' } },
        ]);
      } catch (error) {
        if (error instanceof TransactionConflictError) throw conflict(`${key} exists already`, 'already_exists');
        throw error;
      }
      return head;
    },

    /** Adds the next version on top of `expectedVersion`; 404 for an unknown key, 409 `stale_version` when someone else changed it. */
    async update(key: string, content: T, expectedVersion: number, actor: Actor, now: Date): Promise<{ head: VersionedHead<T>; record: VersionRecord<T> }> {
      const previous = await store.version(key, expectedVersion);
      const head = await store.head(key);
      if (!head) throw notFound(`No ${key}`);
      if (!previous || head.latestVersion !== expectedVersion) {
        throw conflict(`${key} is at version ${head.latestVersion}, not ${expectedVersion}; reload and edit again`, 'stale_version');
      }
      const version = expectedVersion + 1;
      const changes = changedFields(previous.content, content);
      const item = versionItem(key, version, content, actor, now, changes);
      try {
        await writeAll(tables, [
          { Put: { TableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              TableName,
              Key: headKey(key),
              UpdateExpression: 'SET latestVersion = :next, updatedAt = :now',
              ConditionExpression: 'latestVersion = :expected',
              ExpressionAttributeValues: { ':next': version, ':now': now.toISOString(), ':expected': expectedVersion },
            },
          },
        ]);
      } catch (error) {
        if (error instanceof TransactionConflictError) throw conflict(`${key} was changed meanwhile; reload and edit again`, 'stale_version');
        throw error;
      }
      return { head: { ...head, latestVersion: version, updatedAt: now.toISOString() }, record: toRecord<T>(item) };
    },

    /** Makes `version` the published one and counts the publication; 409 `concurrent_publish` when another publication won the race. */
    async publish(key: string, version: number, now: Date): Promise<VersionedHead<T>> {
      const [head, record] = await Promise.all([store.head(key), store.version(key, version)]);
      if (!head) throw notFound(`No ${key}`);
      if (!record) throw notFound(`${key} has no version ${version}`, 'version_not_found');
      const publishCount = head.publishCount + 1;
      const { gsi1pk, gsi1sk } = listingKeys(record.content);
      const written = await writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: headKey(key),
            UpdateExpression: 'SET publishedVersion = :version, publishCount = :count, published = :content, publishedAt = :now, updatedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
            ConditionExpression: 'publishCount = :seen',
            ExpressionAttributeValues: {
              ':version': version,
              ':count': publishCount,
              ':content': plain(record.content),
              ':now': now.toISOString(),
              ':gsi1pk': gsi1pk,
              ':gsi1sk': gsi1sk,
              ':seen': head.publishCount,
            },
          }),
        ),
      );
      if (!written) throw conflict(`${key} was published meanwhile`, 'concurrent_publish');
      return { ...head, publishedVersion: version, publishCount, published: record.content, publishedAt: now.toISOString(), updatedAt: now.toISOString() };
    },

    /**
     * Bulk import into an empty catalog (the local demo seed, a first load of the national
     * catalog): each entity is written as published version 1, unconditionally, in batches.
     * Importing the same content again leaves the same state.
     */
    async importPublished(entries: readonly { key: string; content: T; owner?: string }[], actor: Actor, now: Date): Promise<void> {
      const items = entries.flatMap(({ key, content, owner }) => {
        const head: VersionedHead<T> = {
          key,
          latestVersion: 1,
          publishedVersion: 1,
          publishCount: 1,
          published: plain(content),
          publishedAt: now.toISOString(),
          ...(owner ? { owner } : {}),
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        };
        return [{ ...headKey(key), type: 'head', ...listingKeys(content), ...head }, versionItem(key, 1, content, actor, now, Object.keys(plain(content)))];
      });
      await batchWriteAll(tables, TableName, items.map((Item) => ({ PutRequest: { Item } })));
    },

    async head(key: string): Promise<VersionedHead<T> | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: headKey(key), ConsistentRead: true }));
      return Item ? toHead<T>(Item) : undefined;
    },

    /** heads of many keys (unknown keys are left out), in no particular order */
    async heads(keys: readonly string[]): Promise<VersionedHead<T>[]> {
      const unique = [...new Set(keys)];
      const found: VersionedHead<T>[] = [];
      for (let i = 0; i < unique.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [TableName]: { Keys: unique.slice(i, i + 100).map(headKey) } };
        while (request && Object.keys(request).length > 0) {
          const answer: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, unknown> } = await tables.client.send(
            new BatchGetCommand({ RequestItems: request }),
          );
          found.push(...(answer.Responses?.[TableName] ?? []).map((item) => toHead<T>(item)));
          request = answer.UnprocessedKeys as typeof request;
        }
      }
      return found;
    },

    async version(key: string, version: number): Promise<VersionRecord<T> | undefined> {
      if (!Number.isSafeInteger(version) || version < 1) return undefined;
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: versionKey(key, version), ConsistentRead: true }));
      return Item ? toRecord<T>(Item) : undefined;
    },

    /** every version, oldest first (at most the latest 100) */
    async versions(key: string): Promise<VersionRecord<T>[]> {
      const items = await queryAll(tables, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': headKey(key).pk, ':prefix': 'V#' },
        ScanIndexForward: false,
        Limit: MAX_VERSIONS_LISTED,
      }, MAX_VERSIONS_LISTED);
      return items.map((item) => toRecord<T>(item)).reverse();
    },

    /** heads of the published entities listed in one partition, in listing order */
    async listPublished(partition: string): Promise<VersionedHead<T>[]> {
      const items = await queryAll(tables, {
        TableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `${kind}#${partition}` },
      });
      return items.map((item) => toHead<T>(item));
    },
  };
  return store;
}

export type VersionedStore<T extends object> = ReturnType<typeof versionedStore<T>>;

/** the top-level fields whose values differ between two versions */
export function changedFields(before: object, after: object): string[] {
  const a = plain(before) as Record<string, unknown>;
  const b = plain(after) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field])).sort();
}

/** a JSON copy: drops undefined fields and readonly-ness */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function toHead<T>(item: Record<string, unknown>): VersionedHead<T> {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...head } = item;
  return head as unknown as VersionedHead<T>;
}

function toRecord<T>(item: Record<string, unknown>): VersionRecord<T> {
  const { pk: _pk, sk: _sk, type: _type, ...record } = item;
  return record as unknown as VersionRecord<T>;
}
