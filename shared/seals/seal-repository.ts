import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { conflict } from '../errors.js';
import type { Tables } from '../ports/tables.js';
import { ttlFromNow } from '../tables/expiry.js';
import { TransactionConflictError, writeAll, type TransactionItem } from '../tables/transactions.js';
import type { Seal, SealStatus } from './seal.js';

/** An immutable record of a state change (DESIGN §4): who, when, what, from where. */
export interface SealAuditEvent {
  readonly action: string;
  /** account id of the caller */
  readonly actor: string;
  /** the delegate who acted for the caller, if any */
  readonly onBehalfOf?: string;
  readonly from?: SealStatus;
  readonly to: SealStatus;
  readonly at: string;
  readonly sourceIp?: string;
  readonly requestId?: string;
  readonly detail?: string;
}

/** One seal written in a transaction, with what goes with it. */
export interface SealWrite {
  readonly seal: Seal;
  /** the version read before the change; undefined for a new seal */
  readonly expectedVersion?: number;
  readonly audit: SealAuditEvent;
  /** the seal gets its esID now: claim it, so no other seal can have it */
  readonly claimEsId?: boolean;
  /** a new seal version (ESL) was made: keep a copy of it */
  readonly snapshot?: boolean;
}

export interface PublishedEntry {
  readonly sealId: string;
  readonly esID: string;
  readonly status: SealStatus;
  readonly validTo: string;
  readonly changedAt: string;
}

/** A signature the platform made with a seal (the seal's usage log). */
export interface SealUse {
  readonly sealId: string;
  readonly esID: string;
  readonly signedAt: string;
  /** hex of TBS_Sign.dataHash */
  readonly dataHash: string;
  readonly propertyInfo: string;
  readonly actor: string;
  readonly onBehalfOf?: string;
}

/** How long an Idempotency-Key of an application is remembered. */
const IDEMPOTENCY_SECONDS = 24 * 3600;
const STATUS_LIST = 'SEAL_STATUS';

