import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseCertificateIdentifier } from '../../shared/certificates/certificate-identifier.js';
import { act, submittedCase } from '../support/case-helpers.js';
import { agencySeal } from '../support/certificate-fixtures.js';
import { envelope } from '../support/exchange-batches.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

/**
 * E-certificates (GB/T 39047 6.3.4) and the card wallet (6.1.10 g) over HTTP: a case approval
 * issues a certificate sealed with the issuing agency's seal; verification, revocation, relying
 * agencies with and without the holder's grant, the usage log, and certificates from data exchange.
 */
let platform: TestPlatform;
let admin: string;
let staff: string;
let citizen: string;
let relying: string;
let sealId: string;

const ITEM = 'SC-XK-0007'; // 食品经营许可, handled by agency A in 西湖区
const REGION = '330106';
const TYPE_CODE = '11330106JY0001';
const CITIZEN_ID = '330106199003071236';

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await platform.login('admin');
  staff = await platform.login('staff');
  citizen = await platform.login('citizen');
  relying = await platform.login('seal-authority');
  const agency = platform.account('staff');
  sealId = await agencySeal({ tables: platform.runtime.dependencies.tables, baseUrl: platform.url, authorityToken: relying, agencyUscc: agency.agencyUscc!, agencyName: agency.agency! });
  const type = await platform.call('POST', '/v1/certificate-types', {
    token: admin,
    body: {
      typeCode: TYPE_CODE,
      name: '食品经营许可证',
      issuerDepartment: agency.agency,
      issuerUscc: agency.agencyUscc,
      sealId,
      holderType: 'natural',
      fields: [
        { name: 'premises', type: 'string', required: true },
        { name: 'businessScope', type: 'string', required: true },
      ],
      validityYears: 5,
      itemCodes: [ITEM],
    },
  });
  if (type.status !== 201) throw new Error(`type: ${type.status} ${type.text}`);
});
afterAll(async () => {
  await platform?.close();
});

let identifier: string;

describe('issuance on case approval', () => {
  it('issues a sealed certificate that shows in the applicant\'s wallet with a valid check character', async () => {
    const caseNo = await submittedCase(platform, citizen, ITEM, REGION, { form: { premises: '杭州市西湖区文三路 1 号', businessScope: '热食类食品制售' } });
    expect((await act(platform, staff, caseNo, { action: 'accept' })).status).toBe(200);
    expect((await act(platform, staff, caseNo, { action: 'handle' })).status).toBe(200);
    const approved = await act(platform, staff, caseNo, { action: 'approve', result: { kind: 'certificate', title: '食品经营许可证' } });
    expect(approved.status).toBe(200);
    await platform.runtime.drainQueues();

    const wallet = await platform.call('GET', '/v1/me/wallet', { token: citizen });
    expect(wallet.status).toBe(200);
    expect(wallet.body.types).toHaveLength(1);
    const [certificate] = wallet.body.types[0].certificates;
    expect(certificate).toMatchObject({
      typeCode: TYPE_CODE,
      name: '食品经营许可证',
      holderName: '张测试',
      holderCodeType: 'resident-id',
      holderCode: CITIZEN_ID,
      issuerUscc: platform.account('staff').agencyUscc,
      status: 'valid',
      version: 1,
      caseNo,
      surface: { premises: '杭州市西湖区文三路 1 号', businessScope: '热食类食品制售' },
      source: 'local',
    });
    identifier = certificate.identifier;
    expect(parseCertificateIdentifier(identifier)).toMatchObject({ typeCode: TYPE_CODE, version: 1 });
    const last = identifier.length - 1;
    const otherCheck = identifier[last] === 'A' ? 'B' : 'A';
    expect(parseCertificateIdentifier(identifier.slice(0, last) + otherCheck)).toBeUndefined();
    const serialAt = identifier.lastIndexOf('.', last - 6) + 1;
    const otherDigit = identifier[serialAt + 7] === '9' ? '8' : '9';
    expect(parseCertificateIdentifier(identifier.slice(0, serialAt + 7) + otherDigit + identifier.slice(serialAt + 8))).toBeUndefined();

    // the same approval event again issues nothing twice
    await platform.runtime.drainQueues();
    expect((await platform.call('GET', '/v1/me/wallet', { token: citizen })).body.types[0].certificates).toHaveLength(1);
    // the holder is told in their inbox, once
    const inbox = (await platform.call('GET', '/v1/me/messages', { token: citizen })).body.messages as { source: string; ref?: string; title: string }[];
    expect(inbox.filter((message) => message.source === 'certificate')).toEqual([expect.objectContaining({ ref: identifier, title: '食品经营许可证：已签发' })]);
  });

  it('lets only staff of the issuing agency issue by hand', async () => {
    const body = { typeCode: TYPE_CODE, holder: { name: '张测试', codeType: 'resident-id', code: CITIZEN_ID }, surface: { premises: 'x', businessScope: 'y' }, validFrom: '2030-01-01' };
    const refused = await platform.call('POST', '/v1/certificates', { token: relying, body });
    expect(refused.status).toBe(403);
    const missing = await platform.call('POST', '/v1/certificates', { token: staff, body: { ...body, surface: { premises: 'x' } } });
    expect(missing.status).toBe(422);
  });

  it('issues a new version under the same serial that supersedes the old one', async () => {
    const body = { typeCode: TYPE_CODE, holder: { name: '张测试', codeType: 'resident-id', code: CITIZEN_ID }, surface: { premises: '文三路 2 号', businessScope: '预包装食品销售' }, validFrom: '2030-01-01' };
    const first = await platform.call('POST', '/v1/certificates', { token: staff, body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, validUntil: '2035-01-01', holderCode: '3301**********1236' });
    const second = await platform.call('POST', '/v1/certificates', { token: staff, body: { ...body, surface: { ...body.surface, premises: '文三路 3 号' }, previousIdentifier: first.body.identifier } });
    expect(second.status).toBe(201);
    const [a, b] = [parseCertificateIdentifier(first.body.identifier)!, parseCertificateIdentifier(second.body.identifier)!];
    expect(b).toEqual({ ...a, version: 2 });
    expect(parseCertificateIdentifier(identifier)!.serial).not.toBe(a.serial);
    const old = await platform.call('POST', '/v1/certificate-verifications', { body: { identifier: first.body.identifier } });
    expect(old.body).toMatchObject({ valid: false, authenticity: true, integrity: true, status: 'superseded' });
    const again = await platform.call('POST', '/v1/certificates', { token: staff, body: { ...body, previousIdentifier: first.body.identifier } });
    expect(again.status).toBe(409);
    expect((await platform.call('POST', `/v1/certificates/${second.body.identifier}/revocation`, { token: staff, body: { reason: '测试' } })).status).toBe(200);
  });
});

