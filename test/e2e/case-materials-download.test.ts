import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { caseRepository } from '../../shared/cases/case-repository.js';
import { materialBlobKey } from '../../shared/cases/claim-materials.js';
import { requiredMaterials, submitCase, submittedCase, uploadPdf } from '../support/case-helpers.js';
import { login, phoneNumbers, residentId, STRONG_PASSWORD } from '../support/identity-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

let platform: TestPlatform;
let citizen: string;
let otherCitizen: string;
let staffA: string;
let staffB: string;
let caseNo: string;
let material: { materialId: string; name: string; contentType: string; size: number; sha256: string };

const ITEM = 'RS-FW-0002'; // 社会保障卡补换, agency A in 西湖区
const REGION = '330106';
/** lowered from the 4 MiB of AWS so a few KiB already take the redirect path */
const INLINE_FILE_BYTES = 2048;

beforeAll(async () => {
  platform = await startTestPlatform({ pollQueues: false, inlineFileBytes: INLINE_FILE_BYTES });
  [citizen, staffA] = await Promise.all([platform.login('citizen'), platform.login('staff')]);
  const { username, password } = platform.accounts.filter((a) => a.role === 'staff')[1]!;
  staffB = (await login(platform, username, password)).accessToken;
  const phone = phoneNumbers('1376')();
  const registered = await platform.call('POST', '/v1/identity/registrations', {
    body: { type: 'natural', name: '旁观者', idType: 'resident-id', idNumber: residentId('1988-04-05', 731), phone, password: STRONG_PASSWORD },
  });
  if (registered.status !== 201) throw new Error(`registration: ${registered.status} ${registered.text}`);
  otherCitizen = (await login(platform, phone, STRONG_PASSWORD)).accessToken;

  caseNo = await submittedCase(platform, citizen, ITEM, REGION, { form: { reason: '遗失' } });
  const view = await platform.call('GET', `/v1/cases/${caseNo}`, { token: staffA });
  material = view.body.materials[0];
});
afterAll(async () => {
  await platform?.close();
});

/** GET of a material's bytes, as a browser's fetch with the token in memory would make it */
async function download(token: string | undefined, materialId = material.materialId, ofCase = caseNo) {
  const response = await fetch(`${platform.url}/v1/cases/${ofCase}/materials/${materialId}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const errorCodeOf = (bytes: Buffer) => (JSON.parse(bytes.toString('utf8')) as { error: { code: string } }).error.code;
const materialReads = async () => (await caseRepository({ tables: platform.runtime.dependencies.tables }).auditTrail(caseNo)).filter((event) => event.action === 'read-material');

describe('GET /v1/cases/{caseNo}/materials/{materialId}', () => {
  it('gives staff of the handling agency the bytes the citizen uploaded, as a private attachment', async () => {
    // uploadPdf (case-helpers) writes each material as a PDF around its name
    const uploaded = Buffer.from(`%PDF-1.7\n${material.name}\n%%EOF\n`);
    const answer = await download(staffA);
    expect(answer.status).toBe(200);
    expect(answer.bytes.equals(uploaded)).toBe(true);
    expect(answer.bytes.length).toBe(material.size);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(`${material.name}.pdf`)}`);
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives the applicant their own material', async () => {
    const answer = await download(citizen);
    expect(answer.status).toBe(200);
    expect(answer.bytes.length).toBe(material.size);
  });

  it('answers staff of another agency and another citizen exactly as the case read does: the case does not exist', async () => {
    for (const token of [staffB, otherCitizen]) {
      const caseRead = await platform.call('GET', `/v1/cases/${caseNo}`, { token });
      const answer = await download(token);
      expect(answer.status).toBe(caseRead.status);
      expect(answer.status).toBe(404);
      expect(errorCodeOf(answer.bytes)).toBe(caseRead.body.error.code);
      expect(answer.bytes.toString('utf8')).not.toContain('%PDF');
    }
    // not even an unknown material tells them the case exists
    expect(errorCodeOf((await download(staffB, '01J00000000000000000000000')).bytes)).toBe('case_not_found');
  });

  it('needs a signed-in caller', async () => {
    expect((await download(undefined)).status).toBe(401);
  });

  it('answers 404 for a material that is not on the case and 422 for a malformed id', async () => {
    const unknown = await download(staffA, '01J00000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(errorCodeOf(unknown.bytes)).toBe('material_not_found');
    const malformed = await download(staffA, 'no_such!id');
    expect(malformed.status).toBe(422);
  });

  it('records each read in the case audit trail, with who read which material from where', async () => {
    const reads = await materialReads();
    expect(reads.map((event) => event.actorRole)).toEqual(['staff', 'applicant']);
    const staffAccount = (await platform.call('GET', '/v1/identity/me', { token: staffA })).body.accountId;
    expect(reads[0]).toMatchObject({ actor: staffAccount, details: { materialId: material.materialId }, sourceIp: expect.any(String), toState: 'submitted' });
  });

  it('refuses with 409 a material that the platform which forwarded the case holds', async () => {
    const originCaseNo = 'ZJ-330000-2026-0000777';
    const now = new Date().toISOString();
    const forwarded = {
      schema: 'case-exchange/1',
      kind: 'case-forwarded',
      messageId: `zj-regional:${originCaseNo}:1`,
      source: 'zj-regional',
      target: 'gov-platform',
      originCaseNo,
      seq: 1,
      sentAt: now,
      case: {
        itemCode: ITEM,
        itemName: '社会保障卡补换',
        region: REGION,
        applicant: { subjectType: 'natural', name: '李远方', idType: 'resident-id', idNumber: residentId('1988-08-08', 321), phone: '13912345678' },
        form: { reason: '遗失' },
        materials: [{ name: '居民身份证', contentType: 'application/pdf', size: 1024, sha256: 'a'.repeat(64) }],
        delivery: { method: 'pickup' },
        submittedAt: now,
        timeline: [{ at: now, state: 'submitted', action: 'submit', actor: 'applicant' }],
      },
    };
    expect((await platform.call('POST', '/_local/queues/case-exchange-inbound/messages', { body: forwarded })).status).toBe(202);
    await platform.runtime.drainQueues();
    const sent = (await platform.runtime.queue.peek('case-outbound-zj-regional', { limit: 100 })).map((m) => JSON.parse(m.body) as { originCaseNo: string; handlerCaseNo?: string });
    const forwardedCaseNo = sent.find((m) => m.originCaseNo === originCaseNo)!.handlerCaseNo!;
    const [referenced] = (await platform.call('GET', `/v1/cases/${forwardedCaseNo}`, { token: staffA })).body.materials;
    expect(referenced).toMatchObject({ status: 'referenced' });
    const answer = await download(staffA, referenced.materialId, forwardedCaseNo);
    expect(answer.status).toBe(409);
    expect(errorCodeOf(answer.bytes)).toBe('material_held_elsewhere');
  });

  it('never serves bytes that differ from the hash recorded when the material was attached', async () => {
    const before = (await materialReads()).length;
    await platform.runtime.dependencies.blobs.put(materialBlobKey(caseNo, material.materialId), Buffer.from('%PDF-1.7\nforged\n%%EOF\n'), 'application/pdf');
    const answer = await download(staffA);
    expect(answer.status).toBe(500);
    expect(answer.bytes.toString('utf8')).not.toContain('forged');
    expect((await materialReads()).length).toBe(before);
  });
});

