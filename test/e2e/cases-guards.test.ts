import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { act, materialsFor, requiredMaterials, submitCase, submittedCase, uploadPdf } from '../support/case-helpers.js';
import { login, phoneNumbers, residentId, STRONG_PASSWORD } from '../support/identity-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

let platform: TestPlatform;
let citizen: string;
let enterprise: string;
let staff: string;
let staffOfAnotherAgency: string;

beforeAll(async () => {
  platform = await startTestPlatform({ pollQueues: false });
  [citizen, enterprise, staff] = await Promise.all([platform.login('citizen'), platform.login('enterprise'), platform.login('staff')]);
  const { username, password } = platform.accounts.filter((a) => a.role === 'staff')[1]!;
  staffOfAnotherAgency = (await login(platform, username, password)).accessToken;
});
afterAll(async () => {
  await platform?.close();
});

const ITEM = 'RS-FW-0002'; // 社会保障卡补换, agency A in 西湖区
const REGION = '330106';

describe('submission guards', () => {
  it('the same Idempotency-Key returns the same case and creates no second one', async () => {
    const before = (await platform.call('GET', '/v1/me/cases?limit=100', { token: citizen })).body.cases.length;
    const body = { itemCode: ITEM, region: REGION, form: { reason: '遗失' }, materials: await materialsFor(platform, citizen, ITEM, REGION), delivery: { method: 'pickup' } };
    const key = randomUUID();
    const first = await submitCase(platform, citizen, body, key);
    const second = await submitCase(platform, citizen, body, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.caseNo).toBe(first.body.caseNo);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await platform.call('GET', '/v1/me/cases?limit=100', { token: citizen })).body.cases.length).toBe(before + 1);

    const reused = await submitCase(platform, citizen, { ...body, form: { reason: '损坏' } }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const withoutKey = await platform.call('POST', '/v1/cases', { token: citizen, body });
    expect(withoutKey.status).toBe(400);
    expect(withoutKey.body.error.code).toBe('idempotency_key_required');
  });

  it('lists the missing required materials, and refuses uploads that are not materials', async () => {
    const missing = await submitCase(platform, citizen, { itemCode: 'SC-XK-0007', region: REGION, materials: [], delivery: { method: 'pickup' } });
    expect(missing.status).toBe(422);
    const required = await requiredMaterials(platform, 'SC-XK-0007', REGION);
    expect(required.length).toBeGreaterThan(1);
    expect(missing.body.error.details).toEqual(required.map((name) => ({ field: 'materials', message: `missing required material: ${name}` })));

    const [material] = await materialsFor(platform, citizen, ITEM, REGION);
    const json = Buffer.from('{"not":"a material"}');
    const reservation = await platform.call('POST', '/v1/uploads', {
      token: citizen,
      body: { fileName: 'data.json', contentType: 'application/json', size: json.length, sha256: createHash('sha256').update(json).digest('hex') },
    });
    await fetch(reservation.body.uploadUrl, { method: 'PUT', headers: reservation.body.headers, body: json });
    const refused = await submitCase(platform, citizen, {
      itemCode: ITEM,
      region: REGION,
      materials: [{ ...material!, blobId: reservation.body.blobId }],
      delivery: { method: 'pickup' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([{ field: 'materials.0.blobId', message: 'must be a PDF, JPEG, PNG or OFD file' }]);
    const othersUpload = await submitCase(platform, enterprise, { itemCode: ITEM, region: REGION, materials: [material], delivery: { method: 'pickup' } });
    expect(othersUpload.status).toBe(422);
    expect(othersUpload.body.error.details).toEqual([{ field: 'materials.0.blobId', message: 'is not an upload of yours' }]);
  });

  it('refuses items not offered in the region, express without an address, and applying for others without a delegation', async () => {
    const notHere = await submitCase(platform, citizen, { itemCode: 'SC-XK-0007', region: '440305', delivery: { method: 'pickup' } });
    expect(notHere.status).toBe(404);
    expect(notHere.body.error.code).toBe('item_not_published');
    const noAddress = await submitCase(platform, citizen, { itemCode: ITEM, region: REGION, materials: await materialsFor(platform, citizen, ITEM, REGION), delivery: { method: 'express' } });
    expect(noAddress.status).toBe(422);
    const enterpriseId = (await platform.call('GET', '/v1/identity/me', { token: enterprise })).body.accountId;
    const forOthers = await submitCase(platform, citizen, { itemCode: ITEM, region: REGION, onBehalfOf: enterpriseId, delivery: { method: 'pickup' } });
    expect(forOthers.status).toBe(403);
    expect(forOthers.body.error.code).toBe('delegation_required');
  });

  it('refuses a level-1 user an item that needs level 3', async () => {
    const phone = phoneNumbers('1375')();
    const registered = await platform.call('POST', '/v1/identity/registrations', {
      body: { type: 'natural', name: '低级别', idType: 'resident-id', idNumber: residentId('1991-02-03', 517), phone, password: STRONG_PASSWORD },
    });
    expect(registered.status).toBe(201);
    const token = (await login(platform, phone, STRONG_PASSWORD)).accessToken;
    const refused = await submitCase(platform, token, { itemCode: ITEM, region: REGION, materials: await materialsFor(platform, token, ITEM, REGION), delivery: { method: 'pickup' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('level_too_low');
  });

  it('lets a delegate apply for the principal, who then owns the case; only the principal rates it', async () => {
    const enterpriseId = (await platform.call('GET', '/v1/identity/me', { token: enterprise })).body.accountId;
    const offered = await platform.call('POST', '/v1/identity/delegations', {
      token: enterprise,
      body: { delegateIdNumber: '330106199003071236', itemCodes: [ITEM], validUntil: new Date(Date.now() + 30 * 24 * 3600_000).toISOString() },
    });
    expect(offered.status).toBe(201);
    expect((await platform.call('POST', `/v1/identity/delegations/${offered.body.delegationId}/accept`, { token: citizen })).status).toBe(200);

    const caseNo = await submittedCase(platform, citizen, ITEM, REGION, { onBehalfOf: enterpriseId });
    const owned = await platform.call('GET', '/v1/me/cases?limit=100', { token: enterprise });
    expect(owned.body.cases.map((c: { caseNo: string }) => c.caseNo)).toContain(caseNo);
    const asSubmitter = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(asSubmitter.body).toMatchObject({ applicant: { name: '示例科技有限公司', subjectType: 'legal' }, submittedByDelegate: true });
    expect(asSubmitter.body.timeline[0]).toMatchObject({ action: 'submit', actor: 'delegate' });
    expect((await submitCase(platform, citizen, { itemCode: 'SC-XK-0007', region: REGION, onBehalfOf: enterpriseId, delivery: { method: 'pickup' } })).body.error.code).toBe('delegation_required');

    expect((await act(platform, staff, caseNo, { action: 'reject', reason: '材料不齐' })).status).toBe(200);
    const rating = { score: 3, dimensions: { process: 3, result: 3, efficiency: 3 } };
    const byDelegate = await platform.call('POST', `/v1/cases/${caseNo}/evaluations`, { token: citizen, body: rating });
    expect(byDelegate.status).toBe(403);
    expect(byDelegate.body.error.code).toBe('applicant_only');
    expect((await platform.call('POST', `/v1/cases/${caseNo}/evaluations`, { token: enterprise, body: rating })).status).toBe(201);
  });

  it('adds materials to an open case once each, and no more after a decision', async () => {
    const caseNo = await submittedCase(platform, citizen, ITEM, REGION);
    const blobId = await uploadPdf(platform, citizen, '户口簿');
    const added = await platform.call('POST', `/v1/cases/${caseNo}/materials`, { token: citizen, body: { name: '户口簿', blobId } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ materialId: blobId, name: '户口簿', contentType: 'application/pdf', status: 'received', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const twice = await platform.call('POST', `/v1/cases/${caseNo}/materials`, { token: citizen, body: { name: '户口簿', blobId } });
    expect(twice.status).toBe(422);
    expect(twice.body.error.details).toEqual([{ field: 'blobId', message: 'is attached to the case already' }]);
    expect((await act(platform, staff, caseNo, { action: 'reject', reason: '不属于补换情形' })).status).toBe(200);
    const late = await platform.call('POST', `/v1/cases/${caseNo}/materials`, { token: citizen, body: { name: '补充说明', blobId: await uploadPdf(platform, citizen) } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('materials_closed');
  });
});

describe('handling guards', () => {
  it('refuses an illegal transition and a stale version with 409, a missing note with 422', async () => {
    const caseNo = await submittedCase(platform, citizen, ITEM, REGION);
    const illegal = await act(platform, staff, caseNo, { action: 'approve' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe('illegal_transition');
    expect((await act(platform, staff, caseNo, { action: 'accept', expectedVersion: 1 })).status).toBe(200);
    const stale = await act(platform, staff, caseNo, { action: 'handle', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    const correctionWithoutNote = await act(platform, staff, caseNo, { action: 'request-correction' });
    expect(correctionWithoutNote.status).toBe(422);
    expect(correctionWithoutNote.body.error.details).toEqual([{ field: 'comment', message: 'is required for request-correction' }]);
    const supplementUnasked = await platform.call('POST', `/v1/cases/${caseNo}/supplements`, { token: citizen, body: {} });
    expect(supplementUnasked.status).toBe(409);
  });

  it('lets one of two concurrent staff actions win and answers the other 409', async () => {
    const caseNo = await submittedCase(platform, citizen, ITEM, REGION);
    const outcomes = await Promise.all([
      act(platform, staff, caseNo, { action: 'accept' }),
      act(platform, staff, caseNo, { action: 'reject', reason: '不属于本机关受理范围' }),
      act(platform, staff, caseNo, { action: 'accept' }),
    ]);
    const statuses = outcomes.map((o) => o.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const winner = outcomes.find((o) => o.status === 200)!;
    const after = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(after.body).toMatchObject({ state: winner.body.state, version: 2 });
    expect(after.body.timeline).toHaveLength(2);
    for (const loser of outcomes.filter((o) => o.status === 409)) expect(['concurrent_change', 'illegal_transition']).toContain(loser.body.error.code);
  });

  it('hides a case from another citizen and from staff of another agency (404)', async () => {
    const caseNo = await submittedCase(platform, citizen, ITEM, REGION);
    for (const [method, path, body] of [
      ['GET', `/v1/cases/${caseNo}`, undefined],
      ['POST', `/v1/cases/${caseNo}/evaluations`, { score: 1, dimensions: { process: 1, result: 1, efficiency: 1 } }],
      ['POST', `/v1/cases/${caseNo}/supplements`, {}],
    ] as const) {
      const response = await platform.call(method, path, { token: enterprise, ...(body ? { body } : {}) });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('case_not_found');
    }
    expect((await platform.call('GET', `/v1/cases/${caseNo}`, { token: staffOfAnotherAgency })).status).toBe(404);
    expect((await act(platform, staffOfAnotherAgency, caseNo, { action: 'accept' })).status).toBe(404);
    expect((await platform.call('GET', `/v1/cases/${caseNo}`, { token: staff })).status).toBe(200);
    const unknown = await platform.call('GET', `/v1/cases/${REGION}-20260101-00000000`, { token: citizen });
    expect(unknown.status).toBe(404);
    const queueOfB = await platform.call('GET', '/v1/staff/cases', { token: staffOfAnotherAgency });
    expect(queueOfB.body.cases.map((c: { caseNo: string }) => c.caseNo)).not.toContain(caseNo);
  });
});