describe('verification', () => {
  it('says valid for the identifier and for the sealed file, and fails a tampered file', async () => {
    const byIdentifier = await platform.call('POST', '/v1/certificate-verifications', { body: { identifier } });
    expect(byIdentifier.status).toBe(200);
    expect(byIdentifier.body).toEqual({ valid: true, identifier, authenticity: true, integrity: true, status: 'valid' });

    const file = await platform.call('GET', `/v1/certificates/${identifier}/file`, { token: citizen });
    expect(file.status).toBe(200);
    const document = JSON.parse(Buffer.from(file.body.document, 'base64').toString('utf8'));
    expect(document).toMatchObject({ schema: 'e-certificate/1', identifier, holderCode: CITIZEN_ID });
    const presented = await platform.call('POST', '/v1/certificate-verifications', { body: { file: file.body } });
    expect(presented.body).toMatchObject({ valid: true, authenticity: true, integrity: true, status: 'valid' });

    const forged = Buffer.from(JSON.stringify({ ...document, surface: { ...document.surface, businessScope: '热食类、冷食类食品制售' } })).toString('base64');
    const tampered = await platform.call('POST', '/v1/certificate-verifications', { body: { file: { document: forged, signature: file.body.signature } } });
    expect(tampered.status).toBe(200);
    expect(tampered.body).toMatchObject({ valid: false, integrity: false, identifier });
  });
});

