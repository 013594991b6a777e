import { residentIdCheckChar, residentIdProblem } from './resident-id.js';

/** Identity documents a natural person registers with. */
export const ID_TYPES = ['resident-id', 'hk-mo-permit', 'tw-permit', 'passport', 'foreign-permanent'] as const;
export type IdType = (typeof ID_TYPES)[number];

/** the normal form of a document number: trimmed, upper case, without inner spaces */
export const normalizeIdNumber = (value: string) => value.replace(/\s+/g, '').toUpperCase();

/**
 * Why a document number is invalid for its type, or undefined.
 * - resident-id: GB 11643 (region, birth date, check character);
 * - hk-mo-permit: 港澳居民来往内地通行证, H or M and 8 digits (10 for the older books);
 * - tw-permit: 台湾居民来往大陆通行证, 8 digits (10 for the older books);
 * - passport: 5 to 17 letters and digits (ICAO 9303 allows up to 9 in the MRZ, national forms vary);
 * - foreign-permanent: 外国人永久居留身份证, the 2017 form (3 letters, 12 digits) or the 2023 form
 *   (18 characters starting with 9, with the GB 11643 check character).
 */
export function idNumberProblem(idType: IdType, raw: string, today?: Date): string | undefined {
  const value = normalizeIdNumber(raw);
  switch (idType) {
    case 'resident-id':
      return residentIdProblem(value, today);
    case 'hk-mo-permit':
      return /^[HM]\d{8}(\d{2})?$/.test(value) ? undefined : 'must be H or M followed by 8 or 10 digits';
    case 'tw-permit':
      return /^\d{8}(\d{2})?$/.test(value) ? undefined : 'must be 8 or 10 digits';
    case 'passport':
      return /^[A-Z0-9]{5,17}$/.test(value) ? undefined : 'must be 5 to 17 letters and digits';
    case 'foreign-permanent':
      if (/^[A-Z]{3}\d{12}$/.test(value)) return undefined;
      if (/^9\d{16}[\dX]$/.test(value)) return residentIdCheckChar(value) === value[17] ? undefined : 'has a wrong check digit';
      return 'must be 3 letters and 12 digits, or 18 characters starting with 9';
  }
}
