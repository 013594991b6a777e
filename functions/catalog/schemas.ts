import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { agencyView, hallView, itemCode, locationView, positiveIntegerText, regionCode } from '../../shared/http/catalog-schemas.js';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const guideRegion = z.object({ code: z.string(), name: z.string(), fullName: z.string() });
const materialOut = z.object({ name: z.string(), required: z.boolean(), note: z.optional(z.string()) });
const windowOut = z.object({ name: z.string(), address: z.string(), phone: z.optional(z.string()), hours: z.optional(z.string()) });


const policyOut = z.object({
  id: z.string(),
  title: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  region: z.string(),
  themes: z.array(z.string()),
  body: z.string(),
  relatedItems: z.array(z.string()),
});

const region = z.object({ code: z.string(), name: z.string(), level: z.enum(['province', 'city', 'county']), parent: z.optional(z.string()) });

const measure = {
  no: z.number(),
  sector: z.string(),
  kind: z.enum(['prohibited', 'restricted']),
  summary: z.string(),
  unverified: z.optional(z.boolean()),
};

const page = { page: z.optional(positiveIntegerText), size: z.optional(positiveIntegerText) };

export const catalogSchemas = {
  getServiceGuide: {
    params: z.object({ code: itemCode }),
    query: z.object({ region: z.optional(regionCode) }),
    response: z.object({
      code: z.string(),
      name: z.string(),
      kind: z.string(),
      department: z.string(),
      audience: z.array(z.string()),
      themes: z.array(z.string()),
      lifeEvents: z.array(z.string()),
      aliases: z.array(z.string()),
      legalBasis: z.string(),
      legalDays: z.number(),
      promisedDays: z.number(),
      onlineDepth: z.number(),
      onlineApply: z.boolean(),
      fee: z.boolean(),
      feeNote: z.optional(z.string()),
      conditions: z.array(z.string()),
      materials: z.array(materialOut),
      windows: z.array(windowOut),
      onlineUrl: z.optional(z.string()),
      contactPhone: z.optional(z.string()),
      region: guideRegion,
      implementation: z.optional(z.object({ id: z.string(), agency: agencyView, overrides: z.array(z.string()) })),
      establishment: z.boolean(),
      basicVersion: z.number(),
      implementationVersion: z.optional(z.number()),
      halls: z.array(
        z.object({ id: z.string(), name: z.string(), address: z.string(), region: z.string(), openingHours: z.string(), location: locationView, phone: z.optional(z.string()) }),
      ),
      lifeEventIds: z.array(z.object({ id: z.string(), name: z.string() })),
      negativeListPrejudge: z.optional(z.string()),
    }),
  },
  listItemVersions: {
    params: z.object({ code: itemCode }),
    query: z.object({ region: z.optional(regionCode) }),
    response: z.object({
      key: z.string(),
      latestVersion: z.number(),
      publishedVersion: z.optional(z.number()),
      versions: z.array(
        z.object({
          version: z.number(),
          content: z.record(z.string(), z.unknown()),
          changedBy: z.string(),
          changedByAgency: z.optional(z.string()),
          changedAt: z.string(),
          changes: z.array(z.string()),
          current: z.boolean(),
        }),
      ),
    }),
  },
  analyzeItem: {
    query: z.object({ code: itemCode }),
    response: z.object({
      code: z.string(),
      name: z.string(),
      legalDays: z.number(),
      national: z.object({ promisedDays: z.number(), materialsCount: z.number(), onlineDepth: z.number(), fee: z.boolean() }),
      implementations: z.array(
        z.object({
          id: z.string(),
          region: guideRegion,
          agency: z.string(),
          promisedDays: z.number(),
          compression: z.number(),
          materialsCount: z.number(),
          requiredMaterialsCount: z.number(),
          onlineDepth: z.number(),
          fee: z.boolean(),
        }),
      ),
      summary: z.object({
        regions: z.number(),
        promisedDays: z.nullable(z.object({ min: z.number(), max: z.number(), average: z.number() })),
        fullyOnline: z.number(),
        charging: z.number(),
      }),
    }),
  },
  listLifeEvents: {
    response: z.object({ lifeEvents: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), itemCount: z.number() })) }),
  },
  getLifeEvent: {
    params: z.object({ id: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'must be a life event id')) }),
    query: z.object({ region: z.optional(regionCode) }),
    response: z.object({
      id: z.string(),
      name: z.string(),
      description: z.string(),
      aliases: z.array(z.string()),
      sharedForm: z.array(z.object({ field: z.string(), label: z.string() })),
      region: guideRegion,
      items: z.array(
        z.object({
          order: z.number(),
          code: z.string(),
          name: z.string(),
          department: z.string(),
          promisedDays: z.number(),
          onlineApply: z.boolean(),
          region: guideRegion,
          implementationId: z.optional(z.string()),
        }),
      ),
      materials: z.array(z.object({ name: z.string(), required: z.boolean(), note: z.optional(z.string()), usedBy: z.array(z.string()) })),
      totalPromisedDays: z.number(),
    }),
  },
  listPolicies: {
    query: z.object({ region: z.optional(regionCode), theme: z.optional(text(50)), ...page }),
    response: z.object({ policies: z.array(policyOut), total: z.number(), page: z.number(), size: z.number() }),
  },
  getPolicy: {
    params: z.object({ id: z.string().check(z.regex(/^POL-[0-9A-Z-]{1,40}$/, 'must be a policy id')) }),
    response: policyOut,
  },
  getRegion: {
    params: z.object({ code: z.string().check(z.maxLength(20)) }),
    response: z.object({
      code: z.string(),
      name: z.string(),
      level: z.enum(['province', 'city', 'county']),
      parent: z.optional(z.string()),
      fullName: z.string(),
      parents: z.array(region),
      children: z.array(region),
    }),
  },
  findHalls: {
    query: z.object({
      item: z.optional(itemCode),
      region: z.optional(regionCode),
      near: z.optional(z.string().check(z.regex(/^-?\d{1,2}(\.\d{1,8})?,-?\d{1,3}(\.\d{1,8})?$/, 'must be "lat,lng" in decimal degrees'))),
      size: z.optional(positiveIntegerText),
    }),
    response: z.object({ halls: z.array(hallView) }),
  },
  getNegativeList: {
    response: z.object({ edition: z.string(), effective: z.string(), publishedAt: z.string(), measures: z.array(z.object({ ...measure, industryHints: z.array(z.string()) })) }),
  },
  prejudgeNegativeList: {
    body: z.strictObject({ itemCode, investorType: z.enum(['foreign', 'domestic']), businessScope: text(2000) }),
    response: z.object({
      allowed: z.boolean(),
      matchedMeasures: z.array(z.object({ ...measure, matchedHints: z.array(z.string()) })),
      edition: z.string(),
      notice: z.string(),
    }),
  },
} as const satisfies OperationSchemas<'catalog'>;
