import { maskIdNumber, maskName, maskPhone } from '../codes/masking.js';
import type { DatasetName } from './dataset-names.js';

/** A personal-data field of a dataset: stored sealed, shown masked unless a consumer's grant names it. */
export interface PersonalField {
  /** dotted path inside `data` */
  readonly path: string;
  readonly mask: (value: string) => string;
}

/** the personal fields of each dataset (names, ID numbers, phone numbers of people) */
export const PERSONAL_FIELDS: Readonly<Record<DatasetName, readonly PersonalField[]>> = {
  items: [],
  cases: [
    { path: 'applicant.name', mask: maskName },
    { path: 'applicant.idNumber', mask: maskIdNumber },
    { path: 'phone', mask: maskPhone },
  ],
  certificates: [
    { path: 'holderName', mask: maskName },
    { path: 'holderCode', mask: maskIdNumber },
  ],
  evaluations: [],
};
