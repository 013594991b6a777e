import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { conflict } from '../errors.js';
import type { Tables } from '../ports/tables.js';
import { TransactionConflictError, writeAll, type TransactionItem } from '../tables/transactions.js';
import type { CaseChangeEvent } from './case-events.js';
import type { ActorRole, CaseRecord } from './case-model.js';
import { workflowById } from './case-workflows.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';

/** One immutable audit event of a case: who, when, what, from where. Never personal data. */
export interface CaseAuditEvent {
  readonly action: string;
  /** account id, `system` or `platform:<id>` */
  readonly actor: string;
  readonly actorRole: ActorRole;
  readonly delegate?: string;
  readonly at: string;
  readonly sourceIp?: string;
  readonly fromState?: string;
  readonly toState: string;
  readonly version: number;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface CasePage {
  readonly cases: CaseRecord[];
  readonly nextCursor?: string;
}

/** spreads the supervision and outbox indexes over this many partitions */
const SHARDS = 8;
const auditIdAt = monotonicFactory();
const pad = (version: number) => String(version).padStart(8, '0');

const caseKey = (caseNo: string) => ({ pk: `CASE#${caseNo}`, sk: 'CASE' });
const eventKey = (caseNo: string, version: number) => ({ pk: `CASE#${caseNo}`, sk: `EVENT#${pad(version)}` });
const originKey = (platform: string, originCaseNo: string) => ({ pk: `ORIGIN#${platform}#${originCaseNo}`, sk: 'ORIGIN' });
const shardOf = (caseNo: string) => createHash('sha256').update(caseNo).digest()[0]! % SHARDS;
const watchKeys = (caseNo: string, watchAt: string) => ({ gsi3pk: `WATCH#${shardOf(caseNo)}`, gsi3sk: `${watchAt}#${caseNo}` });

/**
 * Cases in the cases table, with their keys:
 * - `CASE#<no>` / `CASE`: the case; gsi1 lists it under its applicant (newest first), gsi2 in its
 *   agency's queue by deadline while it is open, gsi3 by when supervision must look at it next
 *   (at once after each change; the supervision pass sets the next moment);
 * - `CASE#<no>` / `AUDIT#<ulid>`: its audit trail, written once each;
 * - `CASE#<no>` / `EVENT#<version>`: the change events to publish (listed in gsi3 until sent);
 * - `ORIGIN#<platform>#<their case no>`: which case of ours mirrors a case of another platform.
 * Every change is one transaction conditional on the state and version read, with its audit
 * event and its change event.
 */
export function caseRepository(deps: { tables: Tables }) {
  const { tables } = deps;
  const TableName = tables.name('cases');
  const client = tables.client;

  const itemOf = (record: CaseRecord) => {
    const definition = workflowById(record.workflowId);
    const terminal = definition.states[record.state]?.terminal === true;
    return {
      ...caseKey(record.caseNo),
      type: 'case',
      ...record,
      ...(record.applicant.accountId ? { gsi1pk: `APPLICANT#${record.applicant.accountId}`, gsi1sk: `${record.submittedAt}#${record.caseNo}` } : {}),
      ...(terminal ? {} : { gsi2pk: `AGENCY#${record.agency.uscc}`, gsi2sk: `${record.clock.dueAt}#${record.caseNo}` }),
      // a changed case is due for supervision at once; the pass sets when to look again (markSupervised)
      ...watchKeys(record.caseNo, record.lastActionAt),
    };
  };

  const auditRecord = (caseNo: string, event: CaseAuditEvent) => ({ pk: `CASE#${caseNo}`, sk: `AUDIT#${auditIdAt(Date.parse(event.at))}`, type: 'audit', ...event });
  const auditItem = (caseNo: string, event: CaseAuditEvent): TransactionItem => ({
    Put: { TableName, Item: auditRecord(caseNo, event), ConditionExpression: 'attribute_not_exists(pk)' },
  });

  const eventItem = (event: CaseChangeEvent): TransactionItem => ({
    Put: {
      TableName,
      Item: { ...eventKey(event.caseNo, event.version), type: 'event', ...event, gsi3pk: `UNSENT#${shardOf(event.caseNo)}`, gsi3sk: `${event.at}#${event.eventId}` },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const changeItems = (caseNo: string, change: { audit: CaseAuditEvent; event?: CaseChangeEvent; alsoWrite?: readonly TransactionItem[] }) => [
    auditItem(caseNo, change.audit),
    ...(change.event ? [eventItem(change.event)] : []),
    ...(change.alsoWrite ?? []),
  ];

  const page = async (input: QueryCommandInput, partition: { attribute: string; value: string }, limit: number, cursor: string | undefined): Promise<CasePage> => {
    const cases: CaseRecord[] = [];
    let start: Record<string, unknown> | undefined = cursor === undefined ? undefined : decodePageCursor(cursor, partition.attribute, partition.value);
    do {
      const answer = await client.send(new QueryCommand({ ...input, Limit: limit - cases.length, ...(start ? { ExclusiveStartKey: start } : {}) }));
      cases.push(...(answer.Items ?? []).map(toCase));
      start = answer.LastEvaluatedKey;
    } while (start && cases.length < limit);
    return { cases, ...(start ? { nextCursor: encodePageCursor(start) } : {}) };
  };

  /** the items of every shard of a gsi3 listing up to a bound, at most `limit` per shard */
  const queryShards = async (prefix: 'WATCH' | 'UNSENT', condition: string, bound: string, limit: number): Promise<Record<string, unknown>[]> => {
    const answers = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        client.send(
          new QueryCommand({
            TableName,
            IndexName: 'gsi3',
            KeyConditionExpression: `gsi3pk = :pk AND ${condition}`,
            ExpressionAttributeValues: { ':pk': `${prefix}#${shard}`, ':bound': bound },
            Limit: limit,
          }),
        ),
      ),
    );
    return answers.flatMap((answer) => (answer.Items ?? []) as Record<string, unknown>[]);
  };

  return {
    async get(caseNo: string): Promise<CaseRecord | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName, Key: caseKey(caseNo), ConsistentRead: true }));
      return Item ? toCase(Item) : undefined;
    },

    /**
     * Writes a new case with its audit and change events (and `alsoWrite`) in one transaction.
     * Throws TransactionConflictError when the case number is taken (position 0) or an item of
     * `alsoWrite` failed its condition (its position counted from 0 within `alsoWrite`).
     */
    async create(record: CaseRecord, change: { audit: CaseAuditEvent; event?: CaseChangeEvent; alsoWrite?: readonly TransactionItem[] }): Promise<void> {
      const own = change.event ? 3 : 2;
      try {
        await writeAll(tables, [{ Put: { TableName, Item: itemOf(record), ConditionExpression: 'attribute_not_exists(pk)' } }, ...changeItems(record.caseNo, change)]);
      } catch (error) {
        if (!(error instanceof TransactionConflictError)) throw error;
        throw new TransactionConflictError(error.failed.map((index) => (index === 0 ? 0 : index >= own ? index - own : index)));
      }
    },

    /**
     * Replaces a case if it is still in the state and at the version it was read in (else 409
     * concurrent_change: someone acted meanwhile), with its audit and change events.
     */
    async save(next: CaseRecord, read: Pick<CaseRecord, 'state' | 'version'>, change: { audit: CaseAuditEvent; event?: CaseChangeEvent; alsoWrite?: readonly TransactionItem[] }): Promise<void> {
      try {
        await writeAll(tables, [
          {
            Put: {
              TableName,
              Item: itemOf(next),
              ConditionExpression: '#state = :state AND version = :version',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':state': read.state, ':version': read.version },
            },
          },
          ...changeItems(next.caseNo, change),
        ]);
      } catch (error) {
        if (error instanceof TransactionConflictError && error.failed.includes(0)) {
          throw conflict('The case was changed meanwhile; reload it and try again', 'concurrent_change');
        }
        throw error;
      }
    },

    /** the write of the pointer from another platform's case number to ours; fails when it exists */
    originPointer(platform: string, originCaseNo: string, caseNo: string): TransactionItem {
      return { Put: { TableName, Item: { ...originKey(platform, originCaseNo), type: 'origin', caseNo }, ConditionExpression: 'attribute_not_exists(pk)' } };
    },

    async findByOrigin(platform: string, originCaseNo: string): Promise<string | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName, Key: originKey(platform, originCaseNo), ConsistentRead: true }));
      return Item?.caseNo as string | undefined;
    },

    /** an applicant's cases, newest first, optionally in one state */
    listByApplicant(accountId: string, options: { state?: string; limit: number; cursor?: string }): Promise<CasePage> {
      return page(
        {
          TableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ScanIndexForward: false,
          ExpressionAttributeValues: { ':pk': `APPLICANT#${accountId}`, ...(options.state ? { ':state': options.state } : {}) },
          ...(options.state ? { FilterExpression: '#state = :state', ExpressionAttributeNames: { '#state': 'state' } } : {}),
        },
        { attribute: 'gsi1pk', value: `APPLICANT#${accountId}` },
        options.limit,
        options.cursor,
      );
    },

    /** an agency's open cases, the earliest deadline first, optionally in one state or due before a moment */
    listByAgency(uscc: string, options: { state?: string; dueBefore?: string; limit: number; cursor?: string }): Promise<CasePage> {
      return page(
        {
          TableName,
          IndexName: 'gsi2',
          KeyConditionExpression: options.dueBefore ? 'gsi2pk = :pk AND gsi2sk < :before' : 'gsi2pk = :pk',
          ExpressionAttributeValues: {
            ':pk': `AGENCY#${uscc}`,
            ...(options.dueBefore ? { ':before': options.dueBefore } : {}),
            ...(options.state ? { ':state': options.state } : {}),
          },
          ...(options.state ? { FilterExpression: '#state = :state', ExpressionAttributeNames: { '#state': 'state' } } : {}),
        },
        { attribute: 'gsi2pk', value: `AGENCY#${uscc}` },
        options.limit,
        options.cursor,
      );
    },

    /** cases supervision must look at by `now`, at most `limit` per shard */
    async dueForSupervision(now: Date, limit: number): Promise<CaseRecord[]> {
      const items = await queryShards('WATCH', 'gsi3sk <= :bound', `${now.toISOString()}#~`, limit);
      const found = await Promise.all(items.map((item) => this.get(item.caseNo as string)));
      return found.filter((record): record is CaseRecord => record !== undefined);
    },

    /** records when supervision must look at a case next (never: undefined), unless the case changed since it was read */
    async markSupervised(record: CaseRecord, watchAt: string | undefined): Promise<boolean> {
      const keys = watchAt ? watchKeys(record.caseNo, watchAt) : undefined;
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: caseKey(record.caseNo),
            UpdateExpression: keys ? 'SET gsi3pk = :pk, gsi3sk = :sk' : 'REMOVE gsi3pk, gsi3sk',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': record.version, ...(keys ? { ':pk': keys.gsi3pk, ':sk': keys.gsi3sk } : {}) },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    /** change events not published by `before`, at most `limit` per shard */
    async unsentEvents(before: Date, limit: number): Promise<CaseChangeEvent[]> {
      return (await queryShards('UNSENT', 'gsi3sk < :bound', before.toISOString(), limit)).map(toEvent);
    },

    async markEventSent(event: CaseChangeEvent, at: Date): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName,
          Key: eventKey(event.caseNo, event.version),
          UpdateExpression: 'SET sentAt = :at REMOVE gsi3pk, gsi3sk',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    },

    /**
     * Appends an audit event that changes nothing else (a read of a material). Unconditional: each
     * event has a key of its own, and there is no state or version to guard.
     */
    async appendAudit(caseNo: string, event: CaseAuditEvent): Promise<void> {
      await client.send(new PutCommand({ TableName, Item: auditRecord(caseNo, event) }));
    },

    /** the audit trail of a case, oldest first */
    async auditTrail(caseNo: string): Promise<CaseAuditEvent[]> {
      const { Items } = await client.send(
        new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)', ExpressionAttributeValues: { ':pk': `CASE#${caseNo}`, ':audit': 'AUDIT#' } }),
      );
      return (Items ?? []).map(({ pk: _pk, sk: _sk, type: _type, ...event }) => event as unknown as CaseAuditEvent);
    },
  };
}

export type CaseRepository = ReturnType<typeof caseRepository>;

function toCase(item: Record<string, unknown>): CaseRecord {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, gsi3pk: _e, gsi3sk: _f, ...record } = item;
  return record as unknown as CaseRecord;
}

function toEvent(item: Record<string, unknown>): CaseChangeEvent {
  const { pk: _pk, sk: _sk, type: _type, gsi3pk: _e, gsi3sk: _f, sentAt: _s, ...event } = item;
  return event as unknown as CaseChangeEvent;
}
