import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { usccCheckChar } from '../../shared/codes/uscc.js';
import { parseCertificate } from '../../shared/crypto/x509.js';
import { sealRepository } from '../../shared/seals/seal-repository.js';
import { decodeSeal } from '../../shared/seals/ses-seal.js';
import { decodeSignature } from '../../shared/seals/ses-signature.js';
import { verifyStatusPage } from '../../shared/seals/seal-status-list.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { FIXTURE_PNG, fixtureCertificate, sesFixture } from '../support/seal-fixtures.js';

const require = createRequire(import.meta.url);
/** the original sm-crypto, an SM2 implementation independent of ours */
const smCrypto = require('sm-crypto') as { sm2: { doVerifySignature(msg: number[], signature: string, publicKey: string, options: { der: boolean; hash: boolean }): boolean } };

const ENTERPRISE_USCC = '91330106MA2B3C4D5D';
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const YEAR = 365 * 24 * 3600 * 1000;

let platform: TestPlatform;
let owner: string;
let authority: string;
let admin: string;
let citizen: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await platform.login('enterprise');
  authority = await platform.login('seal-authority');
  admin = await platform.login('admin');
  citizen = await platform.login('citizen');
});
afterAll(async () => {
  await platform?.close();
});

function application(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    ownerUscc: ENTERPRISE_USCC,
    type: 'contract',
    name: '示例科技有限公司合同专用章',
    picture: { png: base64(FIXTURE_PNG), widthMm: 40, heightMm: 40 },
    validFrom: new Date(now - 60_000).toISOString(),
    validTo: new Date(now + 2 * YEAR).toISOString(),
    algorithm: 'SM2',
    ...overrides,
  };
}

async function madeSeal(overrides: Record<string, unknown> = {}): Promise<any> {
  const applied = await platform.call('POST', '/v1/seals', { token: owner, body: application(overrides) });
  expect(applied.status).toBe(201);
  const made = await platform.call('POST', `/v1/seals/${applied.body.sealId}/actions`, { token: authority, body: { action: 'make' } });
  expect(made.status).toBe(200);
  return made.body;
}

async function sign(sealId: string, document: Uint8Array, token = owner) {
  return platform.call('POST', `/v1/seals/${sealId}/signatures`, { token, body: { document: base64(document), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml' } });
}

async function verify(signature: string, document?: Uint8Array) {
  const response = await platform.call('POST', '/v1/seal-verifications', { body: { signature, ...(document ? { document: base64(document) } : {}) } });
  expect(response.status).toBe(200);
  return response.body;
}

describe('trust list', () => {
  it('publishes the SM2 root and maker of the local seal CA', async () => {
    const trust = await platform.call('GET', '/v1/seal-trust');
    expect(trust.status).toBe(200);
    expect(trust.body.algorithm).toBe('SM2');
    const root = parseCertificate(Buffer.from(trust.body.root, 'base64'));
    const maker = parseCertificate(Buffer.from(trust.body.maker, 'base64'));
    expect(root.signatureAlgorithm).toBe('1.2.156.10197.1.501');
    expect(maker.issuer.text).toBe(root.subject.text);
    expect(maker.basicConstraints).toEqual({ ca: true, pathLength: 0 });
  });

  it('refuses a second initialisation', async () => {
    const again = await platform.call('POST', '/v1/seal-authority', { token: admin, body: { algorithm: 'SM2', name: 'Another CA' } });
    expect(again.status).toBe(409);
  });
});

describe('applying and making', () => {
  it('takes an application once per Idempotency-Key, from the owner organisation only', async () => {
    const headers = { 'idempotency-key': 'apply-once-1' };
    const first = await platform.call('POST', '/v1/seals', { token: owner, body: application(), headers });
    const second = await platform.call('POST', '/v1/seals', { token: owner, body: application(), headers });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'applied', ownerUscc: ENTERPRISE_USCC, ownerName: '示例科技有限公司', sealVersion: 0 });
    expect(second.body.sealId).toBe(first.body.sealId);

    const otherOrganisation = await platform.call('POST', '/v1/seals', { token: owner, body: application({ ownerUscc: `91330106MA2B3C4D6${usccCheckChar('91330106MA2B3C4D6')}` }) });
    expect(otherOrganisation.status).toBe(403);
    expect(otherOrganisation.body.error.code).toBe('not_seal_owner');
    const person = await platform.call('POST', '/v1/seals', { token: citizen, body: application() });
    expect(person.status).toBe(403);
    const badPicture = await platform.call('POST', '/v1/seals', { token: owner, body: application({ picture: { png: base64(Buffer.from('GIF89a-not-png')), widthMm: 40, heightMm: 40 } }) });
    expect(badPicture.status).toBe(422);
  });

  it('lets only the seal authority make a seal: key, certificate and a v4 SESeal signed by the maker', async () => {
    const applied = await platform.call('POST', '/v1/seals', { token: owner, body: application() });
    const byOwner = await platform.call('POST', `/v1/seals/${applied.body.sealId}/actions`, { token: owner, body: { action: 'make' } });
    expect(byOwner.status).toBe(403);
    const made = await platform.call('POST', `/v1/seals/${applied.body.sealId}/actions`, { token: authority, body: { action: 'make' } });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ status: 'active', publishedStatus: 'active', sealVersion: 1 });
    expect(made.body.esID).toMatch(/^330106\d{8}$/);

    const esl = await fetch(`${platform.url}/v1/seals/${applied.body.sealId}/esl`, { headers: { authorization: `Bearer ${owner}` } });
    expect(esl.status).toBe(200);
    const seal = decodeSeal(new Uint8Array(await esl.arrayBuffer()));
    expect(seal.version).toBe(4);
    expect(seal.info).toMatchObject({ header: { id: 'ES', version: 4 }, esID: made.body.esID, property: { type: 4, name: '示例科技有限公司合同专用章' } });
    const trust = await platform.call('GET', '/v1/seal-trust');
    expect(base64(seal.makerCertificate)).toBe(trust.body.maker);

    const again = await platform.call('POST', `/v1/seals/${applied.body.sealId}/actions`, { token: authority, body: { action: 'make' } });
    expect(again.status).toBe(409);
  });
});

