import { describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { certificateFingerprint, isSignedBy, parseCertificate, validAt } from '../../shared/crypto/x509.js';
import { fixtureCertificate, testCertificate, testRoot } from '../support/seal-fixtures.js';

const require = createRequire(import.meta.url);
/** the original sm-crypto, independent of our SM2 code */
const smCrypto = require('sm-crypto') as { sm2: { doVerifySignature(msg: number[], signature: string, publicKey: string, options: { der: boolean; hash: boolean }): boolean } };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('X.509 with SM2', () => {
  it('verifies the real SM2 certificates of another implementation (ofdrw)', () => {
    const root = parseCertificate(fixtureCertificate('ofdrw_ROOT.pem'));
    const maker = parseCertificate(fixtureCertificate('ofdrw_SealBuilder_maker.pem'));
    const signer = parseCertificate(fixtureCertificate('ofdrw_USER_signer.pem'));
    expect(root.signatureAlgorithm).toBe('1.2.156.10197.1.501');
    expect(root.publicKey?.algorithm).toBe('SM2');
    expect(isSignedBy(root, root)).toBe(true);
    expect(isSignedBy(maker, root)).toBe(true);
    expect(isSignedBy(signer, root)).toBe(true);
    expect(isSignedBy(signer, maker)).toBe(false);
    // the README's remark: the root is a CA but its key usage lacks keyCertSign
    expect(root.basicConstraints).toEqual({ ca: true });
    expect([...root.keyUsage!]).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(root.subject.text).toBe('C=CN, O=OFD R&W, ST=Zhejiang, L=Hangzhou, CN=OFD Reader and WriterROOT Certificate');
  });

  it('issues SM2 certificates whose signature the independent sm-crypto accepts over the TBSCertificate', async () => {
    const root = await testRoot('SM2');
    const child = await testCertificate(root, { name: '合同专用章', algorithm: 'SM2' });
    expect(child.certificate.signatureAlgorithm).toBe('1.2.156.10197.1.501');
    expect(child.certificate.issuer.text).toBe(root.certificate.subject.text);
    expect(child.certificate.subject.text).toBe('C=CN, O=Test, CN=合同专用章');
    expect(isSignedBy(child.certificate, root.certificate)).toBe(true);
    expect(smCrypto.sm2.doVerifySignature(Array.from(child.certificate.tbs), hex(child.certificate.signature), hex(root.signer.publicKey.point), { der: true, hash: true })).toBe(true);
    const tampered = Uint8Array.from(child.der);
    tampered[Buffer.from(tampered).indexOf(Buffer.from('合同专用章'))]! ^= 1;
    expect(isSignedBy(parseCertificate(tampered), root.certificate)).toBe(false);
  });

  it('writes the CA profile: basic constraints, key usage, key identifiers, extended key usage', async () => {
    const root = await testRoot('SM2');
    const ca = await testCertificate(root, { name: 'maker', algorithm: 'SM2', ca: true });
    const tsa = await testCertificate(root, { name: 'tsa', algorithm: 'SM2', extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'] });
    expect(root.certificate.basicConstraints).toEqual({ ca: true });
    expect(ca.certificate.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect([...ca.certificate.keyUsage!]).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(tsa.certificate.basicConstraints).toEqual({ ca: false });
    expect(tsa.certificate.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.8']);
    expect(tsa.certificate.subjectKeyIdentifier).toHaveLength(20);
    expect(tsa.certificate.unknownCriticalExtensions).toEqual([]);
    expect(certificateFingerprint(tsa.der)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('X.509 with P-256', () => {
  it('issues certificates that OpenSSL (node X509Certificate) verifies and reads the same way', async () => {
    const root = await testRoot('P-256');
    const child = await testCertificate(root, { name: 'seal', algorithm: 'P-256', notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2060-01-01T00:00:00Z') });
    const openSslRoot = new X509Certificate(root.der);
    const openSslChild = new X509Certificate(child.der);
    expect(openSslRoot.verify(openSslRoot.publicKey)).toBe(true);
    expect(openSslChild.verify(openSslRoot.publicKey)).toBe(true);
    expect(openSslChild.checkIssued(openSslRoot)).toBe(true);
    expect(openSslRoot.ca).toBe(true);
    expect(openSslChild.ca).toBe(false);
    expect(new Date(openSslChild.validTo).toISOString()).toBe(child.certificate.notAfter.toISOString());
    expect(child.certificate.notAfter.toISOString()).toBe('2060-01-01T00:00:00.000Z');
    expect(child.certificate.signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
    expect(isSignedBy(child.certificate, root.certificate)).toBe(true);
  });

  it('judges validity at a given time', async () => {
    const root = await testRoot('P-256');
    const child = await testCertificate(root, { name: 'short', algorithm: 'P-256', notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') });
    expect(validAt(child.certificate, new Date('2023-12-31T23:59:59Z'))).toBe('not-yet-valid');
    expect(validAt(child.certificate, new Date('2024-06-01T00:00:00Z'))).toBe('valid');
    expect(validAt(child.certificate, new Date('2025-01-01T00:00:01Z'))).toBe('expired');
  });
});
