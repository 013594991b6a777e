import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityAuditTrail } from '../../shared/identity/audit-trail.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';
import { latestSmsCode, login, phoneNumbers, residentId, smsCodeFor, STRONG_PASSWORD } from '../support/identity-helpers.js';

let platform: TestPlatform;
const clock = new ManualClock(new Date());
const nextPhone = phoneNumbers('1391');
let idSequence = 100;
const nextIdNumber = () => residentId('1990-01-01', idSequence++);
const withWrongCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

beforeAll(async () => {
  platform = await startTestPlatform({ clock });
});
afterAll(async () => {
  await platform?.close();
});

const register = (body: Record<string, unknown>) => platform.call('POST', '/v1/identity/registrations', { body });
const natural = (overrides: Record<string, unknown> = {}) => ({
  type: 'natural',
  name: '测试人',
  idType: 'resident-id',
  idNumber: nextIdNumber(),
  phone: nextPhone(),
  password: STRONG_PASSWORD,
  ...overrides,
});
/** a legal person registered with its representative, as in the registry unless overridden */
const organisation = (name: string, uscc: string, representative: { name: string; idNumber: string }, type = 'legal') => ({
  type,
  name,
  uscc,
  representative,
  phone: nextPhone(),
  password: STRONG_PASSWORD,
});
const fieldsOf = (res: { body: { error: { details?: { field: string }[] } } }) => (res.body.error.details ?? []).map((d) => d.field).sort();
const auditOf = async (accountId: string) => identityAuditTrail(platform.runtime.dependencies.tables).list({ accountId });

describe('registration of natural persons', () => {
  it('creates a level-1 account whose profile shows personal data masked', async () => {
    const body = natural({ idNumber: residentId('1985-06-15', 123), email: 'Someone@Example.CN' });
    const res = await register(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ subjectType: 'natural', level: 1, verifiedMethods: ['password'] });
    expect(res.text).not.toContain(body.idNumber);

    const { accessToken } = await login(platform, body.phone as string, STRONG_PASSWORD);
    const me = await platform.call('GET', '/v1/identity/me', { token: accessToken });
    expect(me.body).toMatchObject({ level: 1, idNumber: `${(body.idNumber as string).slice(0, 4)}**********${(body.idNumber as string).slice(-4)}`, email: 'someone@example.cn' });
    expect(me.body.phone).toMatch(/^139\*{4}\d{4}$/);
    expect(me.text).not.toContain(body.idNumber);
    expect(me.text).not.toContain(body.phone);
    // every login name works: ID number and email too
    await login(platform, body.idNumber as string, STRONG_PASSWORD);
    await login(platform, 'someone@example.cn', STRONG_PASSWORD);
    expect((await auditOf(res.body.accountId)).map((e) => e.action)).toEqual(['registered', 'login-succeeded', 'login-succeeded', 'login-succeeded']);
  });

  it('starts at level 2 with an SMS code sent for registration, which works once', async () => {
    const body = natural();
    const code = await smsCodeFor(platform, body.phone as string, 'register');
    expect(code).toMatch(/^\d{6}$/);
    const res = await register({ ...body, smsCode: code });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ level: 2, verifiedMethods: ['password', 'sms'] });

    const again = await register(natural({ phone: nextPhone(), smsCode: code }));
    expect(again.status).toBe(422);
    expect(fieldsOf(again)).toEqual(['smsCode']);
  });

  it('accepts other identity documents in their own formats', async () => {
    expect((await register(natural({ idType: 'passport', idNumber: 'E12345678' }))).status).toBe(201);
    expect((await register(natural({ idType: 'hk-mo-permit', idNumber: 'H12345678' }))).status).toBe(201);
    const bad = await register(natural({ idType: 'hk-mo-permit', idNumber: 'X1234' }));
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad)).toEqual(['idNumber']);
  });
});

