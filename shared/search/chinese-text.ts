import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { Converter } from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';
import { QUERY_DOMAIN_WORDS, QUERY_STOP_WORDS, QUERY_SYNONYMS } from './query-vocabulary.js';
import { wellFormed } from './search-query.js';

/**
 * Chinese text analysis for the in-process search index: the local twin of the OpenSearch
 * analyzers (IK tokenizer, STConvert t2s, pinyin). Index and query text pass through the same
 * folding so traditional, full-width and upper-case input meets simplified, half-width,
 * lower-case documents.
 */

let jieba: Jieba | undefined;

/**
 * Loading the 5 MB dictionary takes a few hundred milliseconds, so only the first tokenization
 * pays it. The domain words go in with a moderate frequency: enough to keep them whole, not so much that they
 * split longer words (社保卡 stays one word).
 */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(Buffer.concat([dict, Buffer.from(`\n${QUERY_DOMAIN_WORDS.map((word) => `${word} 2000 n`).join('\n')}\n`)]));
  return jieba;
}

const traditionalToSimplified = Converter({ from: 't', to: 'cn' });

/**
 * Folds text for matching: full-width ASCII to half-width, lower case, traditional to simplified.
 * The result has exactly one code point for each code point of the input, so a match found in
 * the folded text can be marked at the same position of the original (see highlighting).
 */
export function foldText(text: string): string {
  const points = Array.from(wellFormed(text), foldCodePoint);
  const converted = Array.from(traditionalToSimplified(points.join('')));
  if (converted.length === points.length) return converted.join('');
  // A phrase rule changed the number of code points; convert one code point at a time to keep alignment.
  return points.map((point) => alignedConversion(point)).join('');
}

function foldCodePoint(point: string): string {
  const code = point.codePointAt(0) ?? 0;
  let folded = point;
  if (code >= 0xff01 && code <= 0xff5e) folded = String.fromCodePoint(code - 0xfee0);
  else if (code === 0x3000) folded = ' ';
  const lower = folded.toLowerCase();
  return Array.from(lower).length === 1 ? lower : folded;
}

function alignedConversion(point: string): string {
  const converted = traditionalToSimplified(point);
  return Array.from(converted).length === 1 ? converted : point;
}

const NOT_A_WORD_CHARACTER = /[^\p{L}\p{N}\p{M}]+/u;

function terms(segments: readonly string[]): string[] {
  return segments.flatMap((segment) => segment.split(NOT_A_WORD_CHARACTER)).filter((term) => term.length > 0);
}

/**
 * Terms to index: search-mode segmentation, so a document holding 居民身份证 is found by
 * 居民身份证, 身份证 and 居民. The HMM guesser is off on both sides: it segments unknown words
 * differently depending on context, and a query must cut the way the document did.
 */
export function indexTerms(text: string): string[] {
  return terms(segmenter().cutForSearch(foldText(text), false));
}

/** Terms of a query: precise segmentation (like ik_smart at query time), without duplicates. */
export function queryTerms(text: string): string[] {
  return [...new Set(terms(segmenter().cut(foldText(text), false)))];
}

/** True for a term made of Latin letters and digits only (prefix and fuzzy matching apply to these). */
export function isLatinTerm(term: string): boolean {
  return /^[a-z0-9]+$/.test(term);
}

const NOT_LATIN = /[^a-z0-9]/g;

/** Full pinyin without tones, joined and lower case: 社会保障卡 → shehuibaozhangka (ü written v). */
export function fullPinyin(text: string): string {
  return pinyin(foldText(text), { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(NOT_LATIN, '');
}

/** First letter of each syllable, Latin runs kept whole: 社保卡 → sbk, ABC证明 → abczm. */
export function pinyinInitials(text: string): string {
  return pinyin(foldText(text), { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(NOT_LATIN, '');
}

const STOP_WORDS = new Set(QUERY_STOP_WORDS);

/** One meaningful term of a query and the formal words it also stands for (each as its own terms). */
export interface QueryTermGroup {
  readonly term: string;
  readonly alternatives: readonly (readonly string[])[];
}

/**
 * The query as the local index matches it: precise segmentation, filler words dropped (see
 * QUERY_STOP_WORDS), each remaining term with its synonyms (QUERY_SYNONYMS) segmented the same way.
 */
export function analyzeQuery(text: string, maxTerms: number): QueryTermGroup[] {
  return queryTerms(text)
    .filter((term) => !STOP_WORDS.has(term))
    .slice(0, maxTerms)
    .map((term) => ({
      term,
      alternatives: (QUERY_SYNONYMS[term] ?? []).map((synonym) => queryTerms(synonym)).filter((terms) => terms.length > 0 && terms.join('') !== term),
    }));
}
