import { generateKeyPairSync, sign as signWithNode } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { generateSm2KeyPair, signSm2Digest, sm2PublicKeyToSpki } from '../../shared/crypto/sm2.js';
import { hashAlgorithmOf, hashData, OID, readPublicKey, signatureAlgorithmOid, signingDigest, type MessageSigner, type SignatureAlgorithm } from '../../shared/crypto/signature-algorithms.js';
import { issueCertificate, parseCertificate, type Certificate, type KeyUsage } from '../../shared/crypto/x509.js';
import { assembleSeal, decodeSeal, encodeSealInfo, makerSignedBytes, type SesVersion } from '../../shared/seals/ses-seal.js';
import { assembleSignatureV1, assembleSignatureV4, encodeTbsSignV1, encodeTbsSignV4 } from '../../shared/seals/ses-signature.js';
import { CMS } from '../../shared/seals/time-stamp.js';
import { der } from '../../shared/crypto/der.js';

/** Files of test/fixtures/ses (real seals and signatures of other implementations, see its README). */
export function sesFixture(name: string): Uint8Array {
  return Uint8Array.from(readFileSync(new URL(`../fixtures/ses/${name}`, import.meta.url)));
}

/** the certificate of a PEM file of test/fixtures/ses/certs */
export function fixtureCertificate(name: string): Uint8Array {
  const pem = readFileSync(new URL(`../fixtures/ses/certs/${name}`, import.meta.url), 'utf8');
  const body = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!body) throw new Error(`${name} holds no certificate`);
  return Uint8Array.from(Buffer.from(body.replace(/\s/g, ''), 'base64'));
}

/** a signer whose private key lives in the test, for building CAs and seals outside the vault */
export function memorySigner(algorithm: SignatureAlgorithm): MessageSigner {
  if (algorithm === 'SM2') {
    const pair = generateSm2KeyPair();
    const publicKey = readPublicKey(sm2PublicKeyToSpki(pair.publicKey));
    return { keyId: 'memory-sm2', publicKey, sign: async (message) => signSm2Digest(signingDigest(publicKey, message), pair.privateKey) };
  }
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = readPublicKey(Uint8Array.from(pair.publicKey.export({ type: 'spki', format: 'der' })));
  return { keyId: 'memory-p256', publicKey, sign: async (message) => Uint8Array.from(signWithNode('sha256', message, { key: pair.privateKey, dsaEncoding: 'der' })) };
}

export interface TestIssuer {
  readonly signer: MessageSigner;
  readonly der: Uint8Array;
  readonly certificate: Certificate;
}

const YEAR = 365 * 24 * 3600 * 1000;

/** A self-signed test root CA. */
export async function testRoot(algorithm: SignatureAlgorithm, name = 'Test Seal Root', from = new Date('2020-01-01T00:00:00Z')): Promise<TestIssuer> {
  const signer = memorySigner(algorithm);
  const der = await issueCertificate(
    { subject: { C: 'CN', O: 'Test', CN: name }, subjectPublicKey: signer.publicKey, notBefore: from, notAfter: new Date(from.getTime() + 30 * YEAR), ca: true, keyUsage: ['keyCertSign', 'cRLSign'] },
    { signer },
  );
  return { signer, der, certificate: parseCertificate(der) };
}

/** A certificate for a new key, issued by `issuer`. */
export async function testCertificate(
  issuer: TestIssuer,
  options: { name: string; algorithm: SignatureAlgorithm; ca?: boolean; keyUsage?: KeyUsage[]; extendedKeyUsage?: string[]; notBefore?: Date; notAfter?: Date },
): Promise<TestIssuer> {
  const signer = memorySigner(options.algorithm);
  const notBefore = options.notBefore ?? new Date('2020-01-01T00:00:00Z');
  const der = await issueCertificate(
    {
      subject: { C: 'CN', O: 'Test', CN: options.name },
      subjectPublicKey: signer.publicKey,
      notBefore,
      notAfter: options.notAfter ?? new Date(notBefore.getTime() + 20 * YEAR),
      ca: options.ca ?? false,
      ...(options.ca ? { pathLength: 0 } : {}),
      keyUsage: options.keyUsage ?? (options.ca ? ['digitalSignature', 'keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation']),
      ...(options.extendedKeyUsage ? { extendedKeyUsage: options.extendedKeyUsage } : {}),
    },
    { signer: issuer.signer, certificate: issuer.certificate },
  );
  return { signer, der, certificate: parseCertificate(der) };
}

/** the PNG picture of ofdrw's test seal */
export const FIXTURE_PNG = decodeSeal(sesFixture('v4_ofdrw_UserV4.esl')).info.picture.data;

export interface TestSealOptions {
  readonly version: SesVersion;
  readonly maker: TestIssuer;
  /** certificates of the seal's signers */
  readonly owners: readonly Uint8Array[];
  readonly esID?: string;
  readonly validStart?: Date;
  readonly validEnd?: Date;
}

