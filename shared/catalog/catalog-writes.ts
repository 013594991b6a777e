import { forbidden } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { CatalogRepository } from './catalog-repository.js';
import type { VersionedHead } from './versioned-store.js';

/** What the use cases that change versioned catalog content need. */
export interface CatalogWriteDependencies {
  readonly catalog: CatalogRepository;
  readonly queues: QueuePublisher;
  readonly clock: Clock;
}

/** What an editor learns about an entity after a write. */
export interface VersionState {
  readonly key: string;
  readonly latestVersion: number;
  readonly publishedVersion?: number;
  readonly publishCount: number;
  readonly updatedAt: string;
}

export const versionState = (head: VersionedHead<object>): VersionState => ({
  key: head.key,
  latestVersion: head.latestVersion,
  ...(head.publishedVersion === undefined ? {} : { publishedVersion: head.publishedVersion }),
  publishCount: head.publishCount,
  updatedAt: head.updatedAt,
});

export function assertAdmin(editor: { isAdmin: boolean }): void {
  if (!editor.isAdmin) throw forbidden('The national catalog is edited by administrators', 'admin_only');
}
