import { createHash } from 'node:crypto';

/** one record of a batch as the digest sees it */
export interface RecordVersion {
  readonly id: string;
  readonly version: number;
}

/**
 * The manifest digest of a set of records: hex SHA-256 of the lines "id:version" sorted by id
 * (code unit order; ids are ASCII) and then by version (numerically), joined with "\n", with no
 * trailing newline. Senders compute it over what they send; we compute it over what arrived.
 */
export function batchDigest(records: Iterable<RecordVersion>): string {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version));
  return createHash('sha256')
    .update(sorted.map((record) => `${record.id}:${record.version}`).join('\n'), 'utf8')
    .digest('hex');
}
