import * as z from 'zod/mini';

/**
 * One request as access monitoring (GB/T 39047 6.2.4) counts it. No personal data: the user is
 * an anonymised key that changes every day (a hash of the day and the account), so a day's
 * unique users can be counted but nobody followed across days.
 */
export const accessEvent = z.object({
  at: z.string(),
  function: z.string(),
  /** the route key, e.g. "GET /v1/items/{code}" (never the raw path, which may hold ids) */
  route: z.string(),
  status: z.number(),
  latencyMs: z.number(),
  channel: z.string(),
  userKey: z.optional(z.string()),
  subjectType: z.optional(z.string()),
  level: z.optional(z.number()),
  region: z.optional(z.string()),
  itemCode: z.optional(z.string()),
  keywords: z.optional(z.string()),
  /** a search that found nothing */
  zeroResult: z.optional(z.boolean()),
});
export type AccessEvent = z.infer<typeof accessEvent>;

/** the body of one access-events queue message: the events of one emitter's batch */
export const accessEventBatch = z.object({ batchId: z.string(), events: z.array(accessEvent) });
export type AccessEventBatch = z.infer<typeof accessEventBatch>;

/** what the HTTP stack hands over for each request; everything costly is done later, off the request's path */
export interface AccessRecord {
  readonly function: string;
  readonly route: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly channel?: string;
  readonly sub?: string;
  readonly subjectType?: string;
  readonly level?: number;
  readonly region?: string;
  readonly itemCode?: string;
  readonly keywords?: string;
  readonly zeroResult?: boolean;
}

/** Where the HTTP stack puts access records: `record` must return at once and never throw. */
export interface AccessEventSink {
  record(access: AccessRecord): void;
  /** sends what is buffered (tests, and before a process ends) */
  flush(): Promise<void>;
}
