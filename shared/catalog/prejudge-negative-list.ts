import { invalidField, notFound } from '../errors.js';
import type { NegativeList, NegativeListMeasure } from './catalog-model.js';
import type { CatalogRepository } from './catalog-repository.js';
import type { NegativeListRepository } from './negative-list-repository.js';

export interface MatchedMeasure extends Omit<NegativeListMeasure, 'industryHints'> {
  /** the words of the business scope that fell under the measure */
  readonly matchedHints: readonly string[];
}

export interface Prejudgment {
  /** false when a prohibited measure applies; restricted measures allow the investment on their conditions */
  readonly allowed: boolean;
  readonly matchedMeasures: readonly MatchedMeasure[];
  readonly edition: string;
  readonly notice: string;
}

/** Compares without width, case and blank differences: 'ＩＣＰ 业务' meets 'icp业务'. */
const normalise = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** The edition in force; 404 before one is published. */
export async function getNegativeList(deps: { negativeList: NegativeListRepository }): Promise<NegativeList & { publishedAt: string }> {
  const list = await deps.negativeList.current();
  if (!list) throw notFound('No negative list is published', 'negative_list_not_found');
  return list;
}

/**
 * Pre-judges an establishment against the foreign-investment negative list (GB/T 39047 6.1.4),
 * so a foreign investor learns before applying that a business scope is prohibited or restricted.
 * 1. the item must be a published establishment item of the basic catalog (404/422);
 * 2. the list in force must exist (404);
 * 3. domestic investors: the list does not apply, allowed;
 * 4. foreign investors: every measure with an industry hint in the business scope matches;
 *    allowed unless a prohibited measure matched; restricted ones come with their conditions.
 */
export async function prejudgeNegativeList(
  deps: { catalog: CatalogRepository; negativeList: NegativeListRepository },
  input: { itemCode: string; investorType: 'foreign' | 'domestic'; businessScope: string },
): Promise<Prejudgment> {
  const item = (await deps.catalog.basicItems.head(input.itemCode))?.published;
  if (!item) throw notFound(`No published item ${input.itemCode}`, 'item_not_found');
  if (!item.establishment) throw invalidField('itemCode', 'is not an establishment item; the negative list applies to establishing enterprises');
  const list = await getNegativeList(deps);
  if (input.investorType === 'domestic') {
    return { allowed: true, matchedMeasures: [], edition: list.edition, notice: 'The foreign-investment negative list does not apply to domestic investors.' };
  }
  const scope = normalise(input.businessScope);
  const matchedMeasures = list.measures.flatMap((measure) => {
    const { industryHints, ...described } = measure;
    const matchedHints = industryHints.filter((hint) => scope.includes(normalise(hint)));
    return matchedHints.length > 0 ? [{ ...described, matchedHints }] : [];
  });
  const allowed = matchedMeasures.every((measure) => measure.kind !== 'prohibited');
  return {
    allowed,
    matchedMeasures,
    edition: list.edition,
    notice: allowed
      ? matchedMeasures.length > 0
        ? 'Restricted fields: the investment must meet the conditions of each matched measure.'
        : 'No measure of the negative list matched the business scope.'
      : 'A prohibited field matched: foreign investment may not engage in it.',
  };
}
