import { bytesEqual, childrenOf, decodeDer, isContextTag, readExplicit, readInteger, readOctetString, readOid, readTime, Tag, type DerElement } from '../crypto/der.js';
import { hashData, OID, verifySignature } from '../crypto/signature-algorithms.js';
import { parseCertificate, type Certificate } from '../crypto/x509.js';
import { validateCertificateAt, type TrustStore } from './trust-store.js';

/**
 * RFC 3161 time-stamp tokens as GB/T 38540 puts them after an SES_Signature: a CMS SignedData
 * (RFC 5652; also the GM/T 0010 SM2 content types) whose TSTInfo holds a hash of the signature
 * value and the authority's time.
 */

/** object identifiers of RFC 3161 / RFC 5652 (and the GM/T 0010 SM2 SignedData) */
export const CMS = {
  signedData: ['1.2.840.113549.1.7.2', '1.2.156.10197.6.1.4.2.2'],
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

const HASHES: Readonly<Record<string, 'SM3' | 'SHA-256'>> = { [OID.sm3]: 'SM3', [OID.sha256]: 'SHA-256' };

export interface TimeStampCheck {
  readonly ok: boolean;
  /** the authority's time (TSTInfo.genTime), when the token could be read */
  readonly time?: Date;
  readonly problem?: string;
}

/**
 * Verifies a token over a signature value.
 * 1. ContentInfo of SignedData whose content is a TSTInfo;
 * 2. the message imprint is the hash (SM3 or SHA-256) of the signature value;
 * 3. the signer's certificate is in the token, marked for time stamping, and its key verifies the
 *    signed attributes, whose message digest is the hash of the TSTInfo;
 * 4. the authority's certificate is valid at genTime and chains to a trust anchor.
 */
export function verifyTimeStampToken(token: Uint8Array, signatureValue: Uint8Array, store: TrustStore): TimeStampCheck {
  let time: Date | undefined;
  try {
    const { tstInfo, signerInfo, certificates } = readToken(decodeDer(token));
    const [, , imprint, , genTime] = childrenOf(tstInfo, Tag.SEQUENCE, 'TSTInfo');
    time = readTime(genTime, 'TSTInfo.genTime');
    const [imprintAlgorithm, hashedMessage] = childrenOf(imprint!, Tag.SEQUENCE, 'MessageImprint');
    const imprintHash = HASHES[readOid(childrenOf(imprintAlgorithm!, Tag.SEQUENCE, 'hashAlgorithm')[0], 'hashAlgorithm')];
    if (!imprintHash) return { ok: false, time, problem: 'unknown message imprint hash' };
    if (!bytesEqual(hashData(imprintHash, signatureValue), readOctetString(hashedMessage, 'hashedMessage'))) return { ok: false, time, problem: 'the token is over other data' };

    const [, sid, digestAlgorithm, ...rest] = childrenOf(signerInfo, Tag.SEQUENCE, 'SignerInfo');
    const signedAttributes = isContextTag(rest[0], 0) ? rest.shift() : undefined;
    const signature = readOctetString(rest[1], 'SignerInfo.signature');
    const tsa = certificates.find((certificate) => identifies(sid!, certificate));
    if (!tsa?.publicKey) return { ok: false, time, problem: 'the authority certificate is not in the token' };
    if (!tsa.extendedKeyUsage?.includes(CMS.timeStamping)) return { ok: false, time, problem: 'the certificate is not for time stamping' };
    let signed = tstInfo.encoded;
    if (signedAttributes) {
      const digestHash = HASHES[readOid(childrenOf(digestAlgorithm!, Tag.SEQUENCE, 'digestAlgorithm')[0], 'digestAlgorithm')];
      const messageDigest = attribute(signedAttributes, CMS.messageDigest);
      if (!digestHash || !messageDigest || !bytesEqual(readOctetString(messageDigest, 'messageDigest'), hashData(digestHash, tstInfo.encoded))) {
        return { ok: false, time, problem: 'the signed attributes do not match the TSTInfo' };
      }
      // the signature covers the attributes with the SET OF tag, not the [0] they are sent with
      signed = Uint8Array.from([Tag.SET, ...signedAttributes.encoded.subarray(1)]);
    }
    if (!verifySignature(tsa.publicKey, signed, signature)) return { ok: false, time, problem: 'the token signature is wrong' };
    const chain = validateCertificateAt(tsa, time, store);
    return chain.ok ? { ok: true, time } : { ok: false, time, problem: `authority certificate: ${chain.reason}` };
  } catch (error) {
    return { ok: false, ...(time ? { time } : {}), problem: (error as Error).message };
  }
}

/** the authority's time (TSTInfo.genTime) of a TimeStampToken, read without verifying it */
export function timeStampTokenTime(token: DerElement): Date {
  return readTime(childrenOf(readToken(token).tstInfo, Tag.SEQUENCE, 'TSTInfo')[4], 'TSTInfo.genTime');
}

function readToken(contentInfo: DerElement): { tstInfo: DerElement; signerInfo: DerElement; certificates: Certificate[] } {
  const [contentType, content] = childrenOf(contentInfo, Tag.SEQUENCE, 'ContentInfo');
  if (!(CMS.signedData as readonly string[]).includes(readOid(contentType, 'contentType'))) throw new Error('not a SignedData');
  const fields = childrenOf(readExplicit(content, 0, 'ContentInfo.content'), Tag.SEQUENCE, 'SignedData');
  const [eContentType, eContent] = childrenOf(fields[2]!, Tag.SEQUENCE, 'EncapsulatedContentInfo');
  if (readOid(eContentType, 'eContentType') !== CMS.tstInfo) throw new Error('the content is not a TSTInfo');
  const tstInfo = decodeDer(readOctetString(readExplicit(eContent, 0, 'eContent'), 'eContent'));
  const certificates = fields.filter((field) => isContextTag(field, 0)).flatMap((set) => set.children.map((certificate) => parseCertificate(certificate.encoded)));
  const signerInfos = fields[fields.length - 1]!;
  const [signerInfo] = childrenOf(signerInfos, Tag.SET, 'signerInfos');
  if (!signerInfo) throw new Error('no SignerInfo');
  return { tstInfo, signerInfo, certificates };
}

/** SignerIdentifier: issuerAndSerialNumber or [0] subjectKeyIdentifier */
function identifies(sid: DerElement, certificate: Certificate): boolean {
  if (isContextTag(sid, 0)) return certificate.subjectKeyIdentifier !== undefined && bytesEqual(sid.content, certificate.subjectKeyIdentifier);
  const [issuer, serial] = childrenOf(sid, Tag.SEQUENCE, 'IssuerAndSerialNumber');
  return bytesEqual(issuer!.encoded, certificate.issuer.der) && readInteger(serial, 'serialNumber') === certificate.serialNumber;
}

function attribute(attributes: DerElement, oid: string): DerElement | undefined {
  const found = attributes.children.find((attr) => readOid(attr.children[0], 'attrType') === oid);
  return found ? childrenOf(found.children[1]!, Tag.SET, 'attrValues')[0] : undefined;
}
