import { describe, expect, it } from '@jest/globals';
import { certificateFingerprint, parseCertificate } from '../../shared/crypto/x509.js';
import type { Seal } from '../../shared/seals/seal.js';
import type { TrustStore } from '../../shared/seals/trust-store.js';
import { verifySealSignature, type VerificationReport } from '../../shared/seals/verify-seal-signature.js';
import { decodeSignature } from '../../shared/seals/ses-signature.js';
import { fixtureCertificate, issueTestTimeStampToken, makeTestSeal, makeTestSignature, sesFixture, testCertificate, testRoot, type TestIssuer } from '../support/seal-fixtures.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const clock = { now: () => NOW };
const noSeals = { findByEsId: async () => undefined };
const store = (anchors: readonly Uint8Array[], intermediates: readonly Uint8Array[] = []): TrustStore => ({
  anchors: anchors.map((der) => parseCertificate(der)),
  intermediates: intermediates.map((der) => parseCertificate(der)),
});
const OK = { ok: true, reason: null };

function failing(report: VerificationReport): Record<string, string> {
  return Object.fromEntries(Object.entries(report.checks).filter(([, check]) => check.ok === false).map(([name, check]) => [name, String(check.reason)]));
}

describe('a third-party signature (gomain, v4)', () => {
  const signature = sesFixture('gomain_chongqing_v4/SignedValue.dat');
  const document = sesFixture('gomain_chongqing_v4/Signature.xml');

  it('verifies everything but the chain: its CA is unknown here, which never passes silently', async () => {
    const report = await verifySealSignature({ trust: async () => store([fixtureCertificate('ofdrw_ROOT.pem')]), seals: noSeals, clock }, { signature, document });
    expect(report).toMatchObject({ valid: false, version: 4, signedAt: '2020-10-10T07:11:20.000Z', esID: '50011200000399' });
    expect(failing(report)).toEqual({ sealValid: 'untrusted-issuer', signerCertValid: 'untrusted-issuer' });
    expect(report.checks.timestamp).toEqual({ ok: null, reason: 'no-timestamp' });
    expect(report.sealStatus).toBeUndefined();
  });

  it('is valid when its certificates are trusted: the seal expired in 2023 but was valid at signing time', async () => {
    const signed = decodeSignature(signature);
    const trust = async () => store([signed.seal.makerCertificate, signed.signerCertificate]);
    const report = await verifySealSignature({ trust, seals: noSeals, clock }, { signature, document });
    expect(report.valid).toBe(true);
    expect(Object.values(report.checks).filter((check) => check.ok === true)).toHaveLength(7);
    const tampered = await verifySealSignature({ trust, seals: noSeals, clock }, { signature, document: Uint8Array.from([...document, 0x0a]) });
    expect(failing(tampered)).toEqual({ dataHash: 'hash-mismatch' });
    const beforeSigning = await verifySealSignature({ trust, seals: noSeals, clock: { now: () => new Date('2020-10-10T06:00:00Z') } }, { signature, document });
    expect(failing(beforeSigning)).toEqual({ signingTime: 'not-yet-valid' });
  });

  it('reports every check as bad-format for bytes that are no signature', async () => {
    const report = await verifySealSignature({ trust: async () => store([]), seals: noSeals, clock }, { signature: sesFixture('v4_ofdrw_UserV4.esl') });
    expect(report.version).toBeNull();
    expect(Object.values(report.checks).every((check) => check.ok === false && check.reason === 'bad-format')).toBe(true);
  });
});