/** A seal made outside the platform with test keys, v4 or v1. */
export async function makeTestSeal(options: TestSealOptions): Promise<Uint8Array> {
  const info = encodeSealInfo(
    {
      header: { id: 'ES', version: options.version, vendorId: 'TEST' },
      esID: options.esID ?? `TEST${options.version}${Date.now()}`,
      property: {
        type: 1,
        name: '测试单位印章',
        certList: { kind: 'certs', certificates: options.owners },
        createDate: options.validStart ?? new Date('2021-01-01T00:00:00Z'),
        validStart: options.validStart ?? new Date('2021-01-01T00:00:00Z'),
        validEnd: options.validEnd ?? new Date('2031-01-01T00:00:00Z'),
      },
      picture: { type: 'png', data: FIXTURE_PNG, widthMm: 40, heightMm: 40 },
      extensions: [],
    },
    options.version,
  );
  const algorithm = signatureAlgorithmOid(options.maker.signer.publicKey.algorithm);
  const signature = await options.maker.signer.sign(makerSignedBytes(options.version, info, options.maker.der, algorithm));
  return assembleSeal(options.version, info, options.maker.der, algorithm, signature);
}

/** A signature over data with a seal, by a signer that need not be in the seal's certList. */
export async function makeTestSignature(options: { version: SesVersion; seal: Uint8Array; signer: TestIssuer; data: Uint8Array; timeInfo: Date; timeStamp?: (signatureValue: Uint8Array) => Promise<Uint8Array> }): Promise<Uint8Array> {
  const algorithm = signatureAlgorithmOid(options.signer.signer.publicKey.algorithm);
  const dataHash = hashData(hashAlgorithmOf(options.signer.signer.publicKey.algorithm), options.data);
  const base = { seal: options.seal, timeInfo: options.timeInfo, dataHash, propertyInfo: 'test.txt' };
  if (options.version === 1) {
    const tbs = encodeTbsSignV1({ ...base, signerCertificate: options.signer.der, algorithmOid: algorithm });
    return assembleSignatureV1(tbs, await options.signer.signer.sign(tbs));
  }
  const tbs = encodeTbsSignV4(base);
  const value = await options.signer.signer.sign(tbs);
  return assembleSignatureV4(tbs, options.signer.der, algorithm, value, options.timeStamp ? await options.timeStamp(value) : undefined);
}

/** The entries of a zip file (an OFD package), inflated: enough to read the fixture OFD. */
export function zipEntries(zip: Uint8Array): Map<string, Uint8Array> {
  const bytes = Buffer.from(zip);
  const entries = new Map<string, Uint8Array>();
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let offset = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < bytes.readUInt16LE(end + 10); i++) {
    const method = bytes.readUInt16LE(offset + 10);
    const compressedSize = bytes.readUInt32LE(offset + 20);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const local = bytes.readUInt32LE(offset + 42);
    const name = bytes.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, Uint8Array.from(method === 8 ? inflateRawSync(data) : data));
    offset += 46 + nameLength + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
  }
  return entries;
}

/**
 * Issues a token over data as an RFC 3161 authority answers a request, with a test authority's
 * key and certificate (extended key usage timeStamping).
 * 1. TSTInfo: policy, the imprint (SM3 for SM2 authorities, else SHA-256), serial, genTime;
 * 2. signed attributes: content type TSTInfo and the digest of the TSTInfo;
 * 3. the authority signs the attributes; SignedData carries its certificate.
 */
export async function issueTestTimeStampToken(authority: { signer: MessageSigner; certificate: Uint8Array }, input: { data: Uint8Array; time: Date; serial: bigint; policy: string }): Promise<Uint8Array> {
  const hash = authority.signer.publicKey.algorithm === 'SM2' ? 'SM3' : 'SHA-256';
  const hashOid = hash === 'SM3' ? OID.sm3 : OID.sha256;
  const algorithm = der.sequence(der.oid(hashOid));
  const tstInfo = der.sequence(
    der.integer(1),
    der.oid(input.policy),
    der.sequence(algorithm, der.octetString(hashData(hash, input.data))),
    der.integer(input.serial),
    der.generalizedTime(input.time),
  );
  const attributes = [
    der.sequence(der.oid(CMS.contentType), der.set(der.oid(CMS.tstInfo))),
    der.sequence(der.oid(CMS.messageDigest), der.set(der.octetString(hashData(hash, tstInfo)))),
  ];
  const signature = await authority.signer.sign(der.set(...attributes));
  const certificate = parseCertificate(authority.certificate);
  const signerInfo = der.sequence(
    der.integer(1),
    der.sequence(certificate.issuer.der, der.integer(certificate.serialNumber)),
    algorithm,
    Uint8Array.from([0xa0, ...der.set(...attributes).subarray(1)]),
    der.sequence(der.oid(authority.signer.publicKey.algorithm === 'SM2' ? OID.sm2WithSm3 : OID.ecdsaWithSha256)),
    der.octetString(signature),
  );
  const signedData = der.sequence(
    der.integer(3),
    der.set(algorithm),
    der.sequence(der.oid(CMS.tstInfo), der.explicit(0, der.octetString(tstInfo))),
    Uint8Array.from([0xa0, ...der.set(authority.certificate).subarray(1)]),
    der.set(signerInfo),
  );
  return der.sequence(der.oid(CMS.signedData[0]), der.explicit(0, signedData));
}
