import {
  childrenOf,
  decodeDer,
  der,
  DerError,
  readBitString,
  readBoolean,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  readTime,
  Tag,
  type DerElement,
} from '../crypto/der.js';

/**
 * The electronic seal `SESeal` of GB/T 38540-2020 ("v4") and GM/T 0031-2014 ("v1"), read and
 * written with der.ts (structures in test/fixtures/ses/ASN1.md). Reading is tolerant where real
 * producers differ (v1 dates as GeneralizedTime, `critical` written FALSE); writing is strict DER.
 */

export type SesVersion = 1 | 4;

export class SesFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SesFormatError';
  }
}

export interface SealHeader {
  /** "ES" */
  readonly id: string;
  readonly version: number;
  /** the producer's (vendor's) identifier */
  readonly vendorId: string;
}

export type CertList =
  | { readonly kind: 'certs'; readonly certificates: readonly Uint8Array[] }
  | { readonly kind: 'digests'; readonly digests: readonly { readonly type: string; readonly value: Uint8Array }[] };

export interface SealProperty {
  readonly type: number;
  readonly name: string;
  readonly certList: CertList;
  readonly createDate: Date;
  readonly validStart: Date;
  readonly validEnd: Date;
}

export interface SealPicture {
  /** "png", "gif", "ofd" ... */
  readonly type: string;
  readonly data: Uint8Array;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface ExtensionData {
  readonly id: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export interface SealInfo {
  readonly header: SealHeader;
  readonly esID: string;
  readonly property: SealProperty;
  readonly picture: SealPicture;
  readonly extensions: readonly ExtensionData[];
}

export interface DecodedSeal {
  readonly version: SesVersion;
  readonly info: SealInfo;
  /** DER certificate of the seal maker */
  readonly makerCertificate: Uint8Array;
  /** OID of the maker's signature algorithm */
  readonly signatureAlgorithm: string;
  /** the maker's DER (r, s) signature */
  readonly signature: Uint8Array;
  /** the bytes the maker signed: DER(SES_SealInfo) for v4, DER(SEQUENCE { sealInfo, cert, alg }) for v1 */
  readonly signedBytes: Uint8Array;
  /** the whole SESeal as read */
  readonly der: Uint8Array;
  /** notes on tolerated deviations from strict DER, for conformance reports */
  readonly deviations: readonly string[];
}

/** A SESeal of either version; 4 elements are v4, 2 are v1. */
export function decodeSeal(bytes: Uint8Array): DecodedSeal {
  return withFormatErrors(() => readSeal(decodeDer(bytes)));
}

/** Runs a decoder and reports every structural failure as a SesFormatError. */
export function withFormatErrors<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof DerError || error instanceof SesFormatError) throw new SesFormatError(error.message);
    if (error instanceof TypeError || error instanceof RangeError) throw new SesFormatError(`malformed structure: ${error.message}`);
    throw error;
  }
}

export function readSeal(element: DerElement): DecodedSeal {
  const parts = childrenOf(element, Tag.SEQUENCE, 'SESeal');
  const deviations: string[] = [];
  if (parts.length === 4) {
    const [info, cert, algorithm, signature] = parts;
    return {
      version: 4,
      info: readSealInfo(info!, 4, deviations),
      makerCertificate: readOctetString(cert, 'SESeal.cert'),
      signatureAlgorithm: readOid(algorithm, 'SESeal.signAlgID'),
      signature: readBitString(signature, 'SESeal.signedValue'),
      signedBytes: info!.encoded,
      der: element.encoded,
      deviations,
    };
  }
  if (parts.length === 2) {
    const [info, signInfo] = parts;
    const [cert, algorithm, signature] = childrenOf(signInfo!, Tag.SEQUENCE, 'SES_SignInfo');
    return {
      version: 1,
      info: readSealInfo(info!, 1, deviations),
      makerCertificate: readOctetString(cert, 'SES_SignInfo.cert'),
      signatureAlgorithm: readOid(algorithm, 'SES_SignInfo.signatureAlgorithm'),
      signature: readBitString(signature, 'SES_SignInfo.signData'),
      signedBytes: der.sequence(info!.encoded, cert!.encoded, algorithm!.encoded),
      der: element.encoded,
      deviations,
    };
  }
  throw new SesFormatError(`SESeal has ${parts.length} elements: 4 (GB/T 38540) or 2 (GM/T 0031) expected`);
}