describe('validation: 422 naming each failing field, nothing stored', () => {
  it('refuses a wrong ID check digit, an impossible birth date and a bad phone', async () => {
    const res = await register(natural({ idNumber: withWrongCheckDigit(nextIdNumber()) }));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'idNumber', message: 'has a wrong check digit' }]);

    const impossible = residentId('1992-02-30', 211);
    expect((await register(natural({ idNumber: impossible }))).body.error.details).toEqual([{ field: 'idNumber', message: 'does not carry a valid birth date' }]);

    const phone = await register(natural({ phone: '12345' }));
    expect(fieldsOf(phone)).toEqual(['phone']);
  });

  it('refuses weak passwords: too short, common, or containing the phone number', async () => {
    for (const password of ['short', 'password123', '1234567890', 'aaaaaaaaaaaa', 'qwertyuiop']) {
      const res = await register(natural({ password }));
      expect(res.status).toBe(422);
      expect(fieldsOf(res)).toEqual(['password']);
    }
    const phone = nextPhone();
    const res = await register(natural({ phone, password: `my-${phone}-pw` }));
    expect(res.body.error.details).toEqual([{ field: 'password', message: 'must not contain your phone or ID number' }]);
  });

  it('names every failing field at once and stores nothing', async () => {
    const phone = nextPhone();
    const res = await register({ type: 'natural', name: '', idType: 'resident-id', idNumber: withWrongCheckDigit(nextIdNumber()), phone, password: 'weak', extra: true });
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toEqual(['extra', 'idNumber', 'name', 'password']);
    expect((await register(natural({ phone }))).status).toBe(201);
  });

  it('refuses a USCC with a wrong check character and a representative with a bad ID', async () => {
    const res = await register(organisation('某某有限公司', '91330106MA2B3C4D5E', { name: '张测试', idNumber: '330106199003071235' }));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { field: 'uscc', message: 'has a wrong check character' },
      { field: 'representative.idNumber', message: 'has a wrong check digit' },
    ]);
  });
});

describe('uniqueness: 409 with nothing written', () => {
  it('refuses a second account for the same ID number, and keeps the new phone free', async () => {
    const first = natural();
    expect((await register(first)).status).toBe(201);
    const freshPhone = nextPhone();
    const duplicate = await register(natural({ idNumber: first.idNumber, phone: freshPhone }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'already_registered', message: 'Already registered: resident-id' });
    // the transaction wrote nothing: the phone of the refused registration is still free
    expect((await register(natural({ phone: freshPhone }))).status).toBe(201);
  });

  it('refuses a second account for the same phone or the same USCC', async () => {
    const first = natural();
    await register(first);
    expect((await register(natural({ phone: first.phone }))).status).toBe(409);

    const dup = await register(organisation('示例科技有限公司', '91330106MA2B3C4D5D', { name: '张测试', idNumber: '330106199003071236' }));
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('Already registered: uscc');
  });
});

describe('SMS codes', () => {
  it('allows 5 codes per phone per hour, then 429 until the hour has passed', async () => {
    const phone = nextPhone();
    for (let i = 0; i < 5; i++) {
      const res = await platform.call('POST', '/v1/identity/sms-codes', { body: { phone, purpose: 'register' } });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ expiresIn: 300 });
    }
    const sixth = await platform.call('POST', '/v1/identity/sms-codes', { body: { phone, purpose: 'login' } });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('too_many_sms_codes');
    clock.advance(3601);
    expect((await platform.call('POST', '/v1/identity/sms-codes', { body: { phone, purpose: 'register' } })).status).toBe(202);
  });

  it('refuses a code after 5 wrong tries, even the right one (429), and a code older than 5 minutes', async () => {
    const body = natural();
    const code = await smsCodeFor(platform, body.phone as string, 'register');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await register({ ...body, smsCode: wrong });
      expect(res.status).toBe(422);
    }
    const sixth = await register({ ...body, smsCode: code });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('too_many_attempts');

    const fresh = await smsCodeFor(platform, body.phone as string, 'register');
    clock.advance(301);
    expect((await register({ ...body, smsCode: fresh })).status).toBe(422);
  });

  it('logs in with phone and SMS code, once per code; login codes go only to registered phones', async () => {
    const body = natural();
    await register(body);
    const code = await smsCodeFor(platform, body.phone as string, 'login');
    const res = await platform.call('POST', '/v1/identity/sessions', { body: { phone: body.phone, smsCode: code } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const again = await platform.call('POST', '/v1/identity/sessions', { body: { phone: body.phone, smsCode: code } });
    expect(again.status).toBe(401);

    const stranger = nextPhone();
    expect((await platform.call('POST', '/v1/identity/sms-codes', { body: { phone: stranger, purpose: 'login' } })).status).toBe(202);
    await expect(latestSmsCode(platform, stranger)).rejects.toThrow('no SMS code');
  });

  it('refuses mixing the two login forms', async () => {
    const res = await platform.call('POST', '/v1/identity/sessions', { body: { username: 'x', phone: '13900000000' } });
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toEqual(['smsCode', 'username']);
  });
});

