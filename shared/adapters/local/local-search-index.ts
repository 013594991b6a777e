import MiniSearch, { type Query, type SearchResult as MiniSearchResult } from 'minisearch';
import { SEARCH_LIMITS, type SearchDocument, type SearchHit, type SearchIndex, type SearchQuery, type SearchResult, type Suggestion } from '../../ports/search-index.js';
import { analyzeQuery, foldText, fullPinyin, indexTerms, isLatinTerm, pinyinInitials, queryTerms, type QueryTermGroup } from '../../search/chinese-text.js';
import { escapeHtml } from '../../search/html-escape.js';
import { boostFactor, boundedText, normalizeSearchQuery, suggestionLimit, type NormalizedSearchQuery } from '../../search/search-query.js';

/** The text MiniSearch indexes for one document. */
interface IndexedText {
  readonly id: string;
  readonly title: string;
  readonly aliases: string;
  readonly body: string;
}

/** One title or alias of a document, prepared for completion. */
interface Completion {
  readonly isTitle: boolean;
  readonly folded: string;
  readonly terms: readonly string[];
  readonly pinyin: string;
  readonly initials: string;
  /** full pinyin and initials of each word of the text (社保卡 in 办社保卡) */
  readonly wordPinyin: readonly string[];
  readonly wordInitials: readonly string[];
}

interface Entry {
  readonly doc: SearchDocument;
  readonly indexed: IndexedText;
  readonly completions: readonly Completion[];
}

interface Match {
  readonly entry: Entry;
  /** relevance times the boosts */
  readonly score: number;
  /** folded document terms the query matched, for highlighting */
  readonly terms: readonly string[];
}

const FIELD_BOOSTS = { title: 3, aliases: 3, body: 1 } as const;
/** Query terms beyond this add cost and no relevance; the rest of a very long query is ignored. */
const MAX_QUERY_TERMS = 32;
const MAX_SUGGEST_PREFIX_CHARS = 50;

/**
 * In-process twin of the OpenSearch index (MiniSearch with jieba terms), for `npm start` and tests.
 * A projection rebuilt from the catalog tables at start, so it keeps nothing on disk.
 *
 * Searching:
 * 1. empty text lists every document that passes the filters, by boost, then title;
 * 2. otherwise the query is segmented like the documents were, filler words are dropped and
 *    each term may also match its synonyms (shared/search/query-vocabulary.ts); the terms must
 *    ALL match (in title, aliases or body; title and aliases weigh 3× the body); only when that
 *    finds nothing does ANY term suffice;
 * 3. Latin terms also match by prefix, and from four letters on with small typos;
 * 4. scores are multiplied by the boosts; with `collapse`, the best match of each group stands
 *    for the group;
 * 5. facets are counted over every match (as groups when collapsing), then the page is cut.
 */
export function createLocalSearchIndex(): SearchIndex {
  const entries = new Map<string, Entry>();
  const mini = new MiniSearch<IndexedText>({
    fields: ['title', 'aliases', 'body'],
    idField: 'id',
    tokenize: (text) => indexTerms(text),
    processTerm: (term) => term,
    // documents are removed with their text, never discarded, so there is nothing to vacuum
    autoVacuum: false,
    searchOptions: {
      tokenize: (text) => queryTerms(text).slice(0, MAX_QUERY_TERMS),
      processTerm: (term) => term,
      boost: { ...FIELD_BOOSTS },
      prefix: (term) => isLatinTerm(term) && term.length >= 2,
      fuzzy: (term) => (isLatinTerm(term) && /[a-z]/.test(term) && term.length >= 4 ? 0.2 : false),
    },
  });

  function textMatches(query: NormalizedSearchQuery, passes: (entry: Entry) => boolean): Match[] {
    if (query.text === '') {
      return [...entries.values()]
        .filter(passes)
        .map((entry) => ({ entry, score: boostFactor(entry.doc.facets, query.boosts), terms: [] }))
        .sort((a, b) => b.score - a.score || compareStrings(a.entry.doc.title, b.entry.doc.title) || compareStrings(a.entry.doc.id, b.entry.doc.id));
    }
    const groups = analyzeQuery(query.text, MAX_QUERY_TERMS);
    if (groups.length === 0) return [];
    const filter = (result: MiniSearchResult) => {
      const entry = entries.get(String(result.id));
      return entry !== undefined && passes(entry);
    };
    let results = mini.search(combinedQuery(groups, 'AND'), { filter });
    if (results.length === 0) results = mini.search(combinedQuery(groups, 'OR'), { filter });
    return results
      .map((result) => {
        const entry = entries.get(String(result.id)) as Entry;
        return { entry, score: result.score * boostFactor(entry.doc.facets, query.boosts), terms: result.terms };
      })
      .sort((a, b) => b.score - a.score || compareStrings(a.entry.doc.id, b.entry.doc.id));
  }

  return {
    async upsert(docs) {
      const stale: string[] = [];
      for (const doc of docs) {
        const current = entries.get(doc.id);
        if (current && doc.version < current.doc.version) {
          stale.push(doc.id);
          continue;
        }
        if (current && doc.version === current.doc.version) continue;
        if (current) mini.remove(current.indexed);
        const entry = prepare(doc);
        mini.add(entry.indexed);
        entries.set(doc.id, entry);
      }
      return { stale };
    },

    async remove(ids) {
      for (const id of ids) {
        const current = entries.get(id);
        if (!current) continue;
        mini.remove(current.indexed);
        entries.delete(id);
      }
    },

    async search(query: SearchQuery): Promise<SearchResult> {
      const normalized = normalizeSearchQuery(query);
      const passes = (entry: Entry) => !normalized.matchesNothing && passesFilters(entry.doc, normalized.filters);
      const matches = textMatches(normalized, passes);
      const facets = countFacets(matches, normalized.facets, normalized.collapse);
      const ranked = normalized.collapse === undefined ? matches : bestOfEachGroup(matches, normalized.collapse);
      const hits = ranked.slice(normalized.from, normalized.from + normalized.size).map(toHit);
      return { hits, total: ranked.length, facets };
    },

    async suggest(prefix, limit) {
      return suggestFrom(entries.values(), prefix, suggestionLimit(limit));
    },

    async count() {
      return entries.size;
    },

    async ping() {},
  };
}

