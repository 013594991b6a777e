import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadIdentityRegistry, simulatedIdentityAuthorities, type IdentityRegistry } from '../../shared/adapters/local/simulated-identity-authorities.js';
import type { IdentityAuthorities } from '../../shared/ports/identity-authorities.js';
import { ManualClock } from '../support/manual-clock.js';

let registry: IdentityRegistry;
let authorities: IdentityAuthorities;
const clock = new ManualClock('2030-06-01T00:00:00Z');

beforeAll(async () => {
  registry = await loadIdentityRegistry();
  authorities = simulatedIdentityAuthorities(registry, clock);
});

describe('simulated verification authorities (the test registry)', () => {
  it('load the project copy of the registry', () => {
    expect(registry.people.length).toBeGreaterThanOrEqual(10);
    expect(registry.organizations.map((o) => o.uscc)).toContain('91330106MA2B3C4D5D');
  });

  it('confirm an ID card only with its number, name and validity, and refuse an expired one', async () => {
    expect(await authorities.idCard.verify({ name: '张测试', idNumber: '330106199003071236', validUntil: '长期' })).toEqual({ confirmed: true });
    expect(await authorities.idCard.verify({ name: '张测', idNumber: '330106199003071236', validUntil: '长期' })).toEqual({ confirmed: false, reason: 'no-match' });
    expect(await authorities.idCard.verify({ name: '张测试', idNumber: '330106199003071236', validUntil: '2036-01-01' })).toEqual({ confirmed: false, reason: 'no-match' });
    const later = simulatedIdentityAuthorities(registry, new ManualClock('2036-01-02T00:00:00Z'));
    expect(await later.idCard.verify({ name: '李示例', idNumber: '110101198511124560', validUntil: '2036-01-01' })).toEqual({ confirmed: false, reason: 'expired' });
  });

  it('confirm social security, liveness and NFC reads only for the person they belong to', async () => {
    expect((await authorities.socialSecurity.verify({ name: '王样本', idNumber: '440305200105202386', regionCode: '440300', ssNumber: '440305200105202386' })).confirmed).toBe(true);
    expect((await authorities.socialSecurity.verify({ name: '王样本', idNumber: '440305200105202386', regionCode: '440100', ssNumber: '440305200105202386' })).confirmed).toBe(false);
    expect(await authorities.liveness.verify({ name: '李示例', idNumber: '110101198511124560', livenessToken: 'live-2' })).toEqual({ confirmed: true });
    expect(await authorities.liveness.verify({ name: '李示例', idNumber: '110101198511124560', livenessToken: 'live-1' })).toEqual({ confirmed: false, reason: 'no-match' });
    expect(await authorities.liveness.verify({ name: '李示例', idNumber: '110101198511124560', livenessToken: 'made-up' })).toEqual({ confirmed: false, reason: 'unknown-token' });
    expect((await authorities.nfcReader.verify({ name: '赵演示', idNumber: '510104197709180911', nfcToken: 'nfc-1' })).confirmed).toBe(false);
    expect((await authorities.nfcReader.verify({ name: '张测试', idNumber: '330106199003071236', nfcToken: 'nfc-1' })).confirmed).toBe(true);
  });

  it('confirm an organisation by USCC and its exact registered name', async () => {
    expect((await authorities.marketRegulation.verify({ uscc: '91330106ma2b3c4d5d', name: '示例科技有限公司' })).confirmed).toBe(true);
    expect((await authorities.marketRegulation.verify({ uscc: '91330106MA2B3C4D5D', name: '示例科技公司' })).confirmed).toBe(false);
  });
});
