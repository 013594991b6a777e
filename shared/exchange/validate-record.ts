import { ValidationError, type FieldIssue } from '../errors.js';
import { parseInput } from '../http/validation.js';
import type { ItemCodes } from '../ports/item-codes.js';
import { getPath } from './data-paths.js';
import type { DatasetName } from './dataset-names.js';
import { DATASETS } from './datasets.js';
import type { ExchangeRecord } from './exchange-messages.js';

/** Remembers catalog answers for the records of one message, so a batch asks once per code. */
export type ItemCodeCache = Map<string, Promise<boolean>>;

/**
 * The master-data and metadata problems of one record (empty when it is valid):
 * 1. a delete carries no data to check;
 * 2. an upsert needs data that passes its dataset's schema: required fields, types, value ranges,
 *    code tables (regions, check characters) and cross-field rules;
 * 3. referential checks: every item code must exist in the catalog.
 */
export async function recordProblems(deps: { itemCodes: ItemCodes; cache?: ItemCodeCache }, dataset: DatasetName, record: ExchangeRecord): Promise<FieldIssue[]> {
  if (record.op === 'delete') return [];
  if (record.data === undefined) return [{ field: 'data', message: 'is required for upsert' }];
  const definition = DATASETS[dataset];
  try {
    parseInput(definition.schema, record.data, 'data');
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  const issues: FieldIssue[] = [];
  for (const path of definition.itemCodeFields) {
    const code = getPath(record.data, path);
    if (typeof code === 'string' && !(await itemExists(deps, code))) issues.push({ field: `data.${path}`, message: 'is not an item of the catalog' });
  }
  return issues;
}

function itemExists(deps: { itemCodes: ItemCodes; cache?: ItemCodeCache }, code: string): Promise<boolean> {
  if (!deps.cache) return deps.itemCodes.exists(code);
  let known = deps.cache.get(code);
  if (!known) {
    known = deps.itemCodes.exists(code);
    deps.cache.set(code, known);
  }
  return known;
}
