import { describe, it, expect } from '@jest/globals';
import { foldText, fullPinyin, indexTerms, isLatinTerm, pinyinInitials, queryTerms } from '../../shared/search/chinese-text.js';
import { normalizeSearchQuery, suggestionLimit } from '../../shared/search/search-query.js';

describe('chinese text analysis', () => {
  it('folds traditional, full-width and upper case text', () => {
    expect(foldText('營業執照ＡＢＣ１２３')).toBe('营业执照abc123');
    expect(foldText('臺灣裡面頭髮')).toBe('台湾里面头发');
    expect(foldText('社会保障卡')).toBe('社会保障卡');
  });

  it('keeps one folded code point per original code point', () => {
    for (const text of ['二噁英', '𠵾㗲AB', 'İstanbul', '乾燥 乾隆', '\ud800孤', '😀Ｘ']) {
      expect(Array.from(foldText(text))).toHaveLength(Array.from(text).length);
    }
  });

  it('indexes words and their sub-words, queries with the precise cut', () => {
    expect(indexTerms('居民身份证换领')).toEqual(expect.arrayContaining(['居民身份证', '身份证', '居民']));
    expect(queryTerms('居民身份證')).toEqual(['居民身份证']);
    expect(queryTerms('社保卡 社保卡，ABC-123!')).toEqual(['社保卡', 'abc', '123']);
    expect(queryTerms('*** ""')).toEqual([]);
    expect(isLatinTerm('abc123')).toBe(true);
    expect(isLatinTerm('社保')).toBe(false);
  });

  it('spells pinyin in full and as initials', () => {
    expect(fullPinyin('社会保障卡申领')).toBe('shehuibaozhangkashenling');
    expect(fullPinyin('綠色通道')).toBe('lvsetongdao');
    expect(pinyinInitials('社保卡')).toBe('sbk');
    expect(pinyinInitials('OFD文件')).toBe('ofdwj');
    expect(fullPinyin('')).toBe('');
  });
});

describe('search query bounds', () => {
  it('clamps paging and cuts long text without splitting a surrogate pair', () => {
    const query = normalizeSearchQuery({ text: `${'a'.repeat(199)}😀tail`, from: 9_999, size: 500 });
    expect(query.size).toBe(100);
    expect(query.from).toBe(9_900);
    expect(query.text).toBe(`${'a'.repeat(199)}\ufffd`);
  });

  it('drops empty filters and marks impossible facet names', () => {
    const query = normalizeSearchQuery({ text: '', filters: { region: [], kind: ['a', 'a'] }, facets: ['region', 'bad.name'] });
    expect(query.filters).toEqual({ kind: ['a'] });
    expect(query.matchesNothing).toBe(false);
    expect(query.facets).toEqual(['region']);
    expect(normalizeSearchQuery({ text: '', filters: { 'facets.*': 'x' } }).matchesNothing).toBe(true);
    expect(suggestionLimit(undefined)).toBe(10);
    expect(suggestionLimit(1000)).toBe(20);
    expect(suggestionLimit(0)).toBe(1);
  });
});
