import {
  childrenOf,
  decodeDer,
  der,
  isContextTag,
  parseAsn1Time,
  readBitString,
  readExplicit,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  readTime,
  Tag,
  type DerElement,
} from '../crypto/der.js';
import { timeStampTokenTime } from './time-stamp.js';
import { encodeExtensionDatas, readExtensionDatas, readSeal, SesFormatError, withFormatErrors, type DecodedSeal, type ExtensionData, type SesVersion } from './ses-seal.js';

/**
 * The electronic signature `SES_Signature` of GB/T 38540-2020 ("v4") and GM/T 0031-2014 ("v1").
 * v4 carries the signer certificate and algorithm beside TBS_Sign and may end in an RFC 3161
 * token; v1 carries them inside TBS_Sign and writes the signing time into a BIT STRING, where
 * producers put a DER UTCTime, plain text, or a time-stamp token.
 */

export interface DecodedSignature {
  readonly version: SesVersion;
  readonly seal: DecodedSeal;
  /** the signing time the signer asserts (TBS_Sign.timeInfo) */
  readonly timeInfo: Date;
  /** hash of the signed data, SM3 with SM2 */
  readonly dataHash: Uint8Array;
  /** what was signed, e.g. an OFD path */
  readonly propertyInfo: string;
  readonly signerCertificate: Uint8Array;
  readonly signatureAlgorithm: string;
  /** the signer's DER (r, s) over `signedBytes` */
  readonly signature: Uint8Array;
  /** TBS_Sign as read */
  readonly signedBytes: Uint8Array;
  /** RFC 3161 TimeStampToken (DER ContentInfo) when present */
  readonly timeStamp?: Uint8Array;
  readonly extensions: readonly ExtensionData[];
  readonly der: Uint8Array;
  readonly deviations: readonly string[];
}

/** A SES_Signature of either version: 2 elements are v1, 4 or 5 are v4. */
export function decodeSignature(bytes: Uint8Array): DecodedSignature {
  return withFormatErrors(() => {
    const root = decodeDer(bytes);
    const parts = childrenOf(root, Tag.SEQUENCE, 'SES_Signature');
    if (parts.length === 2) return readSignatureV1(root, parts);
    if (parts.length === 4 || parts.length === 5) return readSignatureV4(root, parts);
    throw new SesFormatError(`SES_Signature has ${parts.length} elements: 4 or 5 (GB/T 38540) or 2 (GM/T 0031) expected`);
  });
}

function readSignatureV4(root: DerElement, parts: readonly DerElement[]): DecodedSignature {
  const [toSign, cert, algorithm, signature, timeStamp] = parts;
  const [version, eseal, timeInfo, dataHash, propertyInfo, extDatas] = childrenOf(toSign!, Tag.SEQUENCE, 'TBS_Sign');
  const seal = readSeal(eseal!);
  const deviations = [...seal.deviations];
  let extensions: ExtensionData[] = [];
  if (extDatas) {
    if (isContextTag(extDatas, 0)) extensions = readExtensionDatas(readExplicit(extDatas, 0, 'TBS_Sign.extDatas'), deviations);
    else {
      deviations.push('TBS_Sign.extDatas written without its [0] tag');
      extensions = readExtensionDatas(extDatas, deviations);
    }
  }
  const tbsVersion = readSmallInteger(version, 'TBS_Sign.version');
  if (tbsVersion !== 4) throw new SesFormatError(`TBS_Sign.version ${tbsVersion} in a GB/T 38540 signature`);
  return {
    version: 4,
    seal,
    timeInfo: readTime(timeInfo, 'TBS_Sign.timeInfo'),
    dataHash: readBitString(dataHash, 'TBS_Sign.dataHash'),
    propertyInfo: readString(propertyInfo, 'TBS_Sign.propertyInfo', [Tag.IA5_STRING]),
    signerCertificate: readOctetString(cert, 'SES_Signature.cert'),
    signatureAlgorithm: readOid(algorithm, 'SES_Signature.signatureAlgID'),
    signature: readBitString(signature, 'SES_Signature.signature'),
    signedBytes: toSign!.encoded,
    ...(timeStamp ? { timeStamp: readBitString(readExplicit(timeStamp, 0, 'SES_Signature.timeStamp'), 'timeStamp') } : {}),
    extensions,
    der: root.encoded,
    deviations,
  };
}