const sealKey = (sealId: string) => ({ pk: `SEAL#${sealId}`, sk: 'SEAL' });
const versionKey = (sealId: string, sealVersion: number) => ({ pk: `SEAL#${sealId}`, sk: `VERSION#${String(sealVersion).padStart(6, '0')}` });
const auditKey = (sealId: string, at: string) => ({ pk: `SEAL#${sealId}`, sk: `AUDIT#${at}#${ulid()}` });
const useKey = (sealId: string, at: string) => ({ pk: `SEAL#${sealId}`, sk: `USE#${at}#${ulid()}` });
const esIdKey = (esID: string) => ({ pk: `ESID#${esID}`, sk: 'ESID' });
const statusKey = (sealId: string) => ({ pk: `STATUS#${sealId}`, sk: 'STATUS' });
const counterKey = (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' });
const idempotencyKey = (caller: string, key: string) => ({ pk: `IDEMPOTENCY#${caller}#${key}`, sk: 'IDEMPOTENCY' });

/**
 * Seals in the seals table: the seal record, a copy of each seal version, the audit trail and
 * usage log under the seal; a claim per esID; a small status entry per made seal in the gsi1
 * list that the published status pages read (so pages never read pictures or certificates).
 */
export function sealRepository(tables: Tables) {
  const TableName = tables.name('seals');

  function itemsOf(write: SealWrite): TransactionItem[] {
    const { seal } = write;
    const items: TransactionItem[] = [
      {
        Put: {
          TableName,
          Item: { ...sealKey(seal.sealId), entity: 'seal', ...seal },
          ...(write.expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': write.expectedVersion } }),
        },
      },
      { Put: { TableName, Item: { ...auditKey(seal.sealId, write.audit.at), entity: 'audit', sealId: seal.sealId, ...write.audit } } },
    ];
    if (write.claimEsId && seal.esID) {
      items.push({ Put: { TableName, Item: { ...esIdKey(seal.esID), entity: 'esid', sealId: seal.sealId }, ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    if (write.snapshot && seal.esl) {
      items.push({
        Put: {
          TableName,
          Item: { ...versionKey(seal.sealId, seal.sealVersion), entity: 'seal-version', sealId: seal.sealId, esl: seal.esl, certificate: seal.certificate, madeAt: seal.updatedAt },
        },
      });
    }
    if (seal.source === 'platform' && seal.status !== 'applied' && seal.esID) {
      const entry: PublishedEntry = { sealId: seal.sealId, esID: seal.esID, status: seal.status, validTo: seal.validTo, changedAt: seal.statusHistory[seal.statusHistory.length - 1]!.at };
      items.push({ Put: { TableName, Item: { ...statusKey(seal.sealId), entity: 'status', gsi1pk: STATUS_LIST, gsi1sk: seal.sealId, ...entry } } });
    }
    return items;
  }

  return {
    /**
     * Writes seals with their audit events, esID claims, version copies and status entries in
     * one transaction. A stale version or a taken esID is a 409 and nothing is written.
     */
    async commit(writes: readonly SealWrite[], idempotency?: { caller: string; key: string; now: Date }): Promise<void> {
      const items: TransactionItem[] = [];
      const meaning: string[] = [];
      for (const write of writes) {
        for (const item of itemsOf(write)) {
          items.push(item);
          const sk = String(item.Put?.Item?.sk ?? '');
          meaning.push(sk === 'SEAL' ? (write.expectedVersion === undefined ? 'seal-exists' : 'stale') : sk === 'ESID' ? 'esid' : 'other');
        }
      }
      if (idempotency) {
        items.push({
          Put: {
            TableName,
            Item: { ...idempotencyKey(idempotency.caller, idempotency.key), entity: 'idempotency', sealId: writes[0]!.seal.sealId, expiresAt: ttlFromNow(idempotency.now, IDEMPOTENCY_SECONDS) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
        meaning.push('idempotency');
      }
      try {
        await writeAll(tables, items);
      } catch (error) {
        if (!(error instanceof TransactionConflictError)) throw error;
        const reasons = error.failed.map((index) => meaning[index]);
        if (reasons.includes('idempotency')) throw new IdempotencyKeyUsedError();
        if (reasons.includes('esid')) throw conflict('This seal code (esID) is registered already', 'esid_taken');
        throw conflict('The seal was changed meanwhile; read it again and retry', 'stale_version');
      }
    },

    async get(sealId: string): Promise<Seal | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: sealKey(sealId), ConsistentRead: true }));
      return Item ? toSeal(Item) : undefined;
    },

    async findByEsId(esID: string): Promise<Seal | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: esIdKey(esID) }));
      return Item ? this.get(Item.sealId as string) : undefined;
    },

    /** the seal an earlier application with this Idempotency-Key created */
    async findByIdempotencyKey(caller: string, key: string): Promise<Seal | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: idempotencyKey(caller, key), ConsistentRead: true }));
      return Item ? this.get(Item.sealId as string) : undefined;
    },

    /** the next number of a named sequence (1, 2, 3 ...), atomically */
    async nextSerial(name: string): Promise<number> {
      const { Attributes } = await tables.client.send(
        new UpdateCommand({
          TableName,
          Key: counterKey(name),
          UpdateExpression: 'ADD #value :one SET entity = :entity',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':one': 1, ':entity': 'counter' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.value);
    },

    /** status entries of made seals in sealId order, `limit` at a time from after `after` */
    async listPublished(limit: number, after?: string): Promise<{ entries: PublishedEntry[]; last?: string }> {
      const { Items = [], LastEvaluatedKey } = await tables.client.send(
        new QueryCommand({
          TableName,
          IndexName: 'gsi1',
          KeyConditionExpression: after ? 'gsi1pk = :list AND gsi1sk > :after' : 'gsi1pk = :list',
          ExpressionAttributeValues: { ':list': STATUS_LIST, ...(after ? { ':after': after } : {}) },
          Limit: limit,
        }),
      );
      const entries = Items.map(({ sealId, esID, status, validTo, changedAt }) => ({ sealId, esID, status, validTo, changedAt }) as PublishedEntry);
      return { entries, ...(LastEvaluatedKey && entries.length > 0 ? { last: entries[entries.length - 1]!.sealId } : {}) };
    },

    async recordUse(use: SealUse): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { ...useKey(use.sealId, use.signedAt), entity: 'use', ...use } }));
    },

    async auditTrail(sealId: string): Promise<SealAuditEvent[]> {
      const { Items = [] } = await tables.client.send(
        new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)', ExpressionAttributeValues: { ':pk': sealKey(sealId).pk, ':audit': 'AUDIT#' } }),
      );
      return Items.map(({ pk: _pk, sk: _sk, entity: _entity, sealId: _sealId, ...event }) => event as SealAuditEvent);
    },
  };
}

export type SealRepository = ReturnType<typeof sealRepository>;

/** The Idempotency-Key was used for an earlier application: answer with that one. */
export class IdempotencyKeyUsedError extends Error {
  constructor() {
    super('idempotency key used before');
    this.name = 'IdempotencyKeyUsedError';
  }
}

function toSeal(item: Record<string, unknown>): Seal {
  const { pk: _pk, sk: _sk, entity: _entity, ...seal } = item;
  return seal as unknown as Seal;
}
