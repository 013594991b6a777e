import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { DatasetName } from './dataset-names.js';
import { setPath, takePath } from './data-paths.js';
import { PERSONAL_FIELDS } from './personal-fields.js';

/** record data at rest: personal fields taken out, each sealed with a masked copy beside it */
export interface ProtectedData {
  readonly fields: Record<string, unknown>;
  /** dotted path → sealed value and its mask */
  readonly personal: Record<string, { readonly sealed: string; readonly masked: string }>;
}

/**
 * Takes the dataset's personal fields out of `data` and seals them (DESIGN §4: personal data is
 * stored encrypted), keeping a masked copy so most readers never need the key. Works on invalid
 * data too (quarantine), so a value of any type is sealed as its JSON text.
 */
export async function protectRecordData(protector: PersonalDataProtector, dataset: DatasetName, data: Record<string, unknown>): Promise<ProtectedData> {
  const fields = structuredClone(data);
  const personal: Record<string, { sealed: string; masked: string }> = {};
  for (const field of PERSONAL_FIELDS[dataset]) {
    const value = takePath(fields, field.path);
    if (value === undefined) continue;
    const clear = typeof value === 'string' ? value : JSON.stringify(value);
    personal[field.path] = { sealed: await protector.seal(clear), masked: field.mask(clear) };
  }
  return { fields, personal };
}

/**
 * The data a reader may see: personal fields in clear where `clearFields` names them (the
 * consumer's grant), masked everywhere else.
 */
export async function revealRecordData(protector: PersonalDataProtector, stored: ProtectedData, clearFields: readonly string[]): Promise<Record<string, unknown>> {
  const data = maskedRecordData(stored);
  for (const [path, value] of Object.entries(stored.personal)) {
    if (clearFields.includes(path)) setPath(data, path, await protector.open(value.sealed));
  }
  return data;
}

/** the data with every personal field masked: what administrators and the quarantine show */
export function maskedRecordData(stored: ProtectedData): Record<string, unknown> {
  const data = structuredClone(stored.fields);
  for (const [path, value] of Object.entries(stored.personal)) setPath(data, path, value.masked);
  return data;
}
