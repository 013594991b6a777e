import { decodeDer, isCanonicalDer } from '../crypto/der.js';
import { hashAlgorithmOf, signatureAlgorithmOf, verifySignature } from '../crypto/signature-algorithms.js';
import { parseCertificate, sameName, type Certificate } from '../crypto/x509.js';
import { mayIssueCertificates, validateChain, type TrustStore } from './trust-store.js';
import { decodeSeal, type DecodedSeal } from './ses-seal.js';
import { decodeSignature, type DecodedSignature } from './ses-signature.js';
import { formatProblem, isInCertList } from './verify-seal-signature.js';
import { verifyTimeStampToken } from './time-stamp.js';

/**
 * The access test (GB/T 39047 §6.3.3 d): a seal maker or relying platform submits a seal or a
 * signature and gets a structured conformance report against GB/T 38540 (structure, encodings,
 * algorithms, certificate profile). Nothing is registered. Errors make it non-conformant;
 * warnings are deviations that verifiers here tolerate; info notes what a relying party should know.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
}

export interface ConformanceReport {
  readonly conformant: boolean;
  readonly findings: readonly Finding[];
}

const PICTURE_TYPES: Readonly<Record<string, Uint8Array | undefined>> = {
  png: Uint8Array.of(0x89, 0x50, 0x4e, 0x47),
  gif: Uint8Array.of(0x47, 0x49, 0x46, 0x38),
  jpg: Uint8Array.of(0xff, 0xd8, 0xff),
  jpeg: Uint8Array.of(0xff, 0xd8, 0xff),
  bmp: Uint8Array.of(0x42, 0x4d),
  svg: undefined,
  // an OFD picture is a zip package
  ofd: Uint8Array.of(0x50, 0x4b, 0x03, 0x04),
};
/** the largest seal a person would stamp, in millimetres */
const MAX_PICTURE_MM = 200;

/**
 * Checks a seal, a signature, or both.
 * 1. the bytes are strict DER and parse as SESeal / SES_Signature (else one error and stop);
 * 2. seal: header, version (v1 is a warning: the legacy GM/T 0031 format), the maker algorithm
 *    (SM2 expected by GB/T 38540), the maker certificate and its signature over the seal, the
 *    certList, validity dates, picture type, data and size, the maker's certificate profile;
 * 3. signature: algorithm, signer certificate profile, the signature itself, certList
 *    membership, signing time inside the seal's validity, dataHash length, the timestamp;
 * 4. whether the certificates chain to an anchor trusted here (info only).
 */
export function checkConformance(input: { seal?: Uint8Array; signature?: Uint8Array }, store: TrustStore): ConformanceReport {
  const findings: Finding[] = [];
  const add = (severity: Severity, code: string, message: string) => findings.push({ code, severity, message });
  if (input.signature) {
    const signature = decodeOrReport(input.signature, 'SES_Signature', decodeSignature, add);
    if (signature) checkSignature(signature, store, add);
  }
  if (input.seal) {
    const seal = decodeOrReport(input.seal, 'SESeal', decodeSeal, add);
    if (seal) checkSeal(seal, store, add);
  }
  return { conformant: !findings.some((finding) => finding.severity === 'error'), findings };
}

type Add = (severity: Severity, code: string, message: string) => void;

function decodeOrReport<T extends { deviations: readonly string[] }>(bytes: Uint8Array, what: string, decode: (bytes: Uint8Array) => T, add: Add): T | undefined {
  try {
    if (!isCanonicalDer(decodeDer(bytes))) add('warning', 'not-der', `the ${what} is valid BER but not DER (lengths, integers or booleans are not in their one DER form)`);
  } catch (error) {
    add('error', 'bad-structure', `the ${what} is not ASN.1 DER: ${(error as Error).message}`);
    return undefined;
  }
  try {
    const decoded = decode(bytes);
    for (const deviation of new Set(decoded.deviations)) add('warning', 'not-der', deviation);
    return decoded;
  } catch (error) {
    add('error', 'bad-structure', `not a ${what} of GB/T 38540 or GM/T 0031: ${(error as Error).message}`);
    return undefined;
  }
}