function readSealInfo(element: DerElement, version: SesVersion, deviations: string[]): SealInfo {
  const [header, esID, property, picture, extensions] = childrenOf(element, Tag.SEQUENCE, 'SES_SealInfo');
  const [id, headerVersion, vendorId] = childrenOf(header!, Tag.SEQUENCE, 'SES_Header');
  return {
    header: {
      id: readString(id, 'SES_Header.id', [Tag.IA5_STRING]),
      version: readSmallInteger(headerVersion, 'SES_Header.version'),
      vendorId: readString(vendorId, 'SES_Header.vid', [Tag.IA5_STRING]),
    },
    esID: readString(esID, 'SES_SealInfo.esID', [Tag.IA5_STRING]),
    property: version === 4 ? readPropertyV4(property!, deviations) : readPropertyV1(property!, deviations),
    picture: readPicture(picture!),
    extensions: extensions ? readExtensionDatas(extensions, deviations) : [],
  };
}

function readPropertyV4(element: DerElement, deviations: string[]): SealProperty {
  const [type, name, certListType, certList, createDate, validStart, validEnd] = childrenOf(element, Tag.SEQUENCE, 'SES_ESPropertyInfo');
  const listType = readSmallInteger(certListType, 'certListType');
  if (listType !== 1 && listType !== 2) throw new SesFormatError(`certListType ${listType}: 1 (certs) or 2 (certDigestList) expected`);
  const entries = childrenOf(certList!, Tag.SEQUENCE, 'certList');
  return {
    type: readSmallInteger(type, 'SES_ESPropertyInfo.type'),
    name: readString(name, 'SES_ESPropertyInfo.name', [Tag.UTF8_STRING]),
    certList:
      listType === 1
        ? { kind: 'certs', certificates: entries.map((entry) => readOctetString(entry, 'certList entry')) }
        : {
            kind: 'digests',
            digests: entries.map((entry) => {
              const [digestType, value] = childrenOf(entry, Tag.SEQUENCE, 'CertDigestObj');
              return { type: readString(digestType, 'CertDigestObj.type', [Tag.PRINTABLE_STRING]), value: readOctetString(value, 'CertDigestObj.value') };
            }),
          },
    ...readDates([createDate, validStart, validEnd], Tag.GENERALIZED_TIME, deviations),
  };
}

function readPropertyV1(element: DerElement, deviations: string[]): SealProperty {
  const [type, name, certList, createDate, validStart, validEnd] = childrenOf(element, Tag.SEQUENCE, 'SES_ESPropertyInfo');
  return {
    type: readSmallInteger(type, 'SES_ESPropertyInfo.type'),
    name: readString(name, 'SES_ESPropertyInfo.name', [Tag.UTF8_STRING]),
    certList: { kind: 'certs', certificates: childrenOf(certList!, Tag.SEQUENCE, 'certList').map((entry) => readOctetString(entry, 'certList entry')) },
    ...readDates([createDate, validStart, validEnd], Tag.UTC_TIME, deviations),
  };
}

/** createDate, validStart, validEnd; the other time type is tolerated and noted */
function readDates(elements: readonly (DerElement | undefined)[], expected: number, deviations: string[]): Pick<SealProperty, 'createDate' | 'validStart' | 'validEnd'> {
  if (elements.some((date) => date !== undefined && date.tag !== expected)) {
    deviations.push(`seal dates written as ${expected === Tag.UTC_TIME ? 'GeneralizedTime instead of UTCTime' : 'UTCTime instead of GeneralizedTime'}`);
  }
  const [createDate, validStart, validEnd] = elements.map((date, i) => readTime(date, ['createDate', 'validStart', 'validEnd'][i]!));
  return { createDate: createDate!, validStart: validStart!, validEnd: validEnd! };
}

