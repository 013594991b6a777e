import { createHash, randomBytes } from 'node:crypto';
import {
  bytesEqual,
  childrenOf,
  decodeDer,
  der,
  expectTag,
  isContextTag,
  readBitFlags,
  readBitString,
  readBoolean,
  readExplicit,
  readInteger,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  readTime,
  Tag,
  type DerElement,
} from './der.js';
import { readPublicKey, signatureAlgorithmOf, signatureAlgorithmOid, verifySignature, type MessageSigner, type PublicKey } from './signature-algorithms.js';

/**
 * X.509 v3 certificates (RFC 5280) for SM2 and P-256, read and written with der.ts. The common
 * x509 libraries can neither sign nor verify SM2-with-SM3 (1.2.156.10197.1.501, GM/T 0015: the
 * signature covers SM3(ZA || TBSCertificate) with the default ID), so the TBSCertificate is
 * built here and signed through a vault key, and verified with the platform's own SM2 code.
 */

export const KEY_USAGES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

/** Attribute types of distinguished names, by short name. */
const NAME_ATTRIBUTES = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
} as const;
export type NameAttribute = keyof typeof NAME_ATTRIBUTES;
const SHORT_NAMES = new Map<string, string>(Object.entries(NAME_ATTRIBUTES).map(([short, oid]) => [oid, short]));

const EXTENSION = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

export interface DistinguishedName {
  /** the Name exactly as encoded; chains are matched on these bytes */
  readonly der: Uint8Array;
  /** e.g. "C=CN, O=示例科技有限公司, CN=合同专用章" */
  readonly text: string;
}

export interface Certificate {
  readonly der: Uint8Array;
  /** the TBSCertificate bytes the issuer signed */
  readonly tbs: Uint8Array;
  readonly version: number;
  readonly serialNumber: bigint;
  /** OID of the issuer's signature algorithm */
  readonly signatureAlgorithm: string;
  /** DER (r, s) */
  readonly signature: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** undefined when the key is neither SM2 nor P-256 */
  readonly publicKey: PublicKey | undefined;
  /** the SubjectPublicKeyInfo bytes */
  readonly spki: Uint8Array;
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  readonly keyUsage?: ReadonlySet<KeyUsage>;
  readonly extendedKeyUsage?: readonly string[];
  readonly subjectKeyIdentifier?: Uint8Array;
  /** OIDs of extensions marked critical that this reader does not understand */
  readonly unknownCriticalExtensions: readonly string[];
}

export class CertificateError extends Error {
  constructor(message: string) {
    super(`certificate: ${message}`);
    this.name = 'CertificateError';
  }
}

/** Parses a DER certificate; throws CertificateError (or DerError) for anything that is not one. */
export function parseCertificate(bytes: Uint8Array): Certificate {
  const root = decodeDer(bytes);
  const [tbsElement, algorithm, signatureValue] = childrenOf(root, Tag.SEQUENCE, 'Certificate');
  const fields = [...childrenOf(tbsElement!, Tag.SEQUENCE, 'TBSCertificate')];
  const version = isContextTag(fields[0], 0) ? readSmallInteger(readExplicit(fields.shift(), 0, 'version'), 'version') + 1 : 1;
  const [serial, , issuer, validity, subject, spki, ...rest] = fields;
  const [notBefore, notAfter] = childrenOf(validity!, Tag.SEQUENCE, 'validity');
  const spkiBytes = expectTag(spki, Tag.SEQUENCE, 'SubjectPublicKeyInfo').encoded;
  let publicKey: PublicKey | undefined;
  try {
    publicKey = readPublicKey(spkiBytes);
  } catch {
    publicKey = undefined;
  }
  const extensions = readExtensions(rest.find((field) => isContextTag(field, 3)));
  return {
    der: root.encoded,
    tbs: tbsElement!.encoded,
    version,
    serialNumber: readInteger(serial, 'serialNumber'),
    signatureAlgorithm: readOid(childrenOf(algorithm!, Tag.SEQUENCE, 'signatureAlgorithm')[0], 'signatureAlgorithm'),
    signature: readBitString(signatureValue, 'signatureValue'),
    issuer: readName(issuer!),
    subject: readName(subject!),
    notBefore: readTime(notBefore, 'notBefore'),
    notAfter: readTime(notAfter, 'notAfter'),
    publicKey,
    spki: spkiBytes,
    ...extensions,
  };
}

