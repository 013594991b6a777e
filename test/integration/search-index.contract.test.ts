import { describe, it, expect } from '@jest/globals';
import { createLocalSearchIndex } from '../../shared/adapters/local/local-search-index.js';
import { searchIndexContract } from './search-index-contract.js';

searchIndexContract('local MiniSearch index', async () => createLocalSearchIndex());

describe('local search index beyond the contract', () => {
  it('matches Latin terms by prefix and with small typos', async () => {
    const index = createLocalSearchIndex();
    await index.upsert([
      { id: 'item:OFD-1', type: 'item', title: 'OFD 版式文件验证', body: 'Verification of OFD signatures', facets: {}, version: 1 },
      { id: 'item:PDF-1', type: 'item', title: 'PDF 材料上传', facets: {}, version: 1 },
    ]);
    expect((await index.search({ text: 'of' })).hits.map((h) => h.id)).toEqual(['item:OFD-1']);
    expect((await index.search({ text: 'verifcation' })).hits.map((h) => h.id)).toEqual(['item:OFD-1']);
    expect((await index.search({ text: 'ＰＤＦ' })).hits[0]?.highlight).toBe('<em>PDF</em> 材料上传');
  });

  it('highlights traditional titles where the simplified query matched', async () => {
    const index = createLocalSearchIndex();
    await index.upsert([{ id: 'item:TW-1', type: 'item', title: '營業執照補發', facets: {}, version: 1 }]);
    expect((await index.search({ text: '营业执照' })).hits[0]?.highlight).toBe('<em>營業執照</em>補發');
  });
});
