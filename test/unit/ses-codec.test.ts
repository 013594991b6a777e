import { describe, expect, it } from '@jest/globals';
import { der } from '../../shared/crypto/der.js';
import { assembleSeal, decodeSeal, encodeSealInfo, makerSignedBytes, SesFormatError, type SealInfo } from '../../shared/seals/ses-seal.js';
import { assembleSignatureV1, assembleSignatureV4, decodeSignature, encodeTbsSignV1, encodeTbsSignV4 } from '../../shared/seals/ses-signature.js';
import { FIXTURE_PNG, issueTestTimeStampToken, testCertificate, testRoot } from '../support/seal-fixtures.js';

const CERT_A = der.sequence(der.utf8String('not a real certificate, the codec does not look inside'));
const CERT_B = der.sequence(der.integer(42));
const SM2_WITH_SM3 = '1.2.156.10197.1.501';
const SIGNATURE = der.sequence(der.integer(1n << 255n), der.integer(7));

function info(version: 1 | 4, overrides: Partial<SealInfo> = {}): SealInfo {
  return {
    header: { id: 'ES', version, vendorId: 'GOVSP' },
    esID: '33010600000001',
    property: {
      type: 4,
      name: '示例科技有限公司合同专用章',
      certList: { kind: 'certs', certificates: [CERT_A, CERT_B] },
      createDate: new Date('2024-05-01T08:00:00Z'),
      validStart: new Date('2024-05-01T08:00:00Z'),
      validEnd: new Date('2026-05-01T08:00:00Z'),
    },
    picture: { type: 'png', data: FIXTURE_PNG, widthMm: 42, heightMm: 42 },
    extensions: [],
    ...overrides,
  };
}

describe('SESeal', () => {
  it('round-trips a v4 seal, with extensions and a certDigestList', () => {
    const content = info(4, {
      property: { ...info(4).property, certList: { kind: 'digests', digests: [{ type: 'sm3', value: new Uint8Array(32).fill(9) }] } },
      extensions: [
        { id: '1.2.156.10197.6.7.2.2.1', critical: false, value: Uint8Array.from(Buffer.from('2.1')) },
        { id: '1.2.3.4', critical: true, value: Uint8Array.of(1) },
      ],
    });
    const sealInfo = encodeSealInfo(content, 4);
    const esl = assembleSeal(4, sealInfo, CERT_A, SM2_WITH_SM3, SIGNATURE);
    const seal = decodeSeal(esl);
    expect(seal.version).toBe(4);
    expect(seal.info).toEqual(content);
    expect(seal.makerCertificate).toEqual(CERT_A);
    expect(seal.signatureAlgorithm).toBe(SM2_WITH_SM3);
    expect(seal.signature).toEqual(SIGNATURE);
    expect(seal.signedBytes).toEqual(sealInfo);
    expect(seal.deviations).toEqual([]);
    expect(encodeSealInfo(seal.info, 4)).toEqual(sealInfo);
  });

  it('round-trips a v1 seal: UTCTime dates and the maker signing SEQUENCE { sealInfo, cert, alg }', () => {
    const content = info(1);
    const sealInfo = encodeSealInfo(content, 1);
    const seal = decodeSeal(assembleSeal(1, sealInfo, CERT_B, SM2_WITH_SM3, SIGNATURE));
    expect(seal.version).toBe(1);
    expect(seal.info).toEqual(content);
    expect(seal.signedBytes).toEqual(makerSignedBytes(1, sealInfo, CERT_B, SM2_WITH_SM3));
    expect(seal.signedBytes).toEqual(der.sequence(sealInfo, der.octetString(CERT_B), der.oid(SM2_WITH_SM3)));
    expect(() => encodeSealInfo(info(1, { property: { ...content.property, certList: { kind: 'digests', digests: [] } } }), 1)).toThrow(SesFormatError);
  });

  it('reports what is not a seal', () => {
    expect(() => decodeSeal(der.sequence(der.integer(1), der.integer(2), der.integer(3)))).toThrow(SesFormatError);
    expect(() => decodeSeal(Uint8Array.from(Buffer.from('plain text')))).toThrow(SesFormatError);
    const sealInfo = Buffer.from(encodeSealInfo(info(4), 4));
    expect(() => decodeSeal(assembleSeal(4, sealInfo.subarray(0, sealInfo.length - 3), CERT_A, SM2_WITH_SM3, SIGNATURE))).toThrow(SesFormatError);
  });
});

