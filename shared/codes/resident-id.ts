/**
 * Citizen identity numbers (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit
 * sequence, check character. The check character is ISO 7064 MOD 11-2 over the first 17 digits.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Why a resident ID number is invalid, or undefined when it is valid (a lower-case x is accepted as X). */
export function residentIdProblem(value: string, today: Date = new Date()): string | undefined {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 18 characters: 17 digits and a check digit or X';
  if (!/^[1-9]\d{5}$/.test(id.slice(0, 6))) return 'does not start with a valid region code';
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day || birth > today) {
    return 'does not carry a valid birth date';
  }
  if (residentIdCheckChar(id) !== id[17]) return 'has a wrong check digit';
  return undefined;
}

export const normalizeResidentId = (value: string) => value.trim().toUpperCase();

export function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}
