import { describe, it, expect } from '@jest/globals';
import { isExpired, ttlFromNow } from '../../shared/tables/expiry.js';

describe('item expiry', () => {
  const now = new Date('2025-06-01T00:00:00.250Z');
  const nowSeconds = Date.parse('2025-06-01T00:00:00Z') / 1000;

  it('treats a numeric TTL before now as expired', () => {
    expect(isExpired({ expiresAt: nowSeconds - 1 }, 'expiresAt', now)).toBe(true);
    expect(isExpired({ expiresAt: nowSeconds }, 'expiresAt', now)).toBe(true);
    expect(isExpired({ expiresAt: nowSeconds + 1 }, 'expiresAt', now)).toBe(false);
  });

  it('never expires items without a numeric TTL, as DynamoDB TTL keeps them', () => {
    expect(isExpired({ expiresAt: String(nowSeconds - 100) }, 'expiresAt', now)).toBe(false);
    expect(isExpired({ other: nowSeconds - 100 }, 'expiresAt', now)).toBe(false);
    expect(isExpired(undefined, 'expiresAt', now)).toBe(false);
  });

  it('gives a TTL at least the requested seconds away, in whole epoch seconds', () => {
    const ttl = ttlFromNow(now, 300);
    expect(Number.isInteger(ttl)).toBe(true);
    expect(ttl).toBe(nowSeconds + 301);
    expect(isExpired({ expiresAt: ttl }, 'expiresAt', new Date(now.getTime() + 300_000))).toBe(false);
  });
});
