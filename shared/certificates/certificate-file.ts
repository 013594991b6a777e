import { createHash } from 'node:crypto';
import type { CertificateMetadata } from './certificate-model.js';

/** The certificate file: the GB/T 36903 metadata and surface as one JSON document, the bytes the issuer's seal signs. */
export interface CertificateDocument extends CertificateMetadata {
  readonly schema: 'e-certificate/1';
  readonly holderCode: string;
  readonly surface: Readonly<Record<string, unknown>>;
}

/** the file's bytes: UTF-8 JSON, so the same document always gives the same hash */
export const certificateFileBytes = (document: CertificateDocument) => Buffer.from(JSON.stringify(document), 'utf8');

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** the document in a presented file, or undefined when the bytes are not a certificate file */
export function readCertificateFile(bytes: Uint8Array): CertificateDocument | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<CertificateDocument>;
    return parsed && parsed.schema === 'e-certificate/1' && typeof parsed.identifier === 'string' ? (parsed as CertificateDocument) : undefined;
  } catch {
    return undefined;
  }
}
