import * as z from 'zod/mini';
import { positiveIntegerText, regionCode } from '../../shared/http/catalog-schemas.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';

const documentType = z.enum(['item', 'guide', 'policy', 'life-event']);
const filterText = z.string().check(z.minLength(1), z.maxLength(100));

const suggestion = z.object({ text: z.string(), type: documentType, code: z.optional(z.string()), id: z.optional(z.string()) });

export const searchSchemas = {
  searchServices: {
    query: z.object({
      q: z.optional(z.string().check(z.maxLength(2000))),
      region: z.optional(regionCode),
      department: z.optional(filterText),
      kind: z.optional(filterText),
      audience: z.optional(z.enum(['natural', 'legal'])),
      theme: z.optional(filterText),
      online: z.optional(z.enum(['true', 'false'])),
      type: z.optional(documentType),
      page: z.optional(positiveIntegerText),
      size: z.optional(z.string().check(z.regex(/^([1-9]|[1-4]\d|50)$/, 'must be a whole number from 1 to 50'))),
    }),
    response: z.object({
      hits: z.array(
        z.object({
          type: documentType,
          code: z.optional(z.string()),
          id: z.optional(z.string()),
          name: z.string(),
          highlight: z.string(),
          region: z.string(),
          regionName: z.string(),
          department: z.optional(z.string()),
          agency: z.optional(z.string()),
          promisedDays: z.optional(z.number()),
          onlineDepth: z.optional(z.number()),
          issuedOn: z.optional(z.string()),
          score: z.number(),
        }),
      ),
      total: z.number(),
      page: z.number(),
      size: z.number(),
      region: z.string(),
      facets: z.record(z.string(), z.record(z.string(), z.number())),
      suggestions: z.array(suggestion),
    }),
  },
  suggestSearchTerms: {
    query: z.object({
      prefix: z.string().check(z.minLength(1), z.maxLength(100)),
      limit: z.optional(z.string().check(z.regex(/^([1-9]|1\d|20)$/, 'must be a whole number from 1 to 20'))),
    }),
    response: z.object({ suggestions: z.array(suggestion) }),
  },
  recommendServices: {
    query: z.object({
      region: z.optional(regionCode),
      limit: z.optional(z.string().check(z.regex(/^([1-9]|1\d|20)$/, 'must be a whole number from 1 to 20'))),
    }),
    response: z.object({
      region: z.string(),
      recommendations: z.array(z.object({ code: z.string(), name: z.string(), reason: z.enum(['personal', 'popular', 'life-event']), basis: z.string() })),
    }),
  },
} as const satisfies OperationSchemas<'search'>;
