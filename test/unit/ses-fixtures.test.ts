import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { decodeDer } from '../../shared/crypto/der.js';
import { verifySignature } from '../../shared/crypto/signature-algorithms.js';
import { isSignedBy, parseCertificate } from '../../shared/crypto/x509.js';
import { decodeSeal, encodeSealInfo } from '../../shared/seals/ses-seal.js';
import { decodeSignature } from '../../shared/seals/ses-signature.js';
import { isInCertList } from '../../shared/seals/verify-seal-signature.js';
import { fixtureCertificate, sesFixture, zipEntries } from '../support/seal-fixtures.js';

/** Every expectation of test/fixtures/ses/README.md, on files made by other implementations. */
describe('v4_ofdrw_UserV4.esl', () => {
  const seal = decodeSeal(sesFixture('v4_ofdrw_UserV4.esl'));

  it('parses as a v4 seal', () => {
    expect(seal.version).toBe(4);
    expect(seal.info.header).toEqual({ id: 'ES', version: 4, vendorId: 'OFDR&WTest' });
    expect(seal.info.esID).toBe('51f044b76510434e9bc67a1185c2fba5');
    expect(seal.info.property).toMatchObject({ type: 3, name: 'OFD R&W 测试用印章', certList: { kind: 'certs' } });
    expect(seal.info.picture).toMatchObject({ type: 'PNG', widthMm: 40, heightMm: 40 });
    expect(seal.signatureAlgorithm).toBe('1.2.156.10197.1.501');
  });

  it('has a maker signature over DER(SES_SealInfo) that verifies with the maker certificate in it', () => {
    const maker = parseCertificate(seal.makerCertificate);
    expect(verifySignature(maker.publicKey!, seal.signedBytes, seal.signature)).toBe(true);
    expect(seal.signedBytes).toEqual(decodeDer(seal.der).children[0]!.encoded);
  });

  it('re-encodes its SES_SealInfo byte for byte', () => {
    expect(Buffer.from(encodeSealInfo(seal.info, 4)).equals(Buffer.from(seal.signedBytes))).toBe(true);
  });
});

describe('v1_ofdrw_UserV1.esl', () => {
  const seal = decodeSeal(sesFixture('v1_ofdrw_UserV1.esl'));
  const maker = parseCertificate(seal.makerCertificate);
  const sealInfo = decodeDer(seal.der).children[0]!.encoded;

  it('parses as a v1 seal with UTCTime dates', () => {
    expect(seal.version).toBe(1);
    expect(seal.info.header).toEqual({ id: 'ES', version: 1, vendorId: 'OFDR&WTest' });
    expect(seal.info.property.validStart.toISOString()).toBe('2020-04-22T02:18:07.000Z');
    expect(seal.deviations).toEqual([]);
  });

  it('has a maker signature over DER(SEQUENCE { sealInfo, cert, alg }) that verifies, and not over sealInfo alone', () => {
    expect(verifySignature(maker.publicKey!, seal.signedBytes, seal.signature)).toBe(true);
    expect(verifySignature(maker.publicKey!, sealInfo, seal.signature)).toBe(false);
  });

  it('re-encodes its SES_SealInfo byte for byte', () => {
    expect(Buffer.from(encodeSealInfo(seal.info, 1)).equals(Buffer.from(sealInfo))).toBe(true);
  });
});

