import { describe, expect, it } from '@jest/globals';
import { followRateCells, recommendationFollowRate } from '../../shared/analytics/recommendation-follow-rate.js';
import type { RecommendationFact } from '../../shared/user-center/recommendation-repository.js';

/** a recommendation of `itemCode` to user `u<user>`, sent at noon China time on `day` */
const fact = (user: number, itemCode: string, day: string, followed = false): RecommendationFact => ({
  userKey: `u${user}`,
  caseKey: `c${user}-${itemCode}-${day}`,
  fromItemCode: 'SC-XK-0005',
  itemCode,
  lifeEventId: 'kaiban-canyindian',
  region: '330106',
  sentAt: `${day}T04:00:00.000Z`,
  ...(followed ? { followedAt: `${day}T08:00:00.000Z` } : {}),
});

describe('recommendation follow rate', () => {
  it('counts sent, followed and people per month and per month and item, and suppresses cells of fewer than 5 people', () => {
    // March: six people got SC-XK-0007 (two followed), one of them twice (seven sent); three people got XF-XK-0001 (one followed)
    const march = [1, 2, 3, 4, 5, 6].map((user) => fact(user, 'SC-XK-0007', '2026-03-02', user <= 2));
    march.push(fact(6, 'SC-XK-0007', '2026-03-20'));
    march.push(...[7, 8, 9].map((user) => fact(user, 'XF-XK-0001', '2026-03-05', user === 7)));
    // April: four people only
    const april = [1, 2, 3, 4].map((user) => fact(user, 'SC-XK-0007', '2026-04-01', true));
    const { periods, byItem } = followRateCells([...april, ...march]);

    expect(periods).toEqual([
      // 10 sent to 9 people, 3 followed
      { period: '2026-03', sent: 10, followed: 3, rate: 0.3, suppressed: false },
      { period: '2026-04', sent: null, followed: null, rate: null, suppressed: true },
    ]);
    expect(byItem).toEqual([
      // 7 sent to 6 people, 2 followed: 2/7 = 0.2857… → 0.286
      { period: '2026-03', itemCode: 'SC-XK-0007', sent: 7, followed: 2, rate: 0.286, suppressed: false },
      { period: '2026-03', itemCode: 'XF-XK-0001', sent: null, followed: null, rate: null, suppressed: true },
      { period: '2026-04', itemCode: 'SC-XK-0007', sent: null, followed: null, rate: null, suppressed: true },
    ]);
  });

  it('puts a recommendation sent late on the last day of a month (China time) in that month', () => {
    // 2026-03-31T17:00Z is 2026-04-01 01:00 in China
    const late = { ...fact(1, 'SC-XK-0007', '2026-03-31'), sentAt: '2026-03-31T17:00:00.000Z' };
    expect(followRateCells([late]).periods).toEqual([{ period: '2026-04', sent: null, followed: null, rate: null, suppressed: true }]);
  });

  it('reads the month listings of the range and keeps the days within it', async () => {
    const asked: string[] = [];
    const sentIn = async (month: string) => {
      asked.push(month);
      return [1, 2, 3, 4, 5].map((user) => fact(user, 'SC-XK-0007', `${month}-${user === 5 ? '28' : '02'}`, user === 1));
    };
    const report = await recommendationFollowRate({ recommendations: { sentIn } }, { from: '2025-12-01', to: '2026-02-27' });
    expect(asked).toEqual(['2025-12', '2026-01', '2026-02']);
    // December and January: five people each; February loses the 28th, leaving four people
    expect(report.periods).toEqual([
      { period: '2025-12', sent: 5, followed: 1, rate: 0.2, suppressed: false },
      { period: '2026-01', sent: 5, followed: 1, rate: 0.2, suppressed: false },
      { period: '2026-02', sent: null, followed: null, rate: null, suppressed: true },
    ]);
    expect(report.minCellPeople).toBe(5);
  });

  it('keeps, given a region, the recommendations made in it or in the regions below it', async () => {
    const inHangzhou = (user: number, region: string) => ({ ...fact(user, 'SC-XK-0007', '2026-03-02'), region });
    const sentIn = async () => [inHangzhou(1, '330106'), inHangzhou(2, '330106'), inHangzhou(3, '330105'), inHangzhou(4, '330100'), inHangzhou(5, '330106'), inHangzhou(6, '440305')];
    const city = await recommendationFollowRate({ recommendations: { sentIn } }, { from: '2026-03-01', to: '2026-03-31', region: '330100' });
    expect(city.periods).toEqual([{ period: '2026-03', sent: 5, followed: 0, rate: 0, suppressed: false }]);
    const county = await recommendationFollowRate({ recommendations: { sentIn } }, { from: '2026-03-01', to: '2026-03-31', region: '330106' });
    expect(county.periods).toEqual([{ period: '2026-03', sent: null, followed: null, rate: null, suppressed: true }]);
  });

  it('refuses a range that ends before it starts or spans more than two years', async () => {
    const recommendations = { sentIn: async () => [] };
    await expect(recommendationFollowRate({ recommendations }, { from: '2026-03-01', to: '2026-02-01' })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(recommendationFollowRate({ recommendations }, { from: '2024-01-01', to: '2026-01-01' })).rejects.toMatchObject({ kind: 'invalid' });
  });
});
