import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { mobileProblem } from '../codes/phone.js';
import { residentIdProblem } from '../codes/resident-id.js';
import { usccProblem } from '../codes/uscc.js';
import { regionTable } from '../regions/region-table.js';
import type { DatasetName } from './dataset-names.js';

/**
 * The datasets platforms exchange (GB/T 39047 §6.3.5) and their master-data and metadata rules:
 * required fields, code tables (GB/T 2260 regions, catalog item codes, USCC and ID number check
 * characters), value ranges and cross-field rules. The `data` of every record is checked against
 * its dataset's schema here; item codes are also looked up in the catalog (validate-record.ts).
 */

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** a code with a pattern (shown in the published JSON schema) and a rule that needs code: check characters, code tables */
const code = (pattern: RegExp, description: string, problem: (value: string) => string | undefined) =>
  z.string().check(
    z.regex(pattern, `must be ${description}`),
    z.describe(description),
    z.superRefine((value, context) => {
      const reason = pattern.test(value) ? problem(value) : undefined;
      if (reason) context.issues.push({ code: 'custom', message: reason, input: value });
    }),
  );

/** a catalog item code, e.g. SC-XK-0001 (department, kind, sequence); it must also exist in the catalog */
export const itemCode = z.string().check(z.regex(/^[A-Z]{2}-[A-Z]{2}-\d{4}$/, 'must be a catalog item code like SC-XK-0001'), z.describe('catalog item code, e.g. SC-XK-0001; must exist in the catalog'));
const regionCode = code(/^[1-9]\d{5}$/, 'a GB/T 2260 region code (6 digits)', (value) => (regionTable().get(value) ? undefined : 'is not a GB/T 2260 region code'));
const uscc = code(/^[0-9A-HJ-NP-RTUWXY]{18}$/, 'a unified social credit code (GB 32100, 18 characters, upper case)', usccProblem);
const residentId = code(/^\d{17}[\dX]$/, 'a resident ID number (GB 11643, 18 characters)', (value) => residentIdProblem(value));
const mobile = code(/^1[3-9]\d{9}$/, 'a mainland China mobile number (11 digits)', mobileProblem);
const isoDate = z.string().check(z.iso.date());
const isoDateTime = z.string().check(z.iso.datetime({ offset: true }));
const wholeNumber = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));

/** 事项实施清单: how a region implements a catalog item */
const itemData = z
  .strictObject({
    itemCode,
    name: text(200),
    region: regionCode,
    agencyName: text(200),
    agencyUscc: uscc,
    legalDays: z.optional(wholeNumber(1, 3650)),
    promisedDays: wholeNumber(0, 3650),
    onlineDepth: wholeNumber(1, 4),
    fee: z.boolean(),
    status: z.enum(['active', 'suspended']),
  })
  .check(
    z.refine((item) => item.legalDays === undefined || item.promisedDays <= item.legalDays, {
      message: 'must not exceed legalDays',
      path: ['promisedDays'],
    }),
  );

/** 办件: a case handled on the sending platform */
const caseData = z
  .strictObject({
    caseNo: text(64),
    itemCode,
    region: regionCode,
    applicant: z.strictObject({
      type: z.enum(['natural', 'legal']),
      name: text(100),
      idNumber: z.optional(residentId),
      uscc: z.optional(uscc),
    }),
    phone: z.optional(mobile),
    agencyUscc: uscc,
    state: z.enum(['submitted', 'accepted', 'handling', 'approved', 'denied', 'delivered', 'withdrawn']),
    submittedAt: isoDateTime,
    decidedAt: z.optional(isoDateTime),
  })
  .check(
    z.refine((c) => (c.applicant.type === 'natural' ? c.applicant.idNumber !== undefined : c.applicant.uscc !== undefined), {
      message: 'a natural person needs idNumber, a legal person needs uscc',
      path: ['applicant'],
    }),
    z.refine((c) => c.decidedAt === undefined || Date.parse(c.decidedAt) >= Date.parse(c.submittedAt), {
      message: 'must not be before submittedAt',
      path: ['decidedAt'],
    }),
  );

/** 电子证照 metadata (GB/T 36903), identifier per GB/T 36904 */
const certificateData = z
  .strictObject({
    identifier: z.string().check(z.regex(/^1\.2\.156\.3005\.2\.[0-9A-Z.]{10,120}$/, 'must be a GB/T 36904 identifier (1.2.156.3005.2.…)')),
    typeCode: text(64),
    name: text(100),
    holderName: text(100),
    holderCodeType: z.enum(['resident-id', 'uscc']),
    holderCode: text(18),
    issuerName: text(200),
    issuerUscc: uscc,
    issueDate: isoDate,
    validUntil: z.optional(isoDate),
    region: regionCode,
  })
  .check(
    z.superRefine((c, context) => {
      const reason = c.holderCodeType === 'uscc' ? usccProblem(c.holderCode) : residentIdProblem(c.holderCode);
      if (reason) context.issues.push({ code: 'custom', message: reason, input: c.holderCode, path: ['holderCode'] });
    }),
    z.refine((c) => c.validUntil === undefined || c.validUntil >= c.issueDate, { message: 'must not be before issueDate', path: ['validUntil'] }),
  );

/** 好差评: a service evaluation (5 very satisfied … 1 very dissatisfied) */
const evaluationData = z.strictObject({
  caseNo: text(64),
  itemCode,
  region: regionCode,
  agencyUscc: uscc,
  score: wholeNumber(1, 5),
  channel: z.enum(['web', 'app', 'hall', 'phone', 'self-service']),
  evaluatedAt: isoDateTime,
  comment: z.optional(z.string().check(z.maxLength(500))),
});

export interface DatasetDefinition {
  readonly title: string;
  readonly schema: ZodMiniType;
  /** dotted paths of catalog item codes, checked against the catalog */
  readonly itemCodeFields: readonly string[];
  /** CSV columns that are not text: how to read their cells */
  readonly csvTypes: Readonly<Record<string, 'number' | 'boolean'>>;
}

export const DATASETS: Readonly<Record<DatasetName, DatasetDefinition>> = {
  items: {
    title: 'Local implementation of a catalog item (事项实施清单)',
    schema: itemData,
    itemCodeFields: ['itemCode'],
    csvTypes: { legalDays: 'number', promisedDays: 'number', onlineDepth: 'number', fee: 'boolean' },
  },
  cases: {
    title: 'A case handled on the sending platform (办件)',
    schema: caseData,
    itemCodeFields: ['itemCode'],
    csvTypes: {},
  },
  certificates: {
    title: 'Electronic certificate metadata (电子证照, GB/T 36903)',
    schema: certificateData,
    itemCodeFields: [],
    csvTypes: {},
  },
  evaluations: {
    title: 'A service evaluation (好差评)',
    schema: evaluationData,
    itemCodeFields: ['itemCode'],
    csvTypes: { score: 'number' },
  },
};

