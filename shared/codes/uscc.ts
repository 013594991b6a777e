/**
 * Unified social credit codes (GB 32100-2015): 18 characters from 0-9 and A-Y without I, O, Z, S, V;
 * registration authority, organisation type, region code, organisation code, check character.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new Error('not a USCC character');
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Why a USCC is invalid, or undefined when it is valid. */
export function usccProblem(value: string): string | undefined {
  const code = value.toUpperCase();
  if (code.length !== 18) return 'must be 18 characters';
  if (![...code].every((c) => ALPHABET.includes(c))) return 'may only contain digits and the letters A-Y except I, O, S, V, Z';
  if (!/^[1-9A-HJ-NP-RTUWXY][1-9A-HJ-NP-RTUWXY]\d{6}/.test(code)) return 'does not start with a registration authority, type and region code';
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return 'has a wrong check character';
  return undefined;
}

export const normalizeUscc = (value: string) => value.trim().toUpperCase();