function prepare(doc: SearchDocument): Entry {
  const aliases = doc.aliases ?? [];
  return {
    doc,
    indexed: { id: doc.id, title: doc.title, aliases: aliases.join('\n'), body: doc.body ?? '' },
    completions: [completion(doc.title, true), ...aliases.map((alias) => completion(alias, false))],
  };
}

/** Titles and aliases repeat across documents (an item and its guides), and their pinyin is the costly part of indexing. */
const analysedTexts = new Map<string, Omit<Completion, 'isTitle'>>();
const MAX_ANALYSED_TEXTS = 50_000;

function completion(text: string, isTitle: boolean): Completion {
  let analysed = analysedTexts.get(text);
  if (!analysed) {
    if (analysedTexts.size >= MAX_ANALYSED_TEXTS) analysedTexts.clear();
    analysed = analyseCompletion(text);
    analysedTexts.set(text, analysed);
  }
  return { isTitle, ...analysed };
}

function analyseCompletion(text: string): Omit<Completion, 'isTitle'> {
  const terms = indexTerms(text);
  const chinese = terms.filter((term) => !isLatinTerm(term));
  return {
    folded: foldText(text),
    terms,
    pinyin: fullPinyin(text),
    initials: pinyinInitials(text),
    wordPinyin: chinese.map(fullPinyin),
    wordInitials: chinese.map(pinyinInitials),
  };
}

function passesFilters(doc: SearchDocument, filters: Readonly<Record<string, readonly string[]>>): boolean {
  return Object.entries(filters).every(([field, accepted]) => {
    const value = doc.facets[field];
    if (value === undefined) return false;
    return typeof value === 'string' ? accepted.includes(value) : value.some((item) => accepted.includes(item));
  });
}

/** A MiniSearch query: every term group (the term OR any of its synonyms, each synonym's words all present) combined with `combineWith`. */
function combinedQuery(groups: readonly QueryTermGroup[], combineWith: 'AND' | 'OR'): Query {
  return {
    combineWith,
    queries: groups.map((group): Query => {
      if (group.alternatives.length === 0) return group.term;
      const alternatives = group.alternatives.map((words): Query => (words.length === 1 ? words[0]! : { combineWith: 'AND', queries: [...words] }));
      return { combineWith: 'OR', queries: [group.term, ...alternatives] };
    }),
  };
}

/** the group of a document: the first value of its collapse field, else its own id */
function groupOf(doc: SearchDocument, field: string): string {
  const value = doc.facets[field];
  const first = typeof value === 'string' ? value : value?.[0];
  return first === undefined ? `\u0000${doc.id}` : first;
}

function bestOfEachGroup(ranked: readonly Match[], field: string): Match[] {
  const seen = new Set<string>();
  return ranked.filter(({ entry }) => {
    const group = groupOf(entry.doc, field);
    if (seen.has(group)) return false;
    seen.add(group);
    return true;
  });
}

/** Counts, per value of each field, the matching documents, or the groups of matching documents when collapsing. */
function countFacets(matches: readonly Match[], fields: readonly string[], collapse: string | undefined): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const field of fields) {
    const members = new Map<string, Set<string>>();
    for (const { entry } of matches) {
      const value = entry.doc.facets[field];
      if (value === undefined) continue;
      const member = collapse === undefined ? entry.doc.id : groupOf(entry.doc, collapse);
      for (const item of typeof value === 'string' ? [value] : value) (members.get(item) ?? members.set(item, new Set()).get(item)!).add(member);
    }
    counts[field] = Object.fromEntries([...members].map(([value, set]) => [value, set.size]));
  }
  return counts;
}

