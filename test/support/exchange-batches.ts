import { createHash } from 'node:crypto';
import { usccCheckChar } from '../../shared/codes/uscc.js';

/** an agency USCC with a valid check character (registration authority 1, type 1, region 330106) */
export const AGENCY_USCC = (() => {
  const first17 = '11330106MB1A2B3C4';
  return first17 + usccCheckChar(first17);
})();

/** the data of a valid `items` record (a local implementation of a basic catalog item) */
export function itemData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    itemCode: 'SC-XK-0001',
    name: '企业设立登记（西湖区）',
    region: '330106',
    agencyName: '杭州市西湖区行政审批局',
    agencyUscc: AGENCY_USCC,
    legalDays: 3,
    promisedDays: 1,
    onlineDepth: 4,
    fee: false,
    status: 'active',
    ...overrides,
  };
}

export interface TestRecord {
  id: string;
  op: 'upsert' | 'delete';
  version: number;
  data?: Record<string, unknown>;
}

/**
 * The manifest digest computed the way the issue states it, independently of the platform's code:
 * hex SHA-256 of "id:version" lines sorted by id then version, joined by "\n".
 */
export function manifestDigest(records: readonly { id: string; version: number }[]): string {
  const lines = records
    .map((record) => [record.id, record.version] as const)
    .sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1))
    .map(([id, version]) => `${id}:${version}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function envelope(source: string, dataset: string, batchId: string, seq: number, records: readonly TestRecord[]) {
  return { source, dataset, batchId, seq, sentAt: '2030-01-01T08:00:00.000Z', records };
}

export function manifest(source: string, dataset: string, batchId: string, records: readonly { id: string; version: number }[], messageCount?: number) {
  return { kind: 'manifest', source, dataset, batchId, recordCount: records.length, digest: manifestDigest(records), ...(messageCount ? { messageCount } : {}) };
}

/** a fixed pseudo-random order (the same every run) */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