function checkSeal(seal: DecodedSeal, store: TrustStore, add: Add): void {
  const { info } = seal;
  const problem = formatProblem(seal);
  if (problem) add('error', 'bad-header', problem);
  if (seal.version === 1) add('warning', 'legacy-format', 'a GM/T 0031-2014 (v1) seal: accepted for verification, but new seals follow GB/T 38540-2020 (v4)');
  if (!info.esID) add('error', 'missing-esid', 'the seal has no esID');
  const algorithm = signatureAlgorithmOf(seal.signatureAlgorithm);
  if (algorithm === 'P-256') add('warning', 'non-sm2-algorithm', 'the maker signs with ECDSA P-256; GB/T 38540 seals in China use SM2 with SM3');

  const maker = certificateOrReport(seal.makerCertificate, 'maker', add);
  if (maker && algorithm) {
    if (!maker.publicKey || maker.publicKey.algorithm !== algorithm) add('error', 'algorithm-mismatch', "the maker certificate's key does not fit the seal's signature algorithm");
    else if (!verifySignature(maker.publicKey, seal.signedBytes, seal.signature)) add('error', 'bad-maker-signature', "the maker's signature over the seal does not verify");
    if (maker.keyUsage && !maker.keyUsage.has('digitalSignature')) add('warning', 'maker-key-usage', 'the maker certificate does not allow digitalSignature');
    if (info.property.createDate < maker.notBefore || info.property.createDate > maker.notAfter) add('warning', 'maker-certificate-validity', 'the seal was made outside the maker certificate\'s validity');
    chainInfo(maker, info.property.createDate, store, 'maker', add);
  }

  const { property, picture } = info;
  const certificates = property.certList.kind === 'certs' ? property.certList.certificates : [];
  if (property.certList.kind === 'certs' ? certificates.length === 0 : property.certList.digests.length === 0) add('error', 'empty-cert-list', 'the seal lists no signer certificate');
  for (const [index, bytes] of certificates.entries()) {
    const owner = certificateOrReport(bytes, `certList[${index}]`, add);
    if (!owner) continue;
    if (owner.basicConstraints?.ca) add('warning', 'signer-is-ca', `certList[${index}] is a CA certificate`);
    if (owner.keyUsage && !owner.keyUsage.has('digitalSignature') && !owner.keyUsage.has('nonRepudiation')) add('warning', 'signer-key-usage', `certList[${index}] allows neither digitalSignature nor nonRepudiation`);
  }
  if (property.validStart >= property.validEnd) add('error', 'bad-validity', 'validStart is not before validEnd');
  if (property.createDate > property.validEnd) add('warning', 'created-after-validity', 'the seal was made after its validity ended');

  const type = picture.type.toLowerCase();
  if (!(type in PICTURE_TYPES)) add('warning', 'picture-type', `picture type "${picture.type}" is none of ${Object.keys(PICTURE_TYPES).join(', ')}`);
  const magic = PICTURE_TYPES[type];
  if (picture.data.length === 0) add('error', 'picture-data', 'the picture is empty');
  else if (magic && !magic.every((byte, i) => picture.data[i] === byte)) add('error', 'picture-data', `the picture data is not ${picture.type}`);
  if (picture.widthMm <= 0 || picture.heightMm <= 0 || picture.widthMm > MAX_PICTURE_MM || picture.heightMm > MAX_PICTURE_MM) {
    add('warning', 'picture-size', `picture size ${picture.widthMm} × ${picture.heightMm} mm is outside 1 to ${MAX_PICTURE_MM} mm`);
  }
}

