import { describe, expect, it } from '@jest/globals';
import type { LifeEvent } from '../../shared/catalog/catalog-model.js';
import { audienceOf, nextItemsInChains } from '../../shared/user-center/next-items.js';

const lifeEvent = (id: string, itemCodes: string[]): LifeEvent => ({ id, name: `${id} 一件事`, description: '', itemCodes, sharedForm: [], aliases: [] });

describe('next items of life-event chains', () => {
  it('gives the items after the decided one, in chain order', () => {
    const chains = [lifeEvent('shop', ['A', 'B', 'C', 'D'])];
    expect(nextItemsInChains(chains, 'B')).toEqual([
      { itemCode: 'C', lifeEventId: 'shop', lifeEventName: 'shop 一件事', distance: 1 },
      { itemCode: 'D', lifeEventId: 'shop', lifeEventName: 'shop 一件事', distance: 2 },
    ]);
  });

  it('gives nothing for the last item of a chain or an item in no chain', () => {
    const chains = [lifeEvent('shop', ['A', 'B'])];
    expect(nextItemsInChains(chains, 'B')).toEqual([]);
    expect(nextItemsInChains(chains, 'Z')).toEqual([]);
  });

  it('puts every chain\'s next step before any second step, ties by life event id, each item once at its nearest', () => {
    // A is in two chains: company → [B, C, E], birth → [C, D]; C is next in "birth" and second in "company"
    const chains = [lifeEvent('company', ['A', 'B', 'C', 'E']), lifeEvent('birth', ['X', 'A', 'C', 'D'])];
    expect(nextItemsInChains(chains, 'A').map(({ itemCode, lifeEventId, distance }) => [itemCode, lifeEventId, distance])).toEqual([
      ['C', 'birth', 1],
      ['B', 'company', 1],
      ['D', 'birth', 2],
      ['E', 'company', 3],
    ]);
  });

  it('never recommends the decided item itself, even when a chain repeats it', () => {
    expect(nextItemsInChains([lifeEvent('loop', ['A', 'B', 'A', 'C'])], 'A').map((item) => item.itemCode)).toEqual(['B', 'C']);
  });

  it('maps subject types to the audience an item is meant for', () => {
    expect([audienceOf('natural'), audienceOf('legal'), audienceOf('organization'), audienceOf('staff'), audienceOf(undefined)]).toEqual(['natural', 'legal', 'legal', undefined, undefined]);
  });
});