function readName(element: DerElement): DistinguishedName {
  const parts: string[] = [];
  for (const rdn of childrenOf(element, Tag.SEQUENCE, 'Name')) {
    for (const attribute of childrenOf(rdn, Tag.SET, 'RelativeDistinguishedName')) {
      const [type, value] = childrenOf(attribute, Tag.SEQUENCE, 'AttributeTypeAndValue');
      const oid = readOid(type, 'attribute type');
      let text: string;
      try {
        text = readString(value, 'attribute value');
      } catch {
        text = `#${Buffer.from(value!.encoded).toString('hex')}`;
      }
      parts.push(`${SHORT_NAMES.get(oid) ?? oid}=${text}`);
    }
  }
  return { der: element.encoded, text: parts.join(', ') };
}

type ExtensionFields = Pick<Certificate, 'basicConstraints' | 'keyUsage' | 'extendedKeyUsage' | 'subjectKeyIdentifier' | 'unknownCriticalExtensions'>;

function readExtensions(wrapper: DerElement | undefined): ExtensionFields {
  const fields: { -readonly [K in keyof ExtensionFields]: ExtensionFields[K] } = { unknownCriticalExtensions: [] };
  if (!wrapper) return fields;
  const unknownCritical: string[] = [];
  for (const extension of childrenOf(readExplicit(wrapper, 3, 'extensions'), Tag.SEQUENCE, 'Extensions')) {
    const parts = childrenOf(extension, Tag.SEQUENCE, 'Extension');
    const oid = readOid(parts[0], 'extnID');
    const critical = parts.length === 3 && readBoolean(parts[1], 'critical');
    const value = decodeDer(readOctetString(parts[parts.length - 1], 'extnValue'));
    switch (oid) {
      case EXTENSION.basicConstraints: {
        const [first, second] = childrenOf(value, Tag.SEQUENCE, 'basicConstraints');
        const ca = first?.tag === Tag.BOOLEAN ? readBoolean(first, 'cA') : false;
        const pathElement = first?.tag === Tag.INTEGER ? first : second;
        fields.basicConstraints = { ca, ...(pathElement ? { pathLength: readSmallInteger(pathElement, 'pathLenConstraint') } : {}) };
        break;
      }
      case EXTENSION.keyUsage: {
        const bits = readBitFlags(value, 'keyUsage');
        fields.keyUsage = new Set(KEY_USAGES.filter((_, i) => bits[i]));
        break;
      }
      case EXTENSION.extendedKeyUsage:
        fields.extendedKeyUsage = childrenOf(value, Tag.SEQUENCE, 'extKeyUsage').map((purpose) => readOid(purpose, 'KeyPurposeId'));
        break;
      case EXTENSION.subjectKeyIdentifier:
        fields.subjectKeyIdentifier = readOctetString(value, 'subjectKeyIdentifier');
        break;
      default:
        if (critical && oid !== EXTENSION.authorityKeyIdentifier) unknownCritical.push(oid);
    }
  }
  fields.unknownCriticalExtensions = unknownCritical;
  return fields;
}

const CHECKED_SIGNATURES = 256;
/** outcomes by certificate and issuer key: chains repeat (every seal signature names the same maker and root) */
const checkedSignatures = new Map<string, boolean>();

/** True when `issuer`'s key made the certificate's signature (and the signature algorithm is one we know). */
export function isSignedBy(certificate: Certificate, issuer: Certificate): boolean {
  if (!issuer.publicKey || !signatureAlgorithmOf(certificate.signatureAlgorithm)) return false;
  if (signatureAlgorithmOf(certificate.signatureAlgorithm) !== issuer.publicKey.algorithm) return false;
  const key = `${certificateFingerprint(certificate.der)}:${certificateFingerprint(issuer.spki)}`;
  let outcome = checkedSignatures.get(key);
  if (outcome === undefined) {
    outcome = verifySignature(issuer.publicKey, certificate.tbs, certificate.signature);
    if (checkedSignatures.size >= CHECKED_SIGNATURES) checkedSignatures.delete(checkedSignatures.keys().next().value!);
    checkedSignatures.set(key, outcome);
  }
  return outcome;
}

/** True when the names are the same Name (compared as encoded, as chains are built). */
export const sameName = (a: DistinguishedName, b: DistinguishedName) => bytesEqual(a.der, b.der);

