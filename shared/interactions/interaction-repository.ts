import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { queryAll } from '../tables/query-all.js';
import type { InteractionKind } from './interaction-flows.js';

export interface InteractionReply {
  readonly by: 'staff' | 'submitter' | 'system';
  readonly action?: string;
  readonly content: string;
  readonly at: string;
}

/** A consult, complaint or suggestion (咨询/投诉/建议) and everything said about it. */
export interface InteractionRecord {
  readonly id: string;
  readonly kind: InteractionKind;
  readonly state: string;
  readonly version: number;
  readonly submitter: string;
  readonly anonymous: boolean;
  /** USCC of the responsible agency */
  readonly agency: string;
  readonly routedBy: 'item' | 'case' | 'agency';
  readonly itemCode?: string;
  readonly caseNo?: string;
  readonly region?: string;
  readonly title: string;
  readonly content: string;
  readonly attachments: readonly string[];
  readonly submittedAt: string;
  readonly stateEnteredAt: string;
  /** the reply deadline while the agency is to act */
  readonly dueAt?: string;
  /** when the complainant may no longer confirm or reopen (a resolved or rejected complaint) */
  readonly confirmBy?: string;
  /** when supervision must look at it next: its reply deadline, or the end of the confirmation window */
  readonly watchAt?: string;
  readonly reopens: number;
  readonly replies: readonly InteractionReply[];
}

/** An answered consult, kept per item for people about to ask the same. */
export interface AnsweredConsult {
  readonly id: string;
  readonly itemCode: string;
  readonly question: string;
  readonly answer: string;
  readonly answeredAt: string;
}

const key = (id: string) => ({ pk: `INTERACTION#${id}`, sk: 'INTERACTION' });
const WATCH = 'WATCH';

/**
 * Interactions in the interaction table: `INTERACTION#<id>`; gsi1 lists them per submitter and
 * gsi2 per agency (newest first); gsi3 holds the open ones by reply deadline for supervision.
 * Answered consults live under `KB#<itemCode>`.
 */
export function interactionRepository(tables: Tables) {
  const TableName = tables.name('interaction');
  const strip = ({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, gsi3pk: _g, gsi3sk: _h, ...rest }: Record<string, unknown>) => rest;
  return {
    /** writes a new interaction, or a change of one on top of the version it was read at */
    async save(record: InteractionRecord, previousVersion?: number): Promise<void> {
      await tables.client.send(
        new PutCommand({
          TableName,
          Item: {
            ...key(record.id),
            ...record,
            gsi1pk: `SUBMITTER#${record.submitter}`,
            gsi1sk: `${record.submittedAt}#${record.id}`,
            gsi2pk: `AGENCY#${record.agency}`,
            gsi2sk: `${record.submittedAt}#${record.id}`,
            ...(record.watchAt ? { gsi3pk: WATCH, gsi3sk: `${record.watchAt}#${record.id}` } : {}),
          },
          ...(previousVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': previousVersion } }),
        }),
      );
    },
    async get(id: string): Promise<InteractionRecord | undefined> {
      const answer = await tables.client.send(new GetCommand({ TableName, Key: key(id) }));
      return answer.Item ? (strip(answer.Item) as unknown as InteractionRecord) : undefined;
    },
    async listBySubmitter(submitter: string, limit: number): Promise<InteractionRecord[]> {
      const items = await queryAll(tables, { TableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `SUBMITTER#${submitter}` }, ScanIndexForward: false }, limit);
      return items.map((item) => strip(item) as unknown as InteractionRecord);
    },
    async listByAgency(agency: string, limit: number): Promise<InteractionRecord[]> {
      const items = await queryAll(tables, { TableName, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': `AGENCY#${agency}` }, ScanIndexForward: false }, limit);
      return items.map((item) => strip(item) as unknown as InteractionRecord);
    },
    /** interactions supervision must look at by `now` */
    async dueForSupervision(now: Date, limit: number): Promise<InteractionRecord[]> {
      const items = await queryAll(
        tables,
        { TableName, IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :now', ExpressionAttributeValues: { ':pk': WATCH, ':now': now.toISOString() } },
        limit,
      );
      return items.map((item) => strip(item) as unknown as InteractionRecord);
    },
    /** keeps an answered consult in the item's knowledge base */
    async addAnswered(consult: AnsweredConsult): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { pk: `KB#${consult.itemCode}`, sk: `${consult.answeredAt}#${consult.id}`, ...consult } }));
    },
    async answeredFor(itemCode: string, limit: number): Promise<AnsweredConsult[]> {
      const items = await queryAll(tables, { TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `KB#${itemCode}` }, ScanIndexForward: false }, limit);
      return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as AnsweredConsult);
    },
  };
}

export type InteractionRepository = ReturnType<typeof interactionRepository>;