function checkSignature(signature: DecodedSignature, store: TrustStore, add: Add): void {
  checkSeal(signature.seal, store, add);
  const algorithm = signatureAlgorithmOf(signature.signatureAlgorithm);
  if (!algorithm) add('error', 'unknown-algorithm', `unknown signature algorithm ${signature.signatureAlgorithm}`);
  const signer = certificateOrReport(signature.signerCertificate, 'signer', add);
  if (signer && algorithm) {
    if (!signer.publicKey || signer.publicKey.algorithm !== algorithm) add('error', 'algorithm-mismatch', "the signer certificate's key does not fit the signature algorithm");
    else if (!verifySignature(signer.publicKey, signature.signedBytes, signature.signature)) add('error', 'bad-signature', 'the signature over TBS_Sign does not verify');
    if (signature.timeInfo < signer.notBefore || signature.timeInfo > signer.notAfter) add('warning', 'signer-certificate-validity', 'the signing time lies outside the signer certificate\'s validity');
    chainInfo(signer, signature.timeInfo, store, 'signer', add, [parseSafely(signature.seal.makerCertificate)].filter((c): c is Certificate => c !== undefined));
  }
  if (!isInCertList(signature.signerCertificate, signature.seal.info.property.certList)) add('error', 'not-in-cert-list', "the signer certificate is not in the seal's certList");
  const { validStart, validEnd } = signature.seal.info.property;
  if (signature.timeInfo < validStart || signature.timeInfo > validEnd) add('warning', 'signed-outside-validity', 'the signing time lies outside the seal\'s validity');
  if (algorithm && signature.dataHash.length !== 32) add('error', 'bad-data-hash', `dataHash has ${signature.dataHash.length} bytes; ${hashAlgorithmOf(algorithm)} gives 32`);
  if (!signature.propertyInfo) add('warning', 'empty-property-info', 'propertyInfo is empty: nothing says what was signed');
  if (signature.timeStamp) {
    const timestamp = verifyTimeStampToken(signature.timeStamp, signature.signature, store);
    if (timestamp.ok) add('info', 'timestamp', `time-stamped at ${timestamp.time!.toISOString()}`);
    else if (timestamp.problem?.startsWith('authority certificate')) add('info', 'untrusted-timestamp-authority', `the time-stamp authority is not trusted here: ${timestamp.problem}`);
    else add('error', 'bad-timestamp', `the time-stamp token does not verify: ${timestamp.problem}`);
  }
}

function certificateOrReport(bytes: Uint8Array, role: string, add: Add): Certificate | undefined {
  try {
    const certificate = parseCertificate(bytes);
    if (!certificate.publicKey) add('error', 'unsupported-key', `the ${role} certificate's key is neither SM2 nor P-256`);
    if (certificate.unknownCriticalExtensions.length > 0) add('warning', 'unknown-critical-extension', `the ${role} certificate has critical extensions this platform does not know: ${certificate.unknownCriticalExtensions.join(', ')}`);
    return certificate;
  } catch (error) {
    add('error', 'bad-certificate', `the ${role} certificate does not parse: ${(error as Error).message}`);
    return undefined;
  }
}

function chainInfo(certificate: Certificate, at: Date, store: TrustStore, role: string, add: Add, intermediates: readonly Certificate[] = []): void {
  const chain = validateChain(certificate, at, store, intermediates);
  if (!chain.ok) add('info', 'untrusted-issuer', `the ${role} certificate (issuer ${certificate.issuer.text}) does not chain to an anchor trusted here (${chain.reason})`);
  const issuer = [...store.anchors, ...store.intermediates, ...intermediates].find((candidate) => sameName(candidate.subject, certificate.issuer));
  if (issuer && !mayIssueCertificates(issuer)) add('info', 'issuer-profile', `the issuing certificate ${issuer.subject.text} is not marked for certificate signing (keyCertSign)`);
}

function parseSafely(bytes: Uint8Array): Certificate | undefined {
  try {
    return parseCertificate(bytes);
  } catch {
    return undefined;
  }
}