export function validAt(certificate: Certificate, time: Date): 'valid' | 'expired' | 'not-yet-valid' {
  if (time < certificate.notBefore) return 'not-yet-valid';
  if (time > certificate.notAfter) return 'expired';
  return 'valid';
}

/** hex SHA-256 of the DER, the fingerprint the platform names certificates by */
export const certificateFingerprint = (certificate: Uint8Array) => createHash('sha256').update(certificate).digest('hex');

// ---- writing ----

export type NameInput = Partial<Record<NameAttribute, string>>;

/** Encodes a Name in the order C, ST, L, O, OU, serialNumber, CN; C and serialNumber as PrintableString. */
export function encodeName(name: NameInput): Uint8Array {
  const order: NameAttribute[] = ['C', 'ST', 'L', 'O', 'OU', 'serialNumber', 'CN'];
  return der.sequence(
    ...order
      .filter((attribute) => name[attribute] !== undefined)
      .map((attribute) => {
        const value = name[attribute]!;
        const encoded = attribute === 'C' || attribute === 'serialNumber' ? der.printableString(value) : der.utf8String(value);
        return der.set(der.sequence(der.oid(NAME_ATTRIBUTES[attribute]), encoded));
      }),
  );
}

export interface CertificateRequest {
  readonly subject: NameInput;
  readonly subjectPublicKey: PublicKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca: boolean;
  /** only for CA certificates: how many CA certificates may follow */
  readonly pathLength?: number;
  readonly keyUsage: readonly KeyUsage[];
  /** key purpose OIDs, written critical (a time-stamp authority's 1.3.6.1.5.5.7.3.8) */
  readonly extendedKeyUsage?: readonly string[];
}

/** the issuing side: its key and, unless self-signing, its certificate */
export interface CertificateIssuer {
  readonly signer: MessageSigner;
  readonly certificate?: Certificate;
}

/**
 * Issues a certificate.
 * 1. a random positive 128-bit serial number;
 * 2. the TBSCertificate: v3, the issuer's signature algorithm, the issuer's subject as issuer
 *    (the request's subject when self-signed), validity as UTCTime until 2049 and GeneralizedTime
 *    after (RFC 5280 §4.1.2.5), basic constraints and key usage (critical), key identifiers;
 * 3. the issuer's key signs the TBSCertificate through the vault.
 */
export async function issueCertificate(request: CertificateRequest, issuer: CertificateIssuer): Promise<Uint8Array> {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  serial[0]! |= 0x01;
  const algorithm = der.sequence(der.oid(signatureAlgorithmOid(issuer.signer.publicKey.algorithm)));
  const subjectName = encodeName(request.subject);
  const issuerName = issuer.certificate ? issuer.certificate.subject.der : subjectName;
  const authorityKeyId = issuer.certificate?.subjectKeyIdentifier ?? keyIdentifier(issuer.signer.publicKey);
  const extensions = [
    extension(EXTENSION.basicConstraints, true, der.sequence(...(request.ca ? [der.boolean(true), ...(request.pathLength === undefined ? [] : [der.integer(request.pathLength)])] : []))),
    extension(EXTENSION.keyUsage, true, der.bitFlags(KEY_USAGES.map((usage) => request.keyUsage.includes(usage)))),
    ...(request.extendedKeyUsage ? [extension(EXTENSION.extendedKeyUsage, true, der.sequence(...request.extendedKeyUsage.map(der.oid)))] : []),
    extension(EXTENSION.subjectKeyIdentifier, false, der.octetString(keyIdentifier(request.subjectPublicKey))),
    extension(EXTENSION.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, authorityKeyId))),
  ];
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(BigInt(`0x${serial.toString('hex')}`)),
    algorithm,
    issuerName,
    der.sequence(certificateTime(request.notBefore), certificateTime(request.notAfter)),
    subjectName,
    request.subjectPublicKey.spki,
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = await issuer.signer.sign(tbs);
  return der.sequence(tbs, algorithm, der.bitString(signature));
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return der.sequence(der.oid(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits */
function keyIdentifier(key: PublicKey): Uint8Array {
  return createHash('sha1').update(key.point).digest();
}

/** whole seconds: RFC 5280 allows no fractions in certificate times */
function certificateTime(date: Date): Uint8Array {
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return seconds.getUTCFullYear() < 2050 ? der.utcTime(seconds) : der.generalizedTime(seconds);
}