describe('login failures and lockout', () => {
  it('answers a wrong password and an unknown account alike, and locks after 10 failures in 15 minutes', async () => {
    const body = natural();
    const { body: created } = await register(body);
    const wrong = await platform.call('POST', '/v1/identity/sessions', { body: { username: body.phone, password: 'Wrong-Password-123' } });
    const unknown = await platform.call('POST', '/v1/identity/sessions', { body: { username: nextPhone(), password: 'Wrong-Password-123' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);

    for (let i = 2; i <= 10; i++) {
      expect((await platform.call('POST', '/v1/identity/sessions', { body: { username: body.phone, password: `Wrong-Password-${i}` } })).status).toBe(401);
    }
    const locked = await platform.call('POST', '/v1/identity/sessions', { body: { username: body.idNumber, password: STRONG_PASSWORD } });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'account_locked', details: { retryAfterSeconds: 900 } });

    const actions = (await auditOf(created.accountId)).map((e) => e.action);
    expect(actions.filter((a) => a === 'login-failed')).toHaveLength(10);
    expect(actions).toContain('account-locked');

    clock.advance(15 * 60 + 1);
    expect((await platform.call('POST', '/v1/identity/sessions', { body: { username: body.phone, password: STRONG_PASSWORD } })).status).toBe(201);
  });

  it('locks an unknown login name the same way, revealing nothing', async () => {
    const name = nextPhone();
    for (let i = 0; i < 10; i++) await platform.call('POST', '/v1/identity/sessions', { body: { username: name, password: 'Wrong-Password-123' } });
    const res = await platform.call('POST', '/v1/identity/sessions', { body: { username: name, password: 'Wrong-Password-123' } });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('account_locked');
  });
});

describe('organisations', () => {
  it('register at level 1 and reach level 3 when market regulation and the representative\'s ID card confirm them', async () => {
    const res = await register(organisation('杭州测试社会团体', '51330100MJ1234567Q', { name: '钱校验', idNumber: '330102196812317727' }, 'organization'));
    expect(res.status).toBe(201);
    expect(res.body.level).toBe(1);
    const { accessToken } = await login(platform, '51330100MJ1234567Q', STRONG_PASSWORD);
    const upgrade = (evidence: Record<string, string>) => platform.call('POST', '/v1/identity/level-upgrades', { token: accessToken, body: { method: 'id-card', evidence } });

    const notTheRepresentative = await upgrade({ name: '张测试', idNumber: '330106199003071236', validUntil: '长期' });
    expect(notTheRepresentative.status).toBe(422);
    expect(notTheRepresentative.body.error.code).toBe('verification_failed');

    const ok = await upgrade({ name: '钱校验', idNumber: '330102196812317727', validUntil: '2036-01-01' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ level: 3, previousLevel: 1 });
    expect(ok.body.verifiedMethods).toEqual(expect.arrayContaining(['market-regulation', 'id-card']));

    const me = await platform.call('GET', '/v1/identity/me', { token: accessToken });
    expect(me.body).toMatchObject({ subjectType: 'organization', uscc: '5133**********567Q', representative: { name: '钱**', idNumber: '3301**********7727' } });
    const actions = (await auditOf(res.body.accountId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['level-upgrade-refused', 'level-raised']));
  });

  it('stays at level 1 when the registered name is not the one market regulation knows', async () => {
    const res = await register(organisation('样本贸易有限责任公司', '91110101MA01ABCD2C', { name: '李示例', idNumber: '110101198511124560' }));
    const { accessToken } = await login(platform, '91110101MA01ABCD2C', STRONG_PASSWORD);
    const upgrade = await platform.call('POST', '/v1/identity/level-upgrades', {
      token: accessToken,
      body: { method: 'id-card', evidence: { name: '李示例', idNumber: '110101198511124560', validUntil: '2036-01-01' } },
    });
    expect(upgrade.status).toBe(422);
    expect((await accountRepository(platform.runtime.dependencies.tables).get(res.body.accountId))?.level).toBe(1);
  });
});