function readSignatureV1(root: DerElement, parts: readonly DerElement[]): DecodedSignature {
  const [toSign, signature] = parts;
  const [, eseal, timeInfo, dataHash, propertyInfo, cert, algorithm] = childrenOf(toSign!, Tag.SEQUENCE, 'TBS_Sign');
  const seal = readSeal(eseal!);
  const deviations = [...seal.deviations];
  return {
    version: 1,
    seal,
    timeInfo: readV1Time(bitsOrOctets(timeInfo, 'TBS_Sign.timeInfo', deviations), deviations),
    dataHash: bitsOrOctets(dataHash, 'TBS_Sign.dataHash', deviations),
    propertyInfo: readString(propertyInfo, 'TBS_Sign.propertyInfo', [Tag.IA5_STRING]),
    signerCertificate: readOctetString(cert, 'TBS_Sign.cert'),
    signatureAlgorithm: readOid(algorithm, 'TBS_Sign.signatureAlgorithm'),
    signature: readBitString(signature, 'SES_Signature.signature'),
    signedBytes: toSign!.encoded,
    extensions: [],
    der: root.encoded,
    deviations,
  };
}

/** some v1 producers write OCTET STRING where the standard says BIT STRING */
function bitsOrOctets(element: DerElement | undefined, what: string, deviations: string[]): Uint8Array {
  if (element?.tag === Tag.OCTET_STRING) {
    deviations.push(`${what} written as OCTET STRING instead of BIT STRING`);
    return element.content;
  }
  return readBitString(element, what);
}

/** China Standard Time, the zone of v1 producers that write local time as text */
const CHINA_OFFSET = '+0800';

/**
 * The v1 signing time: a DER UTCTime or GeneralizedTime, the text of one, "yyyy-MM-dd HH:mm:ss"
 * in China Standard Time, or an RFC 3161 token (whose genTime is the time).
 */
function readV1Time(content: Uint8Array, deviations: string[]): Date {
  let element: DerElement | undefined;
  try {
    element = decodeDer(content);
  } catch {
    element = undefined;
  }
  if (element && (element.tag === Tag.UTC_TIME || element.tag === Tag.GENERALIZED_TIME)) return readTime(element, 'TBS_Sign.timeInfo');
  if (element?.tag === Tag.SEQUENCE) {
    // a token inside TBS_Sign is taken before the signature exists: its time is the signing time, not a stamp over the signature
    deviations.push('v1 timeInfo holds a time-stamp token; its genTime is taken as the signing time');
    return timeStampTokenTime(element);
  }
  const text = new TextDecoder().decode(content);
  const local = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  deviations.push('v1 timeInfo written as text');
  if (local) return parseAsn1Time(`${local.slice(1).join('')}${CHINA_OFFSET}`, false, 'TBS_Sign.timeInfo');
  return parseAsn1Time(text, /^\d{12}(Z|[+-]\d{4})?$/.test(text), 'TBS_Sign.timeInfo');
}

// ---- writing ----

export interface TbsSignInput {
  /** the SESeal DER, embedded as it is */
  readonly seal: Uint8Array;
  readonly timeInfo: Date;
  readonly dataHash: Uint8Array;
  readonly propertyInfo: string;
  readonly extensions?: readonly ExtensionData[];
}

/** DER TBS_Sign v4: what the signer signs. */
export function encodeTbsSignV4(input: TbsSignInput): Uint8Array {
  return der.sequence(
    der.integer(4),
    input.seal,
    der.generalizedTime(input.timeInfo),
    der.bitString(input.dataHash),
    der.ia5String(input.propertyInfo),
    ...(input.extensions?.length ? [der.explicit(0, encodeExtensionDatas(input.extensions))] : []),
  );
}

export function assembleSignatureV4(tbs: Uint8Array, signerCertificate: Uint8Array, algorithmOid: string, signature: Uint8Array, timeStamp?: Uint8Array): Uint8Array {
  return der.sequence(
    tbs,
    der.octetString(signerCertificate),
    der.oid(algorithmOid),
    der.bitString(signature),
    ...(timeStamp ? [der.explicit(0, der.bitString(timeStamp))] : []),
  );
}

/** DER TBS_Sign v1, with the signing time as a DER UTCTime inside the BIT STRING. */
export function encodeTbsSignV1(input: TbsSignInput & { readonly signerCertificate: Uint8Array; readonly algorithmOid: string }): Uint8Array {
  return der.sequence(
    der.integer(1),
    input.seal,
    der.bitString(der.utcTime(input.timeInfo)),
    der.bitString(input.dataHash),
    der.ia5String(input.propertyInfo),
    der.octetString(input.signerCertificate),
    der.oid(input.algorithmOid),
  );
}

export function assembleSignatureV1(tbs: Uint8Array, signature: Uint8Array): Uint8Array {
  return der.sequence(tbs, der.bitString(signature));
}
