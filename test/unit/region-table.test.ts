import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { manifest } from '../../infra/manifest.js';
import { regionLinesFromPackage } from '../../infra/tools/generate-region-table.js';
import { regionContains, structuralRegionChain } from '../../shared/regions/region-codes.js';
import { REGION_TABLE_FILE, regionTable } from '../../shared/regions/region-table.js';

describe('GB/T 2260 region table', () => {
  it('is exactly what the npm package yields (regenerate with infra/tools/generate-region-table.ts)', () => {
    const committed = readFileSync(new URL(`../../shared/regions/${REGION_TABLE_FILE}`, import.meta.url), 'utf8');
    expect(committed).toBe(`${regionLinesFromPackage().lines.join('\n')}\n`);
  });

  it('is shipped beside the bundle of every function that reads it', () => {
    const readers = manifest.functions.filter((fn) => ['catalog', 'catalog-admin', 'catalog-indexer'].includes(fn.name));
    for (const fn of readers) expect((fn as { files?: readonly string[] }).files).toContain(`shared/regions/${REGION_TABLE_FILE}`);
    for (const fn of manifest.functions) for (const file of (fn as { files?: readonly string[] }).files ?? []) expect(existsSync(file)).toBe(true);
  });

  it('knows provinces, cities and counties with their parents, placeholders left out', () => {
    const table = regionTable();
    expect(table.chain('330106').map((r) => r.name)).toEqual(['西湖区', '杭州市', '浙江省']);
    expect(table.fullName('440305')).toBe('广东省深圳市南山区');
    expect(table.get('110101')?.parent).toBe('110000');
    expect(table.get('429004')).toMatchObject({ name: '仙桃市', parent: '420000' });
    expect(table.get('441900')).toMatchObject({ level: 'city', parent: '440000' });
    expect(table.get('330101')).toBeUndefined();
    expect(table.get('000000')).toBeUndefined();
    expect(table.get('33010a')).toBeUndefined();
    expect(table.children('330100').map((r) => r.code)).toContain('330106');
    expect(table.children('110000').length).toBeGreaterThan(10);
  });

  it('derives structural ancestors and containment without the table', () => {
    expect(structuralRegionChain('330106')).toEqual(['330106', '330100', '330000']);
    expect(structuralRegionChain('330100')).toEqual(['330100', '330000']);
    expect(regionContains('330000', '330106')).toBe(true);
    expect(regionContains('330100', '330106')).toBe(true);
    expect(regionContains('330106', '330106')).toBe(true);
    expect(regionContains('330106', '330102')).toBe(false);
    expect(regionContains('440000', '330106')).toBe(false);
  });
});
