import { describe, expect, it } from '@jest/globals';
import { residentIdCheckChar, residentIdProblem } from '../../shared/codes/resident-id.js';
import { usccCheckChar, usccProblem } from '../../shared/codes/uscc.js';
import { mobileProblem, normalizeMobile } from '../../shared/codes/phone.js';
import { maskIdNumber, maskPhone } from '../../shared/codes/masking.js';

describe('resident ID numbers (GB 11643)', () => {
  const today = new Date('2026-11-27T00:00:00Z');
  it.each(['330106199003071236', '110101198511124560', '440305200105202386', '11010519491231002X', '11010519491231002x'])('accepts %s', (id) => {
    expect(residentIdProblem(id, today)).toBeUndefined();
  });
  it('computes the check character', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });
  it.each([
    ['330106199003071237', 'check digit'],
    ['330106199002301236', 'birth date'],
    ['330106209003071236', 'birth date'],
    ['33010619900307123', '18 characters'],
    ['030106199003071236', 'region code'],
    ['33010619900307123A', '18 characters'],
  ])('refuses %s (%s)', (id, reason) => {
    expect(residentIdProblem(id, today)).toContain(reason);
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it.each(['91330106MA2B3C4D5D', '91110101MA01ABCD2C', '12440300455123456G', '51330100MJ1234567Q', '91350100M000100Y43'])('accepts %s', (code) => {
    expect(usccProblem(code)).toBeUndefined();
  });
  it('refuses a wrong check character and forbidden letters', () => {
    expect(usccProblem('91330106MA2B3C4D5E')).toContain('check character');
    expect(usccProblem('91330106MA2B3C4DIO')).toContain('letters');
    expect(usccProblem('9133010')).toContain('18');
  });
  it('maps a remainder of 0 to the character 0', () => {
    const base = '9133010600000000';
    const found = [...'0123456789ABCDEFGHJKLMNPQRTUWXY'].map((c) => base + c).find((first17) => usccCheckChar(first17) === '0');
    expect(found).toBeDefined();
    expect(usccProblem(`${found}0`)).toBeUndefined();
  });
});

describe('mobile numbers and masks', () => {
  it('normalises +86 and spaces', () => {
    expect(normalizeMobile('+86 138 1234 5678')).toBe('13812345678');
    expect(mobileProblem('+8613812345678')).toBeUndefined();
    expect(mobileProblem('12812345678')).toBeDefined();
    expect(mobileProblem('1381234567')).toBeDefined();
  });
  it('masks', () => {
    expect(maskIdNumber('330106199003071236')).toBe('3301**********1236');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
