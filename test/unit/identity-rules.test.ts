import { describe, expect, it } from '@jest/globals';
import { idNumberProblem, normalizeIdNumber } from '../../shared/codes/id-documents.js';
import { residentIdCheckChar } from '../../shared/codes/resident-id.js';
import { passwordProblem } from '../../shared/identity/password-policy.js';
import { newRefreshToken, refreshTokenHash, sessionIdOfRefreshToken } from '../../shared/identity/refresh-tokens.js';

describe('password policy', () => {
  it('accepts long passphrases and refuses short, common, repeated and sequential ones', () => {
    expect(passwordProblem('Blue-Harbour-Lantern-42')).toBeUndefined();
    expect(passwordProblem('correct horse battery')).toBeUndefined();
    expect(passwordProblem('Short-1')).toBe('must be at least 10 characters');
    expect(passwordProblem('x'.repeat(129))).toBe('must be at most 128 characters');
    for (const weak of ['Password123', 'WOAINI1314', '1qaz2wsx3edc', 'abcabcabcabc', 'zzzzzzzzzz', 'abcdefghijk', '9876543210']) {
      expect(passwordProblem(weak)).toBe('is too common or too easy to guess');
    }
  });

  it('counts characters, not UTF-16 units, and refuses the account\'s own numbers inside', () => {
    expect(passwordProblem('我的密码很长很安全啊')).toBeUndefined();
    expect(passwordProblem('my13912345678pw', ['13912345678'])).toBe('must not contain your phone or ID number');
    expect(passwordProblem('id-330106199003071236', [undefined, '330106199003071236'])).toBe('must not contain your phone or ID number');
  });
});

describe('identity documents', () => {
  it('checks each document type by its own format', () => {
    expect(idNumberProblem('resident-id', '330106199003071236')).toBeUndefined();
    expect(idNumberProblem('resident-id', '330106199003071235')).toBe('has a wrong check digit');
    expect(idNumberProblem('hk-mo-permit', 'h12345678')).toBeUndefined();
    expect(idNumberProblem('hk-mo-permit', 'H1234567890')).toBeUndefined();
    expect(idNumberProblem('hk-mo-permit', 'A12345678')).toBeDefined();
    expect(idNumberProblem('tw-permit', '12345678')).toBeUndefined();
    expect(idNumberProblem('tw-permit', '1234567')).toBeDefined();
    expect(idNumberProblem('passport', 'E 1234 5678')).toBeUndefined();
    expect(idNumberProblem('passport', 'E12')).toBeDefined();
    expect(idNumberProblem('foreign-permanent', 'USA123456789012')).toBeUndefined();
  });

  it('checks the 2023 foreign permanent residence card by the GB 11643 check character', () => {
    const first17 = '93310619900307123';
    const valid = first17 + residentIdCheckChar(first17);
    expect(idNumberProblem('foreign-permanent', valid)).toBeUndefined();
    expect(idNumberProblem('foreign-permanent', first17 + (valid.endsWith('1') ? '2' : '1'))).toBe('has a wrong check digit');
    expect(normalizeIdNumber(' e1234 5678 ')).toBe('E12345678');
  });
});

describe('refresh tokens', () => {
  it('carry their session id before 256 random bits, and are stored only as a hash', () => {
    const { token, hash } = newRefreshToken('01JD0000000000000000000000');
    expect(token).toMatch(/^01JD0000000000000000000000\.[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(refreshTokenHash(token));
    expect(hash).not.toContain(token.split('.')[1]);
    expect(sessionIdOfRefreshToken(token)).toBe('01JD0000000000000000000000');
    expect(newRefreshToken('01JD0000000000000000000000').token).not.toBe(token);
  });

  it('finds no session in anything else', () => {
    for (const other of ['', 'garbage', '01JD0000000000000000000000', '01JD0000000000000000000000.short', `not-a-ulid-000000000000000.${'A'.repeat(43)}`]) {
      expect(sessionIdOfRefreshToken(other)).toBeUndefined();
    }
  });
});