describe('signing and verifying', () => {
  it('signs with MessageType DIGEST semantics: the independent sm-crypto verifies the signature over TBS_Sign', async () => {
    const seal = await madeSeal();
    const document = Buffer.from('<ofd:Signature>合同正文</ofd:Signature>');
    const signed = await sign(seal.sealId, document);
    expect(signed.status).toBe(200);
    const decoded = decodeSignature(Buffer.from(signed.body.signature, 'base64'));
    expect(decoded.version).toBe(4);
    expect(Buffer.from(decoded.dataHash).toString('hex')).toBe(createHash('sm3').update(document).digest('hex'));
    const point = Buffer.from(parseCertificate(decoded.signerCertificate).publicKey!.point).toString('hex');
    expect(smCrypto.sm2.doVerifySignature(Array.from(decoded.signedBytes), Buffer.from(decoded.signature).toString('hex'), point, { der: true, hash: true })).toBe(true);

    const report = await verify(signed.body.signature, document);
    expect(report).toMatchObject({ valid: true, version: 4, esID: seal.esID, sealStatus: 'active' });
    expect(report.checks.timestamp).toEqual({ ok: null, reason: 'no-timestamp' });
    for (const check of ['format', 'signature', 'signerInCertList', 'sealValid', 'signerCertValid', 'signingTime', 'dataHash']) expect(report.checks[check]).toEqual({ ok: true, reason: null });
  });

  it('fails dataHash for a tampered document and leaves it open without one', async () => {
    const seal = await madeSeal();
    const signed = await sign(seal.sealId, Buffer.from('original'));
    const tampered = await verify(signed.body.signature, Buffer.from('originaL'));
    expect(tampered.valid).toBe(false);
    expect(tampered.checks.dataHash).toEqual({ ok: false, reason: 'hash-mismatch' });
    const noDocument = await verify(signed.body.signature);
    expect(noDocument.checks.dataHash).toEqual({ ok: null, reason: 'no-document' });
    expect(noDocument.valid).toBe(true);
  });

  it('signs with P-256 seals as well', async () => {
    const seal = await madeSeal({ algorithm: 'P-256', name: '示例科技有限公司财务专用章', type: 'finance' });
    const document = Buffer.from('invoice 42');
    const signed = await sign(seal.sealId, document);
    expect(signed.status).toBe(200);
    expect(decodeSignature(Buffer.from(signed.body.signature, 'base64')).signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
    const report = await verify(signed.body.signature, document);
    expect(report.valid).toBe(true);
    const wrongHash = await platform.call('POST', `/v1/seals/${seal.sealId}/signatures`, { token: owner, body: { documentHash: 'ab'.repeat(32), hashAlgorithm: 'SM3', propertyInfo: 'x' } });
    expect(wrongHash.status).toBe(422);
  });

  it('lets only the owner organisation sign', async () => {
    const seal = await madeSeal();
    expect((await sign(seal.sealId, Buffer.from('x'), citizen)).status).toBe(404);
    expect((await sign(seal.sealId, Buffer.from('x'), authority)).status).toBe(404);
  });
});

describe('lifecycle', () => {
  it('changes, reports lost, replaces and cancels, with signatures judged at their signing time', async () => {
    const seal = await madeSeal();
    const before = await sign(seal.sealId, Buffer.from('before'));

    const changed = await platform.call('POST', `/v1/seals/${seal.sealId}/actions`, { token: authority, body: { action: 'change', name: '示例科技有限公司合同专用章（2）' } });
    expect(changed.body).toMatchObject({ status: 'active', sealVersion: 2, name: '示例科技有限公司合同专用章（2）', esID: seal.esID });
    const afterChange = await sign(seal.sealId, Buffer.from('after change'));
    expect(decodeSignature(Buffer.from(afterChange.body.signature, 'base64')).seal.info.property.name).toBe('示例科技有限公司合同专用章（2）');

    const lost = await platform.call('POST', `/v1/seals/${seal.sealId}/actions`, { token: owner, body: { action: 'report-lost', reason: '印章介质遗失' } });
    expect(lost.body.status).toBe('suspended');
    const refused = await sign(seal.sealId, Buffer.from('while lost'));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('seal_suspended');
    const earlier = await verify(before.body.signature, Buffer.from('before'));
    expect(earlier).toMatchObject({ valid: true, sealStatus: 'suspended' });

    const replaced = await platform.call('POST', `/v1/seals/${seal.sealId}/actions`, { token: authority, body: { action: 'replace' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ status: 'active', replaces: seal.sealId });
    expect(replaced.body.esID).not.toBe(seal.esID);
    const old = await platform.call('GET', `/v1/seals/${seal.sealId}`, { token: owner });
    expect(old.body).toMatchObject({ status: 'revoked', replacedBy: replaced.body.sealId });
    expect(old.body.statusHistory.map((change: { status: string }) => change.status)).toEqual(['applied', 'active', 'suspended', 'revoked']);
    expect((await verify(before.body.signature, Buffer.from('before'))).sealStatus).toBe('revoked');

    const withNew = await sign(replaced.body.sealId, Buffer.from('new seal'));
    expect((await verify(withNew.body.signature, Buffer.from('new seal'))).valid).toBe(true);
    const cancelled = await platform.call('POST', `/v1/seals/${replaced.body.sealId}/actions`, { token: authority, body: { action: 'cancel', reason: '企业注销' } });
    expect(cancelled.body.status).toBe('revoked');
    expect((await sign(replaced.body.sealId, Buffer.from('after cancel'))).status).toBe(409);
    for (const sealId of [seal.sealId, replaced.body.sealId]) {
      const { keyId } = (await sealRepository(platform.runtime.dependencies.tables).get(sealId))!;
      expect(await platform.runtime.vault.keyState(keyId!)).toBe('PendingDeletion');
    }
    expect((await verify(withNew.body.signature, Buffer.from('new seal'))).sealStatus).toBe('revoked');
  });

  it('renews a seal with a new validity', async () => {
    const seal = await madeSeal();
    const validTo = new Date(Date.now() + 5 * YEAR);
    const renewed = await platform.call('POST', `/v1/seals/${seal.sealId}/actions`, { token: authority, body: { action: 'renew', validTo: validTo.toISOString() } });
    expect(renewed.status).toBe(200);
    expect(new Date(renewed.body.validTo).getTime()).toBe(Math.floor(validTo.getTime() / 1000) * 1000);
    expect(parseCertificate(Buffer.from(renewed.body.certificate, 'base64')).notAfter.getTime()).toBe(Math.floor(validTo.getTime() / 1000) * 1000);
  });
});

describe('status publication', () => {
  it('serves signed pages that verify against the published root', async () => {
    await madeSeal();
    const trust = await platform.call('GET', '/v1/seal-trust');
    const page = await platform.call('GET', '/v1/seal-status?size=2');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextCursor).toBeDefined();
    expect(verifyStatusPage(page.body, Buffer.from(trust.body.root, 'base64'))).toBe(true);
    expect(verifyStatusPage({ ...page.body, items: page.body.items.map((item: any) => ({ ...item, status: 'active' })).reverse() }, Buffer.from(trust.body.root, 'base64'))).toBe(false);
    const next = await platform.call('GET', `/v1/seal-status?size=500&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].sealId > page.body.items[1].sealId).toBe(true);
  });
});

describe('import, anchors and access tests', () => {
  it('imports an external seal only once its CA is a trust anchor', async () => {
    const esl = base64(sesFixture('v4_ofdrw_UserV4.esl'));
    const untrusted = await platform.call('POST', '/v1/seals/import', { token: authority, body: { seal: esl } });
    expect(untrusted.status).toBe(422);
    expect(untrusted.body.error.code).toBe('untrusted_issuer');
    const anchor = await platform.call('POST', '/v1/seal-trust/anchors', { token: admin, body: { certificate: base64(fixtureCertificate('ofdrw_ROOT.pem')) } });
    expect(anchor.status).toBe(201);
    const imported = await platform.call('POST', '/v1/seals/import', { token: authority, body: { seal: esl } });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ source: 'imported', status: 'active', esID: '51f044b76510434e9bc67a1185c2fba5', name: 'OFD R&W 测试用印章' });
    expect((await platform.call('POST', '/v1/seals/import', { token: authority, body: { seal: esl } })).status).toBe(409);
    const v1 = await platform.call('POST', '/v1/seals/import', { token: authority, body: { seal: base64(sesFixture('v1_ofdrw_UserV1.esl')) } });
    expect(v1.status).toBe(201);
    const trust = await platform.call('GET', '/v1/seal-trust');
    expect(trust.body.anchors.map((a: { subject: string }) => a.subject)).toContain('C=CN, O=OFD R&W, ST=Zhejiang, L=Hangzhou, CN=OFD Reader and WriterROOT Certificate');
  });

  it('reports conformance of seals and signatures without registering them', async () => {
    const seal = await madeSeal();
    const signed = await sign(seal.sealId, Buffer.from('x'));
    const ours = await platform.call('POST', '/v1/seal-access-tests', { body: { signature: signed.body.signature } });
    expect(ours.status).toBe(200);
    expect(ours.body.conformant).toBe(true);
    const gomain = await platform.call('POST', '/v1/seal-access-tests', { body: { signature: base64(sesFixture('gomain_chongqing_v4/SignedValue.dat')) } });
    expect(gomain.body.conformant).toBe(true);
    expect(gomain.body.findings.map((f: { code: string }) => f.code)).toEqual(expect.arrayContaining(['not-der', 'untrusted-issuer']));
    const garbage = await platform.call('POST', '/v1/seal-access-tests', { body: { seal: base64(Buffer.from('not a seal at all')) } });
    expect(garbage.body).toMatchObject({ conformant: false, findings: [{ code: 'bad-structure', severity: 'error' }] });
  });

  it('verifies a third-party signature over HTTP: everything but its unknown CA', async () => {
    const report = await verify(base64(sesFixture('gomain_chongqing_v4/SignedValue.dat')), sesFixture('gomain_chongqing_v4/Signature.xml'));
    expect(report.valid).toBe(false);
    expect(report.checks).toMatchObject({
      format: { ok: true },
      signature: { ok: true },
      signerInCertList: { ok: true },
      sealValid: { ok: false, reason: 'untrusted-issuer' },
      signerCertValid: { ok: false, reason: 'untrusted-issuer' },
      signingTime: { ok: true },
      dataHash: { ok: true },
      timestamp: { ok: null },
    });
  });
});