describe('SES_Signature', () => {
  const seal = assembleSeal(4, encodeSealInfo(info(4), 4), CERT_A, SM2_WITH_SM3, SIGNATURE);
  const sealV1 = assembleSeal(1, encodeSealInfo(info(1), 1), CERT_B, SM2_WITH_SM3, SIGNATURE);
  const timeInfo = new Date('2025-03-04T05:06:07Z');
  const dataHash = new Uint8Array(32).fill(3);

  it('round-trips v4 with extension data and a time-stamp token', () => {
    const tbs = encodeTbsSignV4({ seal, timeInfo, dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', extensions: [{ id: '1.2.3', critical: false, value: Uint8Array.of(5) }] });
    const token = der.sequence(der.oid('1.2.840.113549.1.7.2'));
    const decoded = decodeSignature(assembleSignatureV4(tbs, CERT_B, SM2_WITH_SM3, SIGNATURE, token));
    expect(decoded).toMatchObject({ version: 4, timeInfo, dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signerCertificate: CERT_B, signatureAlgorithm: SM2_WITH_SM3, signature: SIGNATURE, timeStamp: token });
    expect(decoded.extensions).toEqual([{ id: '1.2.3', critical: false, value: Uint8Array.of(5) }]);
    expect(decoded.signedBytes).toEqual(tbs);
    expect(decoded.seal.der).toEqual(seal);
  });

  it('round-trips v1 with the signing time as a DER UTCTime in the BIT STRING', () => {
    const tbs = encodeTbsSignV1({ seal: sealV1, timeInfo, dataHash, propertyInfo: 'contract.pdf', signerCertificate: CERT_A, algorithmOid: SM2_WITH_SM3 });
    const decoded = decodeSignature(assembleSignatureV1(tbs, SIGNATURE));
    expect(decoded).toMatchObject({ version: 1, timeInfo, dataHash, propertyInfo: 'contract.pdf', signerCertificate: CERT_A, signatureAlgorithm: SM2_WITH_SM3, signature: SIGNATURE });
    expect(decoded.seal.version).toBe(1);
    expect(decoded.signedBytes).toEqual(tbs);
  });

  it('reads the v1 variants producers write: local time as text, OCTET STRING for BIT STRING', () => {
    const tbs = der.sequence(
      der.integer(1),
      sealV1,
      der.bitString(Buffer.from('2025-03-04 13:06:07')),
      der.octetString(dataHash),
      der.ia5String('contract.pdf'),
      der.octetString(CERT_A),
      der.oid(SM2_WITH_SM3),
    );
    const decoded = decodeSignature(assembleSignatureV1(tbs, SIGNATURE));
    expect(decoded.timeInfo).toEqual(timeInfo);
    expect(decoded.dataHash).toEqual(dataHash);
    expect(decoded.deviations).toEqual(expect.arrayContaining(['v1 timeInfo written as text', 'TBS_Sign.dataHash written as OCTET STRING instead of BIT STRING']));
  });

  it('takes the genTime of a time-stamp token in a v1 timeInfo as the signing time', async () => {
    const root = await testRoot('SM2');
    const tsa = await testCertificate(root, { name: 'TSA', algorithm: 'SM2', extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'] });
    const token = await issueTestTimeStampToken({ signer: tsa.signer, certificate: tsa.der }, { data: dataHash, time: timeInfo, serial: 1n, policy: '1.2.3.4.1' });
    const tbs = der.sequence(der.integer(1), sealV1, der.bitString(token), der.bitString(dataHash), der.ia5String('x'), der.octetString(CERT_A), der.oid(SM2_WITH_SM3));
    const decoded = decodeSignature(assembleSignatureV1(tbs, SIGNATURE));
    expect(decoded.timeInfo).toEqual(timeInfo);
    expect(decoded.timeStamp).toBeUndefined();
  });

  it('refuses a v4 signature whose TBS_Sign is not version 4', () => {
    const tbs = der.sequence(der.integer(3), seal, der.generalizedTime(timeInfo), der.bitString(dataHash), der.ia5String('x'));
    expect(() => decodeSignature(assembleSignatureV4(tbs, CERT_A, SM2_WITH_SM3, SIGNATURE))).toThrow(SesFormatError);
  });
});