function readPicture(element: DerElement): SealPicture {
  const [type, data, width, height] = childrenOf(element, Tag.SEQUENCE, 'SES_ESPictrueInfo');
  return {
    type: readString(type, 'picture type', [Tag.IA5_STRING]),
    data: readOctetString(data, 'picture data'),
    widthMm: readSmallInteger(width, 'picture width'),
    heightMm: readSmallInteger(height, 'picture height'),
  };
}

/** ExtensionDatas; `critical` is optional because producers write the DEFAULT FALSE explicitly. */
export function readExtensionDatas(element: DerElement, deviations: string[]): ExtensionData[] {
  return childrenOf(element, Tag.SEQUENCE, 'ExtensionDatas').map((extension) => {
    const parts = childrenOf(extension, Tag.SEQUENCE, 'ExtData');
    const critical = parts.length === 3 ? readBoolean(parts[1], 'ExtData.critical') : false;
    if (parts.length === 3 && !critical) deviations.push('ExtData.critical written as FALSE (DER omits a DEFAULT value)');
    return { id: readOid(parts[0], 'ExtData.extnID'), critical, value: readOctetString(parts[parts.length - 1], 'ExtData.extnValue') };
  });
}

// ---- writing ----

/** DER of SES_SealInfo: what a v4 maker signs. */
export function encodeSealInfo(info: SealInfo, version: SesVersion): Uint8Array {
  const { property } = info;
  const time = version === 4 ? der.generalizedTime : der.utcTime;
  const certificates = property.certList.kind === 'certs' ? der.sequence(...property.certList.certificates.map(der.octetString)) : undefined;
  if (version === 1 && !certificates) throw new SesFormatError('a v1 seal lists certificates, not digests');
  const certList =
    certificates ??
    der.sequence(
      ...(property.certList.kind === 'digests' ? property.certList.digests : []).map((digest) => der.sequence(der.printableString(digest.type), der.octetString(digest.value))),
    );
  return der.sequence(
    der.sequence(der.ia5String(info.header.id), der.integer(info.header.version), der.ia5String(info.header.vendorId)),
    der.ia5String(info.esID),
    der.sequence(
      der.integer(property.type),
      der.utf8String(property.name),
      ...(version === 4 ? [der.integer(property.certList.kind === 'certs' ? 1 : 2)] : []),
      certList,
      time(property.createDate),
      time(property.validStart),
      time(property.validEnd),
    ),
    der.sequence(der.ia5String(info.picture.type), der.octetString(info.picture.data), der.integer(info.picture.widthMm), der.integer(info.picture.heightMm)),
    ...(info.extensions.length > 0 ? [encodeExtensionDatas(info.extensions)] : []),
  );
}

export function encodeExtensionDatas(extensions: readonly ExtensionData[]): Uint8Array {
  return der.sequence(...extensions.map((ext) => der.sequence(der.oid(ext.id), ...(ext.critical ? [der.boolean(true)] : []), der.octetString(ext.value))));
}

/** the bytes a maker signs for a seal of the given version */
export function makerSignedBytes(version: SesVersion, sealInfo: Uint8Array, makerCertificate: Uint8Array, algorithmOid: string): Uint8Array {
  return version === 4 ? sealInfo : der.sequence(sealInfo, der.octetString(makerCertificate), der.oid(algorithmOid));
}

/** Puts a signed SES_SealInfo together into a SESeal of the given version. */
export function assembleSeal(version: SesVersion, sealInfo: Uint8Array, makerCertificate: Uint8Array, algorithmOid: string, signature: Uint8Array): Uint8Array {
  const cert = der.octetString(makerCertificate);
  return version === 4
    ? der.sequence(sealInfo, cert, der.oid(algorithmOid), der.bitString(signature))
    : der.sequence(sealInfo, der.sequence(cert, der.oid(algorithmOid), der.bitString(signature)));
}
