import * as z from 'zod/mini';
import { ValidationError, type FieldIssue } from '../errors.js';
import { sha256Hex } from '../http/common-schemas.js';
import { setPath } from './data-paths.js';
import type { DatasetName } from './dataset-names.js';
import { DATASETS } from './datasets.js';
import { exchangeRecord, type ExchangeRecord } from './exchange-messages.js';

export type ExchangeFileFormat = 'csv' | 'json';

/** the records of an exchange file and, when the file declares them, its count and digest */
export interface ParsedExchangeFile {
  readonly records: ExchangeRecord[];
  readonly declared?: { readonly recordCount: number; readonly digest: string };
}

export const MAX_FILE_RECORDS = 100_000;
const MAX_REPORTED_ISSUES = 100;

const jsonFile = z.union([
  z.array(z.unknown()),
  z.strictObject({
    records: z.array(z.unknown()),
    recordCount: z.optional(z.number().check(z.int(), z.minimum(0))),
    digest: z.optional(sha256Hex),
  }),
]);

/**
 * Reads an exchange file (POST /v1/exchange/files).
 * - JSON: an array of records `{ id, op, version, data }`, or `{ "records": [...], "recordCount"?, "digest"? }`
 *   where count and digest are declared like a batch manifest;
 * - CSV (RFC 4180, UTF-8, header row): columns `id`, `version`, optionally `op` (default upsert), and one
 *   column per data field, nested fields by dotted name (`applicant.name`); an empty cell leaves the
 *   field out; the dataset says which columns hold numbers or booleans.
 * Throws a ValidationError naming each bad record ("records.3.version") or CSV line ("line 4").
 */
export function parseExchangeFile(format: ExchangeFileFormat, text: string, dataset: DatasetName): ParsedExchangeFile {
  const parsed = format === 'json' ? readJsonFile(text) : { rows: readCsvRecords(text, dataset) };
  if (parsed.rows.length > MAX_FILE_RECORDS) throw new ValidationError([{ field: 'records', message: `a file holds at most ${MAX_FILE_RECORDS} records` }]);
  const issues: FieldIssue[] = [];
  const records: ExchangeRecord[] = [];
  parsed.rows.forEach((row, index) => {
    const result = exchangeRecord.safeParse(row);
    if (result.success) records.push(result.data);
    else for (const issue of result.error.issues) issues.push({ field: [format === 'csv' ? `line ${index + 2}` : `records.${index}`, ...issue.path.map(String)].join('.'), message: issue.message });
  });
  if (issues.length > 0) throw new ValidationError(issues.slice(0, MAX_REPORTED_ISSUES), 'The file has records that cannot be read');
  return { records, ...(parsed.declared ? { declared: parsed.declared } : {}) };
}

function readJsonFile(text: string): { rows: unknown[]; declared?: ParsedExchangeFile['declared'] } {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ValidationError([{ field: 'file', message: 'is not valid JSON' }]);
  }
  const result = jsonFile.safeParse(value);
  if (!result.success) throw new ValidationError([{ field: 'file', message: 'must be an array of records or { "records": [...], "recordCount"?, "digest"? }' }]);
  const file = result.data;
  if (Array.isArray(file)) return { rows: file };
  if ((file.recordCount === undefined) !== (file.digest === undefined)) {
    throw new ValidationError([{ field: 'file', message: 'recordCount and digest are declared together or not at all' }]);
  }
  return { rows: file.records, ...(file.digest !== undefined ? { declared: { recordCount: file.recordCount!, digest: file.digest } } : {}) };
}

function readCsvRecords(text: string, dataset: DatasetName): unknown[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header || !header.includes('id') || !header.includes('version')) {
    throw new ValidationError([{ field: 'line 1', message: 'the header row must name the columns, among them id and version' }]);
  }
  const types = DATASETS[dataset].csvTypes;
  return rows
    .filter((row) => row.some((cell) => cell !== ''))
    .map((row) => {
      const record: Record<string, unknown> = { op: 'upsert' };
      const data: Record<string, unknown> = {};
      header.forEach((column, index) => {
        const cell = row[index] ?? '';
        if (column === 'id' || column === 'op') record[column] = cell;
        else if (column === 'version') record.version = cell === '' ? cell : Number(cell);
        else if (cell !== '') setPath(data, column, typedCell(cell, types[column]));
      });
      if (record.op === 'upsert') record.data = data;
      return record;
    });
}

function typedCell(cell: string, type: 'number' | 'boolean' | undefined): unknown {
  if (type === 'number' && /^-?\d+(\.\d+)?$/.test(cell)) return Number(cell);
  if (type === 'boolean' && (cell === 'true' || cell === 'false')) return cell === 'true';
  return cell;
}

/** RFC 4180 fields: commas, CRLF or LF line ends, double quotes around fields holding either, "" for a quote */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (quoted) throw new ValidationError([{ field: `line ${rows.length + 1}`, message: 'a quoted field is not closed' }]);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** a record as an export file shows it */
export interface ExportedRecord {
  readonly id: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly data: Record<string, unknown>;
}

/**
 * Writes an export file (GET /v1/exchange/files/{dataset}). CSV columns: id, version, updatedAt and
 * the data fields by dotted name, in name order. Text cells that a spreadsheet would run as a
 * formula (starting with =, +, -, @) get a leading apostrophe (OWASP CSV injection advice).
 */
export function renderExchangeFile(format: ExchangeFileFormat, records: readonly ExportedRecord[]): string {
  if (format === 'json') return JSON.stringify({ records });
  const flattened = records.map((record) => flatten(record.data));
  const columns = [...new Set(flattened.flatMap((row) => Object.keys(row)))].sort();
  const lines = [['id', 'version', 'updatedAt', ...columns].join(',')];
  records.forEach((record, index) => {
    const row = flattened[index]!;
    lines.push([record.id, String(record.version), record.updatedAt, ...columns.map((column) => csvCell(row[column]))].join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== null && typeof member === 'object' && !Array.isArray(member)) Object.assign(out, flatten(member as Record<string, unknown>, `${prefix}${key}.`));
    else out[`${prefix}${key}`] = member;
  }
  return out;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
