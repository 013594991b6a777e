import { randomInt } from 'node:crypto';
import { chinaDate } from '../workflow/working-calendar.js';

/** Crockford base32, as ULIDs spell them: no I, L, O, U */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DAY_MS = 24 * 3600_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

export const CASE_NO_PATTERN = /^\d{6}-\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * A case number: `<region>-<yyyymmdd>-<8 characters>`, e.g. 330106-20261127-0K3F9Q7B.
 * - region: the GB/T 2260 code of the implementing region, so a number says where it is handled;
 * - date: the submission day in China Standard Time, so numbers sort by date;
 * - 8 characters in ULID's base32: 6 for the millisecond of that day (numbers of one day sort by
 *   time) and 2 random ones (1,024 per millisecond); the rare equal number is caught by the
 *   conditional write of the new case, which then draws again.
 */
export function newCaseNumber(region: string, at: Date): string {
  const day = chinaDate(at);
  const msOfDay = (at.getTime() + CHINA_OFFSET_MS) % DAY_MS;
  return `${region}-${day.replace(/-/g, '')}-${base32(msOfDay, 6)}${base32(randomInt(0, 32 * 32), 2)}`;
}

function base32(value: number, length: number): string {
  let out = '';
  for (let rest = value, i = 0; i < length; i++, rest = Math.floor(rest / 32)) out = ALPHABET[rest % 32] + out;
  return out;
}
