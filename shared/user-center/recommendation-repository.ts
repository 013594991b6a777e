import { pseudonymousKey } from '../analytics/pseudonymous-key.js';
import type { Tables } from '../ports/tables.js';
import { queryAll } from '../tables/query-all.js';
import { TransactionConflictError, writeAll, type TransactionItem } from '../tables/transactions.js';
import { chinaDate } from '../workflow/working-calendar.js';

/** A next item recommended to a user after the decision of one of their cases. */
export interface Recommendation {
  /** the decided case the recommendation follows from */
  readonly caseNo: string;
  readonly fromItemCode: string;
  readonly itemCode: string;
  readonly lifeEventId: string;
  /** GB/T 2260 code of the region it was recommended in */
  readonly region: string;
  readonly sentAt: string;
  readonly followedAt?: string;
  /** the user's case for the recommended item that followed it */
  readonly followedCaseNo?: string;
}

/** What analysis sees of a recommendation: the user and the case only as pseudonyms. */
export type RecommendationFact = Omit<Recommendation, 'caseNo' | 'followedCaseNo'> & { readonly userKey: string; readonly caseKey: string };

/** a user's recommendation as analysis sees it */
export function recommendationFact(sub: string, recommendation: Recommendation): RecommendationFact {
  return {
    userKey: pseudonymousKey('user', sub),
    caseKey: pseudonymousKey('case', recommendation.caseNo),
    fromItemCode: recommendation.fromItemCode,
    itemCode: recommendation.itemCode,
    lifeEventId: recommendation.lifeEventId,
    region: recommendation.region,
    sentAt: recommendation.sentAt,
    ...(recommendation.followedAt ? { followedAt: recommendation.followedAt } : {}),
  };
}

const user = (sub: string) => `USER#${sub}`;
const ownSortKey = (itemCode: string, caseNo: string) => `REC#${itemCode}#${caseNo}`;
/** the month (China time, YYYY-MM) whose listing holds a recommendation */
const monthOf = (sentAt: string) => chinaDate(new Date(sentAt)).slice(0, 7);
const listing = (month: string) => `RECOMMENDATIONS#${month}`;
const listingSortKey = (sub: string, recommendation: Pick<Recommendation, 'itemCode' | 'caseNo'>) =>
  `${recommendation.itemCode}#${pseudonymousKey('user', sub)}#${pseudonymousKey('case', recommendation.caseNo)}`;

/** writes both copies or neither: false when a condition failed (the state was reached before) */
async function writtenUnlessConflict(tables: Tables, items: readonly TransactionItem[]): Promise<boolean> {
  try {
    await writeAll(tables, items);
    return true;
  } catch (error) {
    if (error instanceof TransactionConflictError) return false;
    throw error;
  }
}

/**
 * Next-item recommendations in the user-center table, each twice, written together: under the
 * user (`USER#<sub>` / `REC#<item>#<caseNo>`, found when the user applies for the item) and in
 * the listing of its month (`RECOMMENDATIONS#<YYYY-MM>`, pseudonymous, read by the follow rate).
 */
export function recommendationRepository(tables: Tables) {
  const TableName = tables.name('user-center');
  const notYetFollowed = 'attribute_exists(pk) AND attribute_not_exists(followedAt)';

  return {
    /** records a recommendation once: false when this (case, item) was recommended before */
    async record(sub: string, recommendation: Recommendation): Promise<boolean> {
      const fact = recommendationFact(sub, recommendation);
      const puts: TransactionItem[] = [
        { Put: { TableName, Item: { pk: user(sub), sk: ownSortKey(recommendation.itemCode, recommendation.caseNo), ...recommendation }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName, Item: { pk: listing(monthOf(recommendation.sentAt)), sk: listingSortKey(sub, recommendation), ...fact }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ];
      return writtenUnlessConflict(tables, puts);
    },

    /** the user's recommendations of an item, oldest first */
    async ofItem(sub: string, itemCode: string): Promise<Recommendation[]> {
      const items = await queryAll(tables, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': user(sub), ':prefix': `REC#${itemCode}#` },
      });
      return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as Recommendation).sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    },

    /** marks a recommendation followed by a case of the user, in both places: false when it was followed already */
    async markFollowed(sub: string, recommendation: Recommendation, followedAt: string, followedCaseNo: string): Promise<boolean> {
      const updates: TransactionItem[] = [
        {
          Update: {
            TableName,
            Key: { pk: user(sub), sk: ownSortKey(recommendation.itemCode, recommendation.caseNo) },
            UpdateExpression: 'SET followedAt = :at, followedCaseNo = :caseNo',
            ConditionExpression: notYetFollowed,
            ExpressionAttributeValues: { ':at': followedAt, ':caseNo': followedCaseNo },
          },
        },
        {
          Update: {
            TableName,
            Key: { pk: listing(monthOf(recommendation.sentAt)), sk: listingSortKey(sub, recommendation) },
            UpdateExpression: 'SET followedAt = :at',
            ConditionExpression: notYetFollowed,
            ExpressionAttributeValues: { ':at': followedAt },
          },
        },
      ];
      return writtenUnlessConflict(tables, updates);
    },

    /** every recommendation sent in a month (YYYY-MM, China time), pseudonymous */
    async sentIn(month: string): Promise<RecommendationFact[]> {
      const items = await queryAll(tables, { TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': listing(month) } });
      return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as RecommendationFact);
    },
  };
}

export type RecommendationRepository = ReturnType<typeof recommendationRepository>;
