import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import type { TransactionItem } from '../tables/transactions.js';
import type { CaseEvaluation } from './case-model.js';

/** A rectification task (整改) an agency gets from a bad review. */
export interface RectificationTask {
  readonly rectificationId: string;
  readonly caseNo: string;
  readonly agency: string;
  readonly itemCode: string;
  readonly itemName: string;
  readonly score: number;
  readonly comment?: string;
  readonly deadline: string;
  readonly state: 'open' | 'done';
  readonly outcome?: string;
  readonly createdAt: string;
  readonly completedAt?: string;
}

/** Satisfaction counters of an agency, an item, or an item at an agency. */
export interface SatisfactionCounters {
  readonly count: number;
  readonly scoreSum: number;
  readonly processSum: number;
  readonly resultSum: number;
  readonly efficiencySum: number;
  /** reviews by score 1..5 */
  readonly distribution: Readonly<Record<'1' | '2' | '3' | '4' | '5', number>>;
  readonly badReviews: number;
  readonly rectified: number;
}

export type SatisfactionScope = { readonly agency: string; readonly itemCode?: string } | { readonly agency?: undefined; readonly itemCode: string };

const statsKey = (scope: SatisfactionScope) => ({
  pk: scope.agency && scope.itemCode ? `STATS#AGENCYITEM#${scope.agency}#${scope.itemCode}` : scope.agency ? `STATS#AGENCY#${scope.agency}` : `STATS#ITEM#${scope.itemCode}`,
  sk: 'STATS',
});
const rectificationKey = (id: string) => ({ pk: `RECT#${id}`, sk: 'RECT' });
const rectificationListing = (task: RectificationTask) => ({ gsi2pk: `RECTIFY#${task.agency}`, gsi2sk: `${task.state}#${task.deadline}#${task.rectificationId}` });

/**
 * Evaluations (好差评) in the cases table: satisfaction counters per agency, per item and per item
 * at an agency (`STATS#...`), incremented in the transaction of each evaluation; rectification
 * tasks (`RECT#<id>`), listed per agency and state in gsi2.
 */
export function evaluationRepository(tables: Tables) {
  const TableName = tables.name('cases');
  const scopesOf = (agency: string, itemCode: string): SatisfactionScope[] => [{ agency }, { itemCode }, { agency, itemCode }];
  return {
    /** the counter updates of one evaluation, for its transaction */
    counted(agency: string, itemCode: string, evaluation: CaseEvaluation): TransactionItem[] {
      return scopesOf(agency, itemCode).map((scope) => ({
        Update: {
          TableName,
          Key: statsKey(scope),
          UpdateExpression: 'SET #type = :type ADD #count :one, scoreSum :score, processSum :process, resultSum :result, efficiencySum :efficiency, #score :one, badReviews :bad',
          ExpressionAttributeNames: { '#type': 'type', '#count': 'count', '#score': `score${evaluation.score}` },
          ExpressionAttributeValues: {
            ':type': 'stats',
            ':one': 1,
            ':score': evaluation.score,
            ':process': evaluation.dimensions.process,
            ':result': evaluation.dimensions.result,
            ':efficiency': evaluation.dimensions.efficiency,
            ':bad': evaluation.score <= 2 ? 1 : 0,
          },
        },
      }));
    },

    /** the counter updates of a completed rectification */
    rectifiedCounted(agency: string, itemCode: string): TransactionItem[] {
      return scopesOf(agency, itemCode).map((scope) => ({
        Update: { TableName, Key: statsKey(scope), UpdateExpression: 'ADD rectified :one', ExpressionAttributeValues: { ':one': 1 } },
      }));
    },

    async counters(scope: SatisfactionScope): Promise<SatisfactionCounters> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: statsKey(scope) }));
      const number = (name: string) => (typeof Item?.[name] === 'number' ? (Item[name] as number) : 0);
      return {
        count: number('count'),
        scoreSum: number('scoreSum'),
        processSum: number('processSum'),
        resultSum: number('resultSum'),
        efficiencySum: number('efficiencySum'),
        distribution: { 1: number('score1'), 2: number('score2'), 3: number('score3'), 4: number('score4'), 5: number('score5') },
        badReviews: number('badReviews'),
        rectified: number('rectified'),
      };
    },

    /** the write of a new task, for the evaluation's transaction */
    opened(task: RectificationTask): TransactionItem {
      return { Put: { TableName, Item: { ...rectificationKey(task.rectificationId), type: 'rectification', ...task, ...rectificationListing(task) }, ConditionExpression: 'attribute_not_exists(pk)' } };
    },

    /** the write of a completed task, conditional on it being open still */
    completed(task: RectificationTask): TransactionItem {
      return {
        Put: {
          TableName,
          Item: { ...rectificationKey(task.rectificationId), type: 'rectification', ...task, ...rectificationListing(task) },
          ConditionExpression: '#state = :open',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':open': 'open' },
        },
      };
    },

    async get(rectificationId: string): Promise<RectificationTask | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: rectificationKey(rectificationId), ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, type: _type, gsi2pk: _g, gsi2sk: _s, ...task } = Item;
      return task as unknown as RectificationTask;
    },

    /** an agency's tasks in one state, the earliest deadline first */
    async listForAgency(agency: string, state: RectificationTask['state'], limit: number): Promise<RectificationTask[]> {
      const { Items } = await tables.client.send(
        new QueryCommand({
          TableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :state)',
          ExpressionAttributeValues: { ':pk': `RECTIFY#${agency}`, ':state': `${state}#` },
          Limit: limit,
        }),
      );
      return (Items ?? []).map(({ pk: _pk, sk: _sk, type: _type, gsi2pk: _g, gsi2sk: _s, ...task }) => task as unknown as RectificationTask);
    },
  };
}

export type EvaluationRepository = ReturnType<typeof evaluationRepository>;