describe('gomain_chongqing_v4: a third-party signature on an OFD e-invoice', () => {
  const signatureBytes = sesFixture('gomain_chongqing_v4/SignedValue.dat');
  const signatureXml = sesFixture('gomain_chongqing_v4/Signature.xml');
  const signature = decodeSignature(signatureBytes);
  const signer = parseCertificate(signature.signerCertificate);
  const maker = parseCertificate(signature.seal.makerCertificate);

  it('is the SignedValue.dat and Signature.xml inside the OFD package', () => {
    const ofd = zipEntries(sesFixture('v4_gomain_chongqing_tax_invoice.ofd'));
    expect(Buffer.from(ofd.get('Doc_0/Signs/Sign_0/SignedValue.dat')!).equals(Buffer.from(signatureBytes))).toBe(true);
    expect(Buffer.from(ofd.get('Doc_0/Signs/Sign_0/Signature.xml')!).equals(Buffer.from(signatureXml))).toBe(true);
  });

  it('has the v4 format, with the explicit critical FALSE noted as a deviation', () => {
    expect(signature.version).toBe(4);
    expect(signature.seal.version).toBe(4);
    expect(signature.propertyInfo).toBe('/Doc_0/Signs/Sign_0/Signature.xml');
    expect(signature.signatureAlgorithm).toBe('1.2.156.10197.1.501');
    expect(signature.seal.info.picture.type).toBe('ofd');
    expect(signature.seal.info.extensions).toEqual([{ id: '1.2.156.10197.6.7.2.2.1', critical: false, value: Uint8Array.from(Buffer.from('2.1')) }]);
    expect(signature.deviations).toContain('ExtData.critical written as FALSE (DER omits a DEFAULT value)');
  });

  it('has a signature over DER(TBS_Sign) that verifies', () => {
    expect(verifySignature(signer.publicKey!, signature.signedBytes, signature.signature)).toBe(true);
  });

  it('has dataHash = SM3(Signature.xml)', () => {
    expect(Buffer.from(signature.dataHash).toString('hex')).toBe(createHash('sm3').update(signatureXml).digest('hex'));
  });

  it('has its signer certificate in the certList', () => {
    expect(isInCertList(signature.signerCertificate, signature.seal.info.property.certList)).toBe(true);
  });

  it('was signed at 2020-10-10T07:11:20Z, inside the seal validity 2020-10-07..2023-10-07: valid then, expired now', () => {
    const { validStart, validEnd } = signature.seal.info.property;
    expect(signature.timeInfo.toISOString()).toBe('2020-10-10T07:11:20.000Z');
    expect(validStart.toISOString()).toBe('2020-10-07T16:00:00.000Z');
    expect(validEnd.toISOString()).toBe('2023-10-07T16:00:00.000Z');
    expect(signature.timeInfo > validStart && signature.timeInfo < validEnd).toBe(true);
    expect(new Date() > validEnd).toBe(true);
  });

  it('has a maker signature over DER(SES_SealInfo) that verifies', () => {
    expect(verifySignature(maker.publicKey!, signature.seal.signedBytes, signature.seal.signature)).toBe(true);
  });

  it('does not include the issuing CA, and carries no timestamp', () => {
    expect(signer.issuer.text).toBe('C=CN, CN=税务测试CA2(SM2)');
    expect(maker.issuer.text).toBe('C=CN, CN=税务测试CA2(SM2)');
    expect(isSignedBy(signer, maker)).toBe(false);
    expect(signature.timeStamp).toBeUndefined();
  });
});

describe('certs/*.pem', () => {
  it('chain the signer to the root by signature, while the root lacks keyCertSign', () => {
    const root = parseCertificate(fixtureCertificate('ofdrw_ROOT.pem'));
    const signer = parseCertificate(fixtureCertificate('ofdrw_USER_signer.pem'));
    expect(isSignedBy(signer, root)).toBe(true);
    expect(root.keyUsage?.has('keyCertSign')).toBe(false);
  });

  it('are the signer and maker certificates of the ofdrw seals', () => {
    const seal = decodeSeal(sesFixture('v4_ofdrw_UserV4.esl'));
    expect(isInCertList(fixtureCertificate('ofdrw_USER_signer.pem'), seal.info.property.certList)).toBe(true);
    expect(Buffer.from(seal.makerCertificate).equals(Buffer.from(fixtureCertificate('ofdrw_SealBuilder_maker.pem')))).toBe(true);
  });
});
