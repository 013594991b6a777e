/**
 * Files (materials, certificate files, exchange files): S3 in AWS, a folder locally.
 * Uploads go straight to the store through a time-limited URL that pins content type, size
 * and SHA-256, so the store itself refuses any other bytes.
 */
export interface UploadTicket {
  readonly uploadUrl: string;
  readonly expiresAt: Date;
  /** headers the client must send with the PUT */
  readonly headers: Readonly<Record<string, string>>;
}

/** A time-limited URL that lets anyone holding it read one blob, as an attachment of the given type. */
export interface DownloadTicket {
  readonly downloadUrl: string;
  readonly expiresAt: Date;
}

export interface StoredBlob {
  readonly contentType: string;
  readonly size: number;
  /** hex SHA-256 of the bytes */
  readonly sha256: string;
}

export interface BlobStore {
  /** `expiresInSeconds` from 1 to 604800 (S3's limit for presigned URLs) */
  createUploadUrl(input: { key: string; contentType: string; size: number; sha256: string; expiresInSeconds: number }): Promise<UploadTicket>;
  /**
   * A URL for one GET of the blob without other credentials, answered with `contentType` and
   * `Content-Disposition: attachment` under `fileName` (see attachmentDisposition);
   * `expiresInSeconds` as for uploads. It does not check that the blob exists.
   */
  createDownloadUrl(input: { key: string; contentType: string; fileName: string; expiresInSeconds: number }): Promise<DownloadTicket>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredBlob>;
  get(key: string): Promise<{ bytes: Uint8Array; info: StoredBlob } | undefined>;
  head(key: string): Promise<StoredBlob | undefined>;
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
}

/** Thrown for a blob key that is empty, too long, absolute, or has empty, '.' or '..' segments. */
export class InvalidBlobKeyError extends Error {
  constructor(reason: string) {
    super(`invalid blob key: ${reason}`);
    this.name = 'InvalidBlobKeyError';
  }
}

const MAX_KEY_BYTES = 1024;

/**
 * Checks a key the way both stores need it: '/'-separated segments, none empty, '.' or '..',
 * no control characters or backslashes, at most 1024 UTF-8 bytes (S3's limit). A key that passes
 * maps to a path inside the local store's folder, and to the same object name in S3.
 */
export function assertValidBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidBlobKeyError('empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new InvalidBlobKeyError(`longer than ${MAX_KEY_BYTES} bytes`);
  if (/[\u0000-\u001f\u007f\\]/.test(key)) throw new InvalidBlobKeyError('control character or backslash');
  if (key.startsWith('/')) throw new InvalidBlobKeyError('absolute');
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InvalidBlobKeyError("empty, '.' or '..' segment");
  }
}

/** S3's limits: a presigned URL (upload or download) lives at most 7 days, a single PUT carries at most 5 GiB. */
const MAX_PRESIGNED_URL_SECONDS = 7 * 24 * 3600;
const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

/** Checks an upload request the same way in both stores; throws RangeError naming the bad field. */
export function assertValidUploadRequest(input: Parameters<BlobStore['createUploadUrl']>[0]): void {
  assertValidBlobKey(input.key);
  assertValidContentType('upload', input.contentType);
  if (!Number.isSafeInteger(input.size) || input.size < 0 || input.size > MAX_SINGLE_PUT_BYTES) throw new RangeError('upload: size must be an integer from 0 to 5 GiB');
  if (!/^[0-9a-fA-F]{64}$/.test(input.sha256)) throw new RangeError('upload: sha256 must be 64 hex digits');
  assertValidExpiry('upload', input.expiresInSeconds);
}

/** Checks a download request the same way in both stores; throws RangeError naming the bad field. */
export function assertValidDownloadRequest(input: Parameters<BlobStore['createDownloadUrl']>[0]): void {
  assertValidBlobKey(input.key);
  assertValidContentType('download', input.contentType);
  if (input.fileName.length === 0 || input.fileName.length > 255 || /[\u0000-\u001f\u007f]/.test(input.fileName)) {
    throw new RangeError('download: fileName must be 1 to 255 characters without control characters');
  }
  assertValidExpiry('download', input.expiresInSeconds);
}

function assertValidContentType(operation: string, contentType: string): void {
  if (!/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(contentType)) throw new RangeError(`${operation}: contentType must be 1 to 255 visible ASCII characters`);
}

function assertValidExpiry(operation: string, expiresInSeconds: number): void {
  if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGNED_URL_SECONDS) {
    throw new RangeError(`${operation}: expiresInSeconds must be an integer from 1 to 604800`);
  }
}

/**
 * `Content-Disposition` of a download saved under a UTF-8 file name (RFC 6266, with the RFC 8187
 * encoding, so any name is one ASCII header value); the API and both stores' download URLs use it.
 */
export function attachmentDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}
