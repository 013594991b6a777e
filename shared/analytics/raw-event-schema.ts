/**
 * The columns of the raw analytics events (shared/analytics/raw-event-archive.ts writes them as
 * JSON Lines), as the Glue tables of infra/stacks/analytics-lake.ts declare them for Athena.
 * Data only, so the CDK app reads it without loading anything else. Every table is partitioned
 * by `dt` (the China calendar day, YYYY-MM-DD), projected, so no crawler has to find partitions.
 */
export type RawEventColumnType = 'string' | 'int' | 'double' | 'boolean';

export const RAW_EVENT_TABLES = {
  case: {
    table: 'case_events',
    description: 'every state change of a case: case and applicant pseudonymous, no free text',
    columns: {
      at: 'string',
      caseKey: 'string',
      version: 'int',
      itemCode: 'string',
      agency: 'string',
      region: 'string',
      state: 'string',
      previousState: 'string',
      action: 'string',
      actor: 'string',
      applicantType: 'string',
      userKey: 'string',
    },
  },
  certificate: {
    table: 'certificate_events',
    description: 'certificates issued: type, issuer and kind of holder, not the holder',
    columns: { at: 'string', certificateKey: 'string', typeCode: 'string', issuerName: 'string', holderCodeType: 'string' },
  },
  access: {
    table: 'access_events',
    description: 'every API request: route, item, keywords, status, latency; the user as a key that changes daily',
    columns: {
      at: 'string',
      function: 'string',
      route: 'string',
      status: 'int',
      latencyMs: 'double',
      channel: 'string',
      userKey: 'string',
      subjectType: 'string',
      level: 'int',
      region: 'string',
      itemCode: 'string',
      keywords: 'string',
      zeroResult: 'boolean',
      batchId: 'string',
    },
  },
  recommendation: {
    table: 'recommendation_events',
    description: 'next-item recommendations sent after approvals, and followed by an application',
    columns: {
      at: 'string',
      kind: 'string',
      userKey: 'string',
      caseKey: 'string',
      fromItemCode: 'string',
      itemCode: 'string',
      lifeEventId: 'string',
      region: 'string',
      sentAt: 'string',
      followedAt: 'string',
    },
  },
} as const satisfies Record<string, { table: string; description: string; columns: Record<string, RawEventColumnType> }>;

export type RawEventKind = keyof typeof RAW_EVENT_TABLES;

/** the prefix of every raw event file; `<prefix>/<kind>/dt=YYYY-MM-DD/` is one Athena partition */
export const RAW_EVENTS_PREFIX = 'analytics/events';
