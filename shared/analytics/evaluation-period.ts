import { invalidField } from '../errors.js';

/** A period of the service evaluation: a year, a quarter or a month, as whole calendar months (China Standard Time). */
export interface EvaluationPeriod {
  /** as asked: YYYY, YYYY-Qn or YYYY-MM */
  readonly text: string;
  /** the months it covers, YYYY-MM, in order */
  readonly months: readonly string[];
  /** first and last day, YYYY-MM-DD */
  readonly from: string;
  readonly to: string;
}

const PERIOD = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/;

/**
 * Reads a period: `YYYY` (12 months), `YYYY-Qn` (n = 1..4, three months) or `YYYY-MM`; anything
 * else, or a year outside 2000–2099, is a 422 naming the field.
 */
export function parsePeriod(text: string): EvaluationPeriod {
  const match = PERIOD.exec(text);
  const year = match ? Number(match[1]) : Number.NaN;
  if (!match || year < 2000 || year > 2099) throw invalidField('period', 'must be a year YYYY, a quarter YYYY-Qn (n 1-4) or a month YYYY-MM, from 2000 to 2099');
  const first = match[2] ? (Number(match[2]) - 1) * 3 + 1 : match[3] ? Number(match[3]) : 1;
  const count = match[2] ? 3 : match[3] ? 1 : 12;
  const months = Array.from({ length: count }, (_, index) => `${match[1]}-${String(first + index).padStart(2, '0')}`);
  const last = months[months.length - 1]!;
  const lastDay = new Date(Date.UTC(year, Number(last.slice(5)), 0)).getUTCDate();
  return { text, months, from: `${months[0]}-01`, to: `${last}-${String(lastDay).padStart(2, '0')}` };
}

/**
 * The GB/T 2260 prefix that every region within a region starts with: a province (two trailing
 * pairs of zeros) covers its cities and counties, a city (one pair) its counties.
 */
export function regionPrefix(region: string): string {
  if (region.endsWith('0000')) return region.slice(0, 2);
  if (region.endsWith('00')) return region.slice(0, 4);
  return region;
}
