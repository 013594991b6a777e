import { performance } from 'node:perf_hooks';
import { startEmbeddedDynamo } from '../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../shared/adapters/local/ensure-tables.js';
import { createLocalSearchIndex } from '../shared/adapters/local/local-search-index.js';
import { localTables } from '../shared/adapters/local/local-tables.js';
import { catalogRepository } from '../shared/catalog/catalog-repository.js';
import { implementationId } from '../shared/catalog/catalog-model.js';
import { rebuildSearchIndex } from '../shared/catalog/rebuild-search-index.js';
import { manifest } from '../infra/manifest.js';
import { DEMO_AGENCIES } from '../infra/local/demo-seed.js';
import { demoCatalog } from '../infra/local/seed-data/demo-catalog.js';

/** What people ask search for, mixed as the bench sends it: free text, filters, browsing, suggestions (pinyin, typos). */
const TEXT_QUERIES = [
  '怎么开公司', '社保卡丢了', '生孩子要办什么', '护照', '公积金提取', '营业执照', '驾照到期', '身份证过期了怎么换', '退休手续怎么办',
  '异地看病报销', '二手房过户', '營業執照', '开个小饭店要办什么证', '查征信', '老板拖欠工资', '企业设立登纪', '"企业" AND 登记', 'a'.repeat(300),
];
const SUGGEST_PREFIXES = ['sbk', 'shehuibaozhang', 'qysl', '企业', '社会保彰', 'gongjijin', '护', 'jsz'];
const FILTERS = ['department=市场监管总局', 'kind=行政许可&online=true', 'theme=社会保障&audience=natural', 'type=life-event', 'type=policy'];
const REGIONS = ['330106', '440305', '110101', ''];

function mixedRequests(count: number): string[] {
  const requests: string[] = [];
  for (let i = 0; i < count; i++) {
    const region = REGIONS[i % REGIONS.length]!;
    const regionParam = region ? `&region=${region}` : '';
    switch (i % 5) {
      case 0:
      case 1:
        requests.push(`/v1/search?q=${encodeURIComponent(TEXT_QUERIES[i % TEXT_QUERIES.length]!)}${regionParam}`);
        break;
      case 2:
        requests.push(`/v1/search/suggest?prefix=${encodeURIComponent(SUGGEST_PREFIXES[i % SUGGEST_PREFIXES.length]!)}`);
        break;
      case 3:
        requests.push(`/v1/search?q=&${encodeURI(FILTERS[i % FILTERS.length]!)}${regionParam}`);
        break;
      default:
        requests.push(`/v1/search?q=${encodeURIComponent(TEXT_QUERIES[(i * 7) % TEXT_QUERIES.length]!)}&page=2&size=5${regionParam}`);
    }
  }
  return requests;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Search figures on the demo catalog:
 * 1. index build: the demo catalog loaded into an in-memory table, then projected into a fresh
 *    local index twice (the first build also loads the segmenter's dictionary);
 * 2. latency: 1,000 mixed requests (text, filters, browsing, suggestions) one after another
 *    through the local gateway at `baseUrl`, after a warm-up; p50, p99 and max.
 */
export async function benchSearch(baseUrl: string): Promise<void> {
  console.log('\n== Search on the demo catalog ==');
  const dynamo = await startEmbeddedDynamo({});
  try {
    const tables = localTables(dynamo.documentClient);
    await ensureTables(dynamo.client, [{ tableName: tables.name('catalog'), spec: manifest.tables.catalog }]);
    const catalog = catalogRepository(tables);
    const data = demoCatalog(DEMO_AGENCIES);
    const actor = { sub: 'bench' };
    const now = new Date();
    await catalog.basicItems.importPublished(data.basicItems.map((item) => ({ key: item.code, content: item })), actor, now);
    await catalog.implementations.importPublished(
      data.implementations.map((implementation) => ({ key: implementationId(implementation.itemCode, implementation.region), content: implementation })),
      actor,
      now,
    );
    await catalog.lifeEvents.importPublished(data.lifeEvents.map((event) => ({ key: event.id, content: event })), actor, now);
    await catalog.policies.importPublished(data.policies.map((policy) => ({ key: policy.id, content: policy })), actor, now);
    for (const label of ['first (loads the dictionary)', 'second']) {
      const started = performance.now();
      const { documents } = await rebuildSearchIndex({ catalog, search: createLocalSearchIndex() });
      console.log(`index build, ${label}: ${documents} documents in ${(performance.now() - started).toFixed(0)} ms`);
    }
  } finally {
    await dynamo.close();
  }

  const send = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return performance.now() - started;
  };
  for (const path of mixedRequests(100)) await send(path);
  const latencies: number[] = [];
  for (const path of mixedRequests(1000)) latencies.push(await send(path));
  latencies.sort((a, b) => a - b);
  console.log(
    `1,000 mixed requests through the gateway: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
}