describe('GET /v1/cases/{caseNo}/materials/{materialId} of a material too large for a response', () => {
  let largeCaseNo: string;
  let large: { materialId: string; name: string; size: number };
  /** what uploadPdf wrote for the large material: a PDF around its name and padding */
  const largeText = (name: string) => `${name}\n${'0123456789abcdef'.repeat(INLINE_FILE_BYTES / 16)}`;

  beforeAll(async () => {
    const names = await requiredMaterials(platform, ITEM, REGION);
    const materials = await Promise.all(names.map(async (name) => ({ name, blobId: await uploadPdf(platform, citizen, largeText(name)) })));
    const submitted = await submitCase(platform, citizen, { itemCode: ITEM, region: REGION, form: { reason: '遗失' }, materials, delivery: { method: 'pickup' } });
    if (submitted.status !== 201) throw new Error(`submission: ${submitted.status} ${submitted.text}`);
    largeCaseNo = submitted.body.caseNo;
    large = (await platform.call('GET', `/v1/cases/${largeCaseNo}`, { token: staffA })).body.materials[0];
  });

  const redirectOf = async (token: string) => fetch(`${platform.url}/v1/cases/${largeCaseNo}/materials/${large.materialId}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });

  it('answers 303 See Other at a short-lived download URL, which serves the bytes as the same attachment without the token', async () => {
    expect(large.size).toBeGreaterThan(INLINE_FILE_BYTES);
    const answer = await redirectOf(staffA);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const location = answer.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${platform.url}/_local/blobs/`));
    expect(location).not.toContain(large.materialId);

    const file = await fetch(location);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(file.status).toBe(200);
    expect(bytes.equals(Buffer.from(`%PDF-1.7\n${largeText(large.name)}\n%%EOF\n`))).toBe(true);
    expect(bytes.length).toBe(large.size);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(`${large.name}.pdf`)}`);
  });

  it('is reached by a fetch that follows redirects, as the portal makes it', async () => {
    const response = await fetch(`${platform.url}/v1/cases/${largeCaseNo}/materials/${large.materialId}`, { headers: { authorization: `Bearer ${citizen}` } });
    expect(response.status).toBe(200);
    expect(response.redirected).toBe(true);
    expect((await response.arrayBuffer()).byteLength).toBe(large.size);
  });

  it('checks access before any URL is given, and audits each URL given', async () => {
    for (const token of [staffB, otherCitizen]) {
      const answer = await redirectOf(token);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('location')).toBeNull();
    }
    const trail = await caseRepository({ tables: platform.runtime.dependencies.tables }).auditTrail(largeCaseNo);
    expect(trail.filter((event) => event.action === 'read-material').map((event) => [event.actorRole, event.details])).toEqual([
      ['staff', { materialId: large.materialId }],
      ['applicant', { materialId: large.materialId }],
    ]);
  });

  it('refuses a forged download URL', async () => {
    const location = (await redirectOf(staffA)).headers.get('location')!;
    // the grant ("eyJ..." is base64url of '{"') altered without the signing secret
    const forged = await fetch(location.replace('/_local/blobs/eyJ', '/_local/blobs/fyJ'));
    expect(forged.status).toBe(403);
    expect(errorCodeOf(Buffer.from(await forged.arrayBuffer()))).toBe('download_bad_signature');
  });

  it('is documented in the OpenAPI document as a possible 303 with a Location', async () => {
    const operation = (await platform.call('GET', '/openapi.json')).body.paths['/v1/cases/{caseNo}/materials/{materialId}'].get;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '303']));
    expect(operation.responses['303'].headers.Location.required).toBe(true);
  });

  it('gives no URL for a stored object whose checksum differs from the hash recorded at attachment', async () => {
    await platform.runtime.dependencies.blobs.put(materialBlobKey(largeCaseNo, large.materialId), Buffer.from(`%PDF-1.7\nforged\n${'x'.repeat(INLINE_FILE_BYTES)}\n%%EOF\n`), 'application/pdf');
    const answer = await redirectOf(staffA);
    expect(answer.status).toBe(500);
    expect(answer.headers.get('location')).toBeNull();
  });
});
