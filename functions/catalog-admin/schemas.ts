import * as z from 'zod/mini';
import { ITEM_KINDS } from '../../shared/catalog/catalog-model.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { hallView, itemCode, regionCode, versionNumber } from '../../shared/http/catalog-schemas.js';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const list = <T extends z.ZodMiniType>(item: T, max: number) => z.array(item).check(z.maxLength(max));
const days = z.number().check(z.int(), z.minimum(0), z.maximum(3650));
const onlineDepth = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const httpsUrl = z.string().check(z.maxLength(2000), z.regex(/^https:\/\/[^\s]+$/, 'must be an https URL'));
const phone = z.string().check(z.regex(/^[0-9+\-() ]{3,30}$/, 'must be a phone number'));
const uscc = z.string().check(z.regex(/^[0-9A-HJ-NP-RT-UW-Y]{18}$/, 'must be an 18-character unified social credit code'));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));
const regionOrNational = z.string().check(z.regex(/^(national|[1-9]\d{5})$/, "must be 'national' or a six-digit GB/T 2260 code"));
const policyId = z.string().check(z.regex(/^POL-[0-9A-Z-]{1,40}$/, 'must be a policy id'));
const implementationId = z.string().check(z.regex(/^[A-Z]{2}-[A-Z]{2}-\d{4}@[1-9]\d{5}$/, 'must be an implementation id like SC-XK-0001@330106'));

const material = z.strictObject({ name: text(200), required: z.boolean(), note: z.optional(text(500)) });
const serviceWindow = z.strictObject({ name: text(100), address: text(300), phone: z.optional(phone), hours: z.optional(text(100)) });

const basicItemFields = {
  code: itemCode,
  name: text(100),
  kind: z.enum(ITEM_KINDS),
  department: text(100),
  audience: z.array(z.enum(['natural', 'legal'])).check(z.minLength(1), z.maxLength(2)),
  themes: list(text(50), 20),
  lifeEvents: list(text(50), 10),
  legalBasis: text(500),
  legalDays: days,
  promisedDays: days,
  onlineDepth,
  fee: z.boolean(),
  feeNote: z.optional(text(500)),
  materials: list(material, 100),
  aliases: list(text(50), 30),
  conditions: list(text(1000), 30),
  establishment: z.optional(z.boolean()),
};

const implementationFields = {
  agencyName: text(100),
  promisedDays: z.optional(days),
  onlineDepth: z.optional(onlineDepth),
  materials: z.optional(list(material, 100)),
  fee: z.optional(z.boolean()),
  feeNote: z.optional(text(500)),
  conditions: z.optional(list(text(1000), 30)),
  windows: z.optional(list(serviceWindow, 20)),
  onlineUrl: z.optional(httpsUrl),
  contactPhone: z.optional(phone),
};

const policyFields = {
  title: text(200),
  issuer: text(100),
  issuedOn: isoDate,
  region: regionOrNational,
  themes: list(text(50), 20),
  body: text(20_000),
  relatedItems: list(itemCode, 50),
};

const hallFields = {
  name: text(100),
  address: text(300),
  region: regionCode,
  location: z.strictObject({ lat: z.number().check(z.minimum(-90), z.maximum(90)), lng: z.number().check(z.minimum(-180), z.maximum(180)) }),
  openingHours: text(200),
  itemCodes: list(itemCode, 500),
  agencyName: text(100),
  agencyUscc: z.optional(uscc),
  phone: z.optional(phone),
};

const versionStateFields = {
  key: z.string(),
  latestVersion: z.number(),
  publishedVersion: z.optional(z.number()),
  publishCount: z.number(),
  updatedAt: z.string(),
};
const versionState = z.object(versionStateFields);
const versionStateWithChanges = z.object({ ...versionStateFields, changes: z.array(z.string()) });
const publication = z.strictObject({ version: z.optional(versionNumber) });

export const catalogAdminSchemas = {
  createBasicItem: { status: 201, body: z.strictObject(basicItemFields), response: versionState },
  updateBasicItem: {
    params: z.object({ code: itemCode }),
    body: z.strictObject({ expectedVersion: versionNumber, ...basicItemFields }),
    response: versionStateWithChanges,
  },
  publishBasicItem: { params: z.object({ code: itemCode }), body: publication, response: versionState },
  createImplementation: {
    status: 201,
    body: z.strictObject({ itemCode, region: regionCode, agencyUscc: z.optional(uscc), ...implementationFields }),
    response: z.object({ id: z.string(), ...versionStateFields }),
  },
  updateImplementation: {
    params: z.object({ id: implementationId }),
    body: z.strictObject({ expectedVersion: versionNumber, ...implementationFields }),
    response: versionStateWithChanges,
  },
  publishImplementation: { params: z.object({ id: implementationId }), body: publication, response: versionState },
  createPolicy: { status: 201, body: z.strictObject(policyFields), response: z.object({ id: z.string(), ...versionStateFields }) },
  updatePolicy: {
    params: z.object({ id: policyId }),
    body: z.strictObject({ expectedVersion: versionNumber, ...policyFields }),
    response: z.object({ id: z.string(), ...versionStateFields, changes: z.array(z.string()) }),
  },
  createHall: { status: 201, body: z.strictObject(hallFields), response: hallView },
  updateHall: {
    params: z.object({ id: z.string().check(z.regex(/^HALL-[0-9A-Z-]{1,40}$/, 'must be a hall id')) }),
    body: z.strictObject({ expectedVersion: versionNumber, ...hallFields }),
    response: hallView,
  },
} as const satisfies OperationSchemas<'catalog-admin'>;
