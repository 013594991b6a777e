import type { AnsweredConsult, InteractionRepository } from './interaction-repository.js';

/** answered consults of an item looked at when ranking */
const KNOWLEDGE_BASE_WINDOW = 200;

/** the overlapping character pairs of a text, the unit of similarity for Chinese without word breaking */
function bigrams(text: string): Set<string> {
  const chars = [...text.toLowerCase().replace(/[\s\p{P}]+/gu, '')];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i]! + chars[i + 1]!);
  if (chars.length === 1) pairs.add(chars[0]!);
  return pairs;
}

/**
 * Answered consults of an item similar to a question (the knowledge base, GB/T 39047 6.1.8):
 * 1. the item's answered consults, newest first;
 * 2. scored by the share of the question's character pairs they contain;
 * 3. those sharing any, best first (the newest first without a question).
 */
export async function findAnsweredConsults(deps: { interactions: InteractionRepository }, input: { itemCode: string; question?: string; limit: number }): Promise<AnsweredConsult[]> {
  const answered = await deps.interactions.answeredFor(input.itemCode, KNOWLEDGE_BASE_WINDOW);
  if (!input.question) return answered.slice(0, input.limit);
  const wanted = bigrams(input.question);
  return answered
    .map((consult) => {
      const have = bigrams(consult.question);
      return { consult, score: [...wanted].filter((pair) => have.has(pair)).length / Math.max(1, wanted.size) };
    })
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, input.limit)
    .map(({ consult }) => consult);
}