function toHit({ entry: { doc }, score, terms }: Match): SearchHit {
  return {
    id: doc.id,
    type: doc.type,
    title: doc.title,
    score,
    highlight: highlight(doc.title, terms),
    facets: doc.facets,
    ...(doc.payload === undefined ? {} : { payload: doc.payload }),
  };
}

/**
 * Wraps the matched terms of `text` in <em></em> and HTML-escapes everything else. Terms are
 * folded (simplified, lower case), so they are looked up in the folded text, whose code points
 * line up one to one with the original's. Latin terms only match whole words.
 */
function highlight(text: string, terms: readonly string[]): string {
  const original = Array.from(text);
  const folded = Array.from(foldText(text));
  const marked = new Array<boolean>(original.length).fill(false);
  for (const term of terms) {
    const needle = Array.from(term);
    if (needle.length === 0) continue;
    const latin = isLatinTerm(term);
    for (let start = 0; start + needle.length <= folded.length; start++) {
      if (!needle.every((point, i) => folded[start + i] === point)) continue;
      if (latin && (isLatinPoint(folded[start - 1]) || isLatinPoint(folded[start + needle.length]))) continue;
      marked.fill(true, start, start + needle.length);
    }
  }
  let html = '';
  for (let i = 0; i < original.length; i++) {
    if (marked[i] && !marked[i - 1]) html += '<em>';
    html += escapeHtml(original[i] ?? '');
    if (marked[i] && !marked[i + 1]) html += '</em>';
  }
  return html;
}

function isLatinPoint(point: string | undefined): boolean {
  return point !== undefined && /^[a-z0-9]$/.test(point);
}

/**
 * How well a title or alias completes a prefix, best first: the whole text starts with it, a
 * word of it starts with it, its full pinyin starts with it, its pinyin initials start with it,
 * the full pinyin of a word of it starts with it, the initials of a word of it do.
 * Titles rank above aliases within each kind.
 */
function completionRank(completion: Completion, folded: string, latin: string): number | undefined {
  const tier = (rank: number) => rank * 2 + (completion.isTitle ? 0 : 1);
  if (completion.folded.startsWith(folded)) return tier(0);
  if (completion.terms.some((term) => term.startsWith(folded))) return tier(1);
  if (latin === '') return undefined;
  if (completion.pinyin.startsWith(latin)) return tier(2);
  if (completion.initials.startsWith(latin)) return tier(3);
  if (latin.length >= 2 && completion.wordPinyin.some((pinyin) => pinyin.startsWith(latin))) return tier(4);
  if (latin.length >= 2 && completion.wordInitials.some((initials) => initials.startsWith(latin))) return tier(5);
  return undefined;
}

/** the rank of a typo correction: titles before aliases */
function typoRank(completion: Completion, folded: string): number | undefined {
  return beginsWithinOneEdit(completion.folded, folded) ? (completion.isTitle ? 0 : 1) : undefined;
}

/**
 * True when some beginning of `text` is one insertion, deletion or substitution (of a code
 * point) away from `prefix`, for prefixes of at least SEARCH_LIMITS.minTypoPrefixChars.
 */
function beginsWithinOneEdit(text: string, prefix: string): boolean {
  const wanted = Array.from(prefix);
  if (wanted.length < SEARCH_LIMITS.minTypoPrefixChars) return false;
  const points = Array.from(text);
  return [wanted.length - 1, wanted.length, wanted.length + 1].some(
    (length) => length <= points.length && withinOneEdit(points.slice(0, length), wanted),
  );
}

function withinOneEdit(a: readonly string[], b: readonly string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1).join('') === b.slice(i + 1).join('');
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1).join('') === shorter.slice(i).join('');
}

function suggestFrom(source: Iterable<Entry>, prefix: string, limit: number): Suggestion[] {
  const entries = [...source];
  const folded = foldText(boundedText(prefix, MAX_SUGGEST_PREFIX_CHARS));
  if (folded === '') return [];
  const compact = folded.replace(/[\s']/g, '');
  const latin = /^[a-z0-9]+$/.test(compact) ? compact : '';
  const rankAll = (rank: (completion: Completion) => number | undefined) => {
    const ranked: { rank: number; doc: SearchDocument }[] = [];
    for (const { doc, completions } of entries) {
      const ranks = completions.map(rank).filter((r) => r !== undefined);
      if (ranks.length > 0) ranked.push({ rank: Math.min(...ranks), doc });
    }
    return ranked;
  };
  let ranked = rankAll((c) => completionRank(c, folded, latin));
  // only when nothing completes the prefix is it read as a typo
  if (ranked.length === 0) ranked = rankAll((c) => typoRank(c, folded));
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.doc.title.length - b.doc.title.length ||
      compareStrings(a.doc.title, b.doc.title) ||
      compareStrings(a.doc.id, b.doc.id),
  );
  const seen = new Set<string>();
  const suggestions: Suggestion[] = [];
  for (const { doc } of ranked) {
    if (seen.has(doc.title)) continue;
    seen.add(doc.title);
    suggestions.push({ text: doc.title, id: doc.id, type: doc.type });
    if (suggestions.length === limit) break;
  }
  return suggestions;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
