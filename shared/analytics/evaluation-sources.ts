import type { AccessStatsRepository } from '../access/access-stats-repository.js';
import type { CaseRecord } from '../cases/case-model.js';
import { EVERY_PUBLISHED, type CatalogRepository } from '../catalog/catalog-repository.js';
import type { BasicItem, Implementation } from '../catalog/catalog-model.js';
import type { InteractionRecord } from '../interactions/interaction-repository.js';
import type { Tables } from '../ports/tables.js';
import { scanPages } from '../tables/scan-pages.js';
import type { AccessCounters } from './evaluation-indicators.js';

/** an issued certificate as the evaluation counts it */
export interface IssuedCertificate {
  readonly identifier: string;
  readonly issuedAt: string;
  readonly issuerUscc: string;
  readonly holderLookup: string;
  readonly caseNo?: string;
}

/** a read of a certificate by a relying agency that its usage log allowed */
export interface CertificateUse {
  readonly identifier: string;
  readonly agency: string;
  readonly caseNo: string;
}

/** a page of the certificates table: issued certificates and allowed reads of them */
export interface CertificatePage {
  readonly issued: readonly IssuedCertificate[];
  readonly uses: readonly CertificateUse[];
}

/** What the scheduled aggregation reads, a page at a time. */
export interface EvaluationSources {
  cases(): AsyncIterable<readonly CaseRecord[]>;
  interactions(): AsyncIterable<readonly InteractionRecord[]>;
  certificates(): AsyncIterable<CertificatePage>;
  /** every published basic item with its published implementations */
  catalog(): Promise<{ basic: BasicItem; implementations: Implementation[] }[]>;
  /** the access totals of a day (YYYY-MM-DD, China time) */
  accessDay(date: string): Promise<AccessCounters | undefined>;
}

/**
 * The records of the other capabilities, read where they live: cases and interactions by a scan
 * of their tables (the items of the entity only), certificates and their usage log likewise, the
 * catalog through its repository, access through access monitoring's per-day totals.
 */
export function tableEvaluationSources(deps: { tables: Tables; catalog: CatalogRepository; accessStats: AccessStatsRepository }): EvaluationSources {
  const { tables } = deps;
  async function* entities<T>(table: 'cases' | 'interaction', sk: string): AsyncIterable<T[]> {
    for await (const page of scanPages(tables, { TableName: tables.name(table), FilterExpression: 'sk = :sk', ExpressionAttributeValues: { ':sk': sk } })) yield page as T[];
  }
  return {
    cases: () => entities<CaseRecord>('cases', 'CASE'),
    interactions: () => entities<InteractionRecord>('interaction', 'INTERACTION'),
    async *certificates() {
      const pages = scanPages(tables, {
        TableName: tables.name('certificates'),
        FilterExpression: 'entity = :certificate OR (entity = :usage AND outcome = :allowed AND attribute_exists(caseNo) AND attribute_exists(agency))',
        ProjectionExpression: 'entity, identifier, issuedAt, issuerUscc, holderLookup, caseNo, agency',
        ExpressionAttributeValues: { ':certificate': 'certificate', ':usage': 'usage', ':allowed': 'allowed' },
      });
      for await (const page of pages) {
        yield {
          issued: page.filter((item) => item.entity === 'certificate') as unknown as IssuedCertificate[],
          uses: page.filter((item) => item.entity === 'usage') as unknown as CertificateUse[],
        };
      }
    },
    async catalog() {
      const basics = await deps.catalog.basicItems.listPublished(EVERY_PUBLISHED);
      return Promise.all(
        basics
          .filter((head) => head.published)
          .map(async (head) => ({
            basic: head.published!,
            implementations: (await deps.catalog.implementations.listPublished(head.published!.code)).flatMap((implementation) => (implementation.published ? [implementation.published] : [])),
          })),
      );
    },
    async accessDay(date) {
      const total = await deps.accessStats.total(date);
      if (!total) return undefined;
      const statuses = await deps.accessStats.dimension(date, 'status');
      const serverErrors = statuses.filter((row) => Number(row.value) >= 500).reduce((sum, row) => sum + row.count, 0);
      return { requests: total.count, failures: total.failures, serverErrors, latencySumMs: total.latencySum };
    },
  };
}