describe('signatures made with test CAs', () => {
  let root: TestIssuer;
  let maker: TestIssuer;
  let owner: TestIssuer;

  const setUp = async (algorithm: 'SM2' | 'P-256' = 'SM2') => {
    root = await testRoot(algorithm);
    maker = await testCertificate(root, { name: 'maker', algorithm, ca: true });
    owner = await testCertificate(root, { name: 'owner', algorithm });
  };
  const deps = (seals: { findByEsId(esID: string): Promise<Seal | undefined> } = noSeals) => ({ trust: async () => store([root.der]), seals, clock });
  const data = Buffer.from('合同正文');

  it.each([1, 4] as const)('verifies a v%s signature completely', async (version) => {
    await setUp();
    const seal = await makeTestSeal({ version, maker, owners: [owner.der] });
    const signature = await makeTestSignature({ version, seal, signer: owner, data, timeInfo: new Date('2025-01-01T00:00:00Z') });
    const report = await verifySealSignature(deps(), { signature, document: data });
    expect(report).toMatchObject({ valid: true, version });
    expect(report.checks.signature).toEqual(OK);
    expect(report.checks.sealValid).toEqual(OK);
  });

  it('verifies P-256 signatures with SHA-256 data hashes', async () => {
    await setUp('P-256');
    const seal = await makeTestSeal({ version: 4, maker, owners: [owner.der] });
    const signature = await makeTestSignature({ version: 4, seal, signer: owner, data, timeInfo: new Date('2025-01-01T00:00:00Z') });
    expect((await verifySealSignature(deps(), { signature, document: data })).valid).toBe(true);
  });

  it('fails signerInCertList for a signer certificate not in the seal', async () => {
    await setUp();
    const stranger = await testCertificate(root, { name: 'stranger', algorithm: 'SM2' });
    const seal = await makeTestSeal({ version: 4, maker, owners: [owner.der] });
    const signature = await makeTestSignature({ version: 4, seal, signer: stranger, data, timeInfo: new Date('2025-01-01T00:00:00Z') });
    const report = await verifySealSignature(deps(), { signature, document: data });
    expect(failing(report)).toEqual({ signerInCertList: 'not-in-cert-list' });
  });

  it('fails a signer certificate expired at the signing time', async () => {
    await setUp();
    const expired = await testCertificate(root, { name: 'owner', algorithm: 'SM2', notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: new Date('2022-01-01T00:00:00Z') });
    const seal = await makeTestSeal({ version: 4, maker, owners: [expired.der] });
    const signature = await makeTestSignature({ version: 4, seal, signer: expired, data, timeInfo: new Date('2023-01-01T00:00:00Z') });
    const report = await verifySealSignature(deps(), { signature, document: data });
    expect(failing(report)).toEqual({ signerCertValid: 'expired', signingTime: 'expired' });
  });

  it('fails a signature made outside the seal validity, and one with a bad maker signature', async () => {
    await setUp();
    const seal = await makeTestSeal({ version: 4, maker, owners: [owner.der], validStart: new Date('2024-01-01T00:00:00Z') });
    const early = await makeTestSignature({ version: 4, seal, signer: owner, data, timeInfo: new Date('2023-06-01T00:00:00Z') });
    expect(failing(await verifySealSignature(deps(), { signature: early, document: data }))).toEqual({ sealValid: 'not-yet-valid', signingTime: 'not-yet-valid' });

    const forgedMaker = await testCertificate(root, { name: 'maker', algorithm: 'SM2', ca: true });
    const forged = await makeTestSeal({ version: 4, maker: { ...forgedMaker, der: maker.der }, owners: [owner.der] });
    const signature = await makeTestSignature({ version: 4, seal: forged, signer: owner, data, timeInfo: new Date('2025-01-01T00:00:00Z') });
    expect(failing(await verifySealSignature(deps(), { signature, document: data }))).toEqual({ sealValid: 'bad-signature' });
  });

  it('judges revocation and loss at the signing time, and shows the current status', async () => {
    await setUp();
    const esl = await makeTestSeal({ version: 4, maker, owners: [owner.der], esID: '33010600000042' });
    const tracked = (history: Seal['statusHistory'], status: Seal['status']) => ({
      findByEsId: async (esID: string) =>
        esID === '33010600000042' ? ({ status, statusHistory: history, validTo: '2031-01-01T00:00:00.000Z', makerFingerprint: certificateFingerprint(maker.der) } as unknown as Seal) : undefined,
    });
    const history: Seal['statusHistory'] = [
      { status: 'applied', at: '2024-12-01T00:00:00.000Z' },
      { status: 'active', at: '2024-12-02T00:00:00.000Z' },
      { status: 'suspended', at: '2025-02-01T00:00:00.000Z' },
      { status: 'revoked', at: '2025-03-01T00:00:00.000Z' },
    ];
    const signedAt = async (time: string) => {
      const signature = await makeTestSignature({ version: 4, seal: esl, signer: owner, data, timeInfo: new Date(time) });
      return verifySealSignature(deps(tracked(history, 'revoked')), { signature, document: data });
    };
    const beforeLoss = await signedAt('2025-01-15T00:00:00Z');
    expect(beforeLoss).toMatchObject({ valid: true, sealStatus: 'revoked' });
    expect(failing(await signedAt('2025-02-15T00:00:00Z'))).toEqual({ sealValid: 'suspended' });
    expect(failing(await signedAt('2025-03-15T00:00:00Z'))).toEqual({ sealValid: 'revoked' });

    const otherMaker = await testCertificate(root, { name: 'maker', algorithm: 'SM2', ca: true });
    const sameCodeOtherMaker = await makeTestSeal({ version: 4, maker: otherMaker, owners: [owner.der], esID: '33010600000042' });
    const signature = await makeTestSignature({ version: 4, seal: sameCodeOtherMaker, signer: owner, data, timeInfo: new Date('2025-03-15T00:00:00Z') });
    const unrelated = await verifySealSignature(deps(tracked(history, 'revoked')), { signature, document: data });
    expect(unrelated.valid).toBe(true);
    expect(unrelated.sealStatus).toBeUndefined();
  });

  it('verifies an RFC 3161 timestamp over the signature value, and fails one over other data', async () => {
    await setUp();
    const tsa = await testCertificate(root, { name: 'TSA', algorithm: 'SM2', extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'] });
    const seal = await makeTestSeal({ version: 4, maker, owners: [owner.der] });
    const timeInfo = new Date('2025-01-01T00:00:00Z');
    const stamp = (over?: Uint8Array) => async (value: Uint8Array) =>
      issueTestTimeStampToken({ signer: tsa.signer, certificate: tsa.der }, { data: over ?? value, time: new Date(timeInfo.getTime() + 2000), serial: 7n, policy: '1.2.3.4.1' });
    const stamped = await makeTestSignature({ version: 4, seal, signer: owner, data, timeInfo, timeStamp: stamp() });
    const report = await verifySealSignature(deps(), { signature: stamped, document: data });
    expect(report.valid).toBe(true);
    expect(report.checks.timestamp).toEqual(OK);

    const wrong = await makeTestSignature({ version: 4, seal, signer: owner, data, timeInfo, timeStamp: stamp(Buffer.from('other')) });
    expect(failing(await verifySealSignature(deps(), { signature: wrong, document: data }))).toEqual({ timestamp: 'bad-timestamp' });

    const notTsa = await makeTestSignature({
      version: 4,
      seal,
      signer: owner,
      data,
      timeInfo,
      timeStamp: (value) => issueTestTimeStampToken({ signer: owner.signer, certificate: owner.der }, { data: value, time: timeInfo, serial: 8n, policy: '1.2.3.4.1' }),
    });
    expect(failing(await verifySealSignature(deps(), { signature: notTsa, document: data }))).toEqual({ timestamp: 'bad-timestamp' });
  });
});