describe('relying agencies', () => {
  it('refuses an agency without a case reason or a grant (logged), and serves it with the holder\'s grant (logged)', async () => {
    const agency = platform.account('seal-authority').agencyUscc!;
    const noReason = await platform.call('GET', `/v1/certificates/${identifier}`, { token: relying });
    expect(noReason.status).toBe(403);
    expect(noReason.body.error.code).toBe('use_cause_required');
    const reason = `useCause=${encodeURIComponent('食品经营场所核查')}&caseNo=330100-20300101-CHECK001`;
    const noGrant = await platform.call('GET', `/v1/certificates/${identifier}?${reason}`, { token: relying });
    expect(noGrant.status).toBe(403);
    expect(noGrant.body.error.code).toBe('no_usage_grant');

    const granted = await platform.call('POST', `/v1/certificates/${identifier}/usage-grants`, {
      token: citizen,
      body: { agency, caseNo: '330100-20300101-CHECK001', validUntil: new Date(Date.now() + 24 * 3600 * 1000).toISOString() },
    });
    expect(granted.status).toBe(201);
    const read = await platform.call('GET', `/v1/certificates/${identifier}?${reason}`, { token: relying });
    expect(read.status).toBe(200);
    expect(read.body.holderCode).toBe('3301**********1236');
    expect(read.body.caseNo).toBeUndefined();
    const otherCase = await platform.call('GET', `/v1/certificates/${identifier}?useCause=x&caseNo=OTHER`, { token: relying });
    expect(otherCase.status).toBe(403);
    const byHolder = await platform.call('GET', `/v1/certificates?holderCode=${CITIZEN_ID}&${reason}`, { token: relying });
    expect(byHolder.status).toBe(200);
    expect(byHolder.body.certificates.map((c: { identifier: string }) => c.identifier)).toEqual([identifier]);

    const log = await platform.call('GET', `/v1/certificates/${identifier}/usage-log`, { token: citizen });
    expect(log.status).toBe(200);
    const uses = [...log.body.uses].reverse();
    expect(uses.map((u: { outcome: string; reason?: string }) => `${u.outcome}:${u.reason ?? ''}`)).toEqual(['refused:no-use-cause', 'refused:no-grant', 'allowed:', 'refused:no-grant', 'allowed:']);
    expect(uses[2]).toMatchObject({ agency, operation: 'metadata', useCause: '食品经营场所核查', caseNo: '330100-20300101-CHECK001', grantId: granted.body.grantId });
    expect((await platform.call('GET', `/v1/certificates/${identifier}/usage-log`, { token: relying })).status).toBe(404);

    const withdrawn = await platform.call('DELETE', `/v1/certificates/${identifier}/usage-grants/${granted.body.grantId}`, { token: citizen });
    expect(withdrawn.status).toBe(200);
    expect((await platform.call('GET', `/v1/certificates/${identifier}?${reason}`, { token: relying })).status).toBe(403);
  });
});

describe('revocation and the wallet history', () => {
  it('shows revoked in verification at once and moves the certificate to the history', async () => {
    expect((await platform.call('POST', `/v1/certificates/${identifier}/revocation`, { token: relying, body: { reason: '注销' } })).status).toBe(403);
    const revoked = await platform.call('POST', `/v1/certificates/${identifier}/revocation`, { token: staff, body: { reason: '经营者申请注销' } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const verified = await platform.call('POST', '/v1/certificate-verifications', { body: { identifier } });
    expect(verified.body).toEqual({ valid: false, identifier, authenticity: true, integrity: true, status: 'revoked' });

    expect((await platform.call('GET', '/v1/me/wallet', { token: citizen })).body.types).toEqual([]);
    const history = await platform.call('GET', '/v1/me/wallet?include=history', { token: citizen });
    const statuses = history.body.types[0].certificates.map((c: { identifier: string; status: string }) => [c.identifier === identifier ? 'approved case' : `v${parseCertificateIdentifier(c.identifier)!.version}`, c.status]);
    // newest first: the two versions issued by hand after the case's certificate
    expect(statuses).toEqual([['v2', 'revoked'], ['v1', 'superseded'], ['approved case', 'revoked']]);
  });

  it('includes certificates that arrived through data exchange', async () => {
    const exchanged = '1.2.156.3005.2.11330000JZ0001.11330000MB9Z8Y7X6W.00000007.001.K';
    const record = {
      id: exchanged,
      op: 'upsert',
      version: 1,
      data: {
        identifier: exchanged,
        typeCode: '11330000JZ0001',
        name: '居住证',
        holderName: '张测试',
        holderCodeType: 'resident-id',
        holderCode: CITIZEN_ID,
        issuerName: '浙江省公安厅',
        issuerUscc: platform.account('staff').agencyUscc,
        issueDate: '2030-01-02',
        region: '330000',
      },
    };
    const pushed = await platform.call('POST', '/_local/queues/exchange-inbound/messages', { body: { messages: [envelope('zj-regional', 'certificates', 'zj-cert-1', 1, [record as never])] } });
    expect(pushed.status).toBeLessThan(300);
    await platform.runtime.drainQueues();
    const wallet = await platform.call('GET', '/v1/me/wallet', { token: citizen });
    expect(wallet.body.types).toEqual([
      { typeCode: '11330000JZ0001', name: '居住证', certificates: [expect.objectContaining({ identifier: exchanged, holderCode: CITIZEN_ID, status: 'valid', source: 'exchange:zj-regional' })] },
    ]);
  });
});
