import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile, constants } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import {
  assertValidBlobKey,
  assertValidDownloadRequest,
  assertValidUploadRequest,
  attachmentDisposition,
  type BlobStore,
  type DownloadTicket,
  type StoredBlob,
  type UploadTicket,
} from '../../ports/blob-store.js';
import { systemClock, type Clock } from '../../ports/clock.js';

/** What a local upload URL allows: exactly these bytes under this key until `exp` (epoch seconds). */
export interface UploadGrant {
  readonly key: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly exp: number;
}

/** What a local download URL allows: one blob read as `contentType`, saved as `fileName`, until `exp` (epoch seconds). */
export interface DownloadGrant {
  readonly key: string;
  readonly contentType: string;
  readonly fileName: string;
  readonly exp: number;
}

/** why the gateway refuses a local upload or download URL itself, as S3 refuses a bad presigned URL */
export type TokenRejection = 'expired' | 'bad-signature';
export type UploadRejection = TokenRejection | 'content-type' | 'size' | 'hash';

/** A local upload that S3 would have refused too; `reason` lets the gateway pick the status code. */
export class UploadRejectedError extends Error {
  constructor(
    readonly reason: UploadRejection,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRejectedError';
  }
}

/** A local download URL that S3 would have refused too (403 at the gateway). */
export class DownloadRejectedError extends Error {
  constructor(
    readonly reason: TokenRejection,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadRejectedError';
  }
}

export interface FolderBlobStore extends BlobStore {
  /** Checks a token from an upload URL: signature first, then expiry. Throws UploadRejectedError. */
  verifyUploadToken(token: string): UploadGrant;
  /** Checks a token from a download URL: signature first, then expiry. Throws DownloadRejectedError. */
  verifyDownloadToken(token: string): DownloadGrant;
}

/** what each kind of token is signed for, so an upload token never passes as a download token or back */
type TokenPurpose = 'upload' | 'download';

/** Sidecar file name suffix; the bytes live at `<key>.blob` so key "a" and key "a/b" never collide. */
const BLOB_SUFFIX = '.blob';
const INFO_SUFFIX = '.blob.json';

/**
 * BlobStore in a folder, standing in for S3 in `npm start` and tests. Each blob is its bytes
 * plus a JSON sidecar (content type, size, SHA-256). Upload URLs point at the local gateway
 * (`PUT /_local/blobs/<token>`) and download URLs too (`GET /_local/blobs/<token>`); the token
 * is the HMAC-signed grant (signed with its purpose, so neither kind passes for the other), so the
 * gateway can check what S3 checks for a presigned URL without keeping state.
 */
export function createFolderBlobStore(options: {
  dir: string;
  publicBaseUrl: string;
  signingSecret: string | Uint8Array;
  clock?: Clock;
}): FolderBlobStore {
  const root = resolve(options.dir);
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const sign = (purpose: TokenPurpose, payload: string) => createHmac('sha256', options.signingSecret).update(`${purpose}:${payload}`).digest();

  function signedToken(purpose: TokenPurpose, grant: UploadGrant | DownloadGrant): string {
    const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
    return `${payload}.${sign(purpose, payload).toString('base64url')}`;
  }

  /** the grant of a token signed for `purpose`, or the reason to refuse it: signature first, then expiry */
  function verifiedGrant<G extends { exp: number }>(purpose: TokenPurpose, token: string): G | TokenRejection {
    const [payload, signature, ...rest] = token.split('.');
    if (!payload || !signature || rest.length > 0) return 'bad-signature';
    const expected = sign(purpose, payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as G;
    return clock.now().getTime() >= grant.exp * 1000 ? 'expired' : grant;
  }

  function pathOf(key: string, suffix: string): string {
    assertValidBlobKey(key);
    const path = resolve(root, key + suffix);
    // Defence in depth: the key rules already keep every path inside the folder.
    if (!path.startsWith(root + sep)) throw new RangeError('blob key escapes the store folder');
    return path;
  }

  async function readInfo(key: string): Promise<StoredBlob | undefined> {
    try {
      return JSON.parse(await readFile(pathOf(key, INFO_SUFFIX), 'utf8')) as StoredBlob;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  return {
    async createUploadUrl(input): Promise<UploadTicket> {
      assertValidUploadRequest(input);
      const expiresAt = new Date(clock.now().getTime() + input.expiresInSeconds * 1000);
      const grant: UploadGrant = {
        key: input.key,
        contentType: input.contentType,
        size: input.size,
        sha256: input.sha256.toLowerCase(),
        exp: Math.floor(expiresAt.getTime() / 1000),
      };
      return { uploadUrl: `${baseUrl}/_local/blobs/${signedToken('upload', grant)}`, expiresAt, headers: { 'Content-Type': input.contentType } };
    },

    verifyUploadToken(token) {
      const grant = verifiedGrant<UploadGrant>('upload', token);
      if (grant === 'bad-signature') throw new UploadRejectedError(grant, 'The upload URL is not valid');
      if (grant === 'expired') throw new UploadRejectedError(grant, 'The upload URL has expired');
      return grant;
    },

    async createDownloadUrl(input): Promise<DownloadTicket> {
      assertValidDownloadRequest(input);
      const expiresAt = new Date(clock.now().getTime() + input.expiresInSeconds * 1000);
      const grant: DownloadGrant = { key: input.key, contentType: input.contentType, fileName: input.fileName, exp: Math.floor(expiresAt.getTime() / 1000) };
      return { downloadUrl: `${baseUrl}/_local/blobs/${signedToken('download', grant)}`, expiresAt };
    },

    verifyDownloadToken(token) {
      const grant = verifiedGrant<DownloadGrant>('download', token);
      if (grant === 'bad-signature') throw new DownloadRejectedError(grant, 'The download URL is not valid');
      if (grant === 'expired') throw new DownloadRejectedError(grant, 'The download URL has expired');
      return grant;
    },

    async put(key, bytes, contentType) {
      const info: StoredBlob = { contentType, size: bytes.byteLength, sha256: sha256Hex(bytes) };
      const blobPath = pathOf(key, BLOB_SUFFIX);
      await mkdir(dirname(blobPath), { recursive: true });
      await writeAtomically(blobPath, bytes);
      await writeAtomically(pathOf(key, INFO_SUFFIX), JSON.stringify(info));
      return info;
    },

    async get(key) {
      const info = await readInfo(key);
      if (!info) return undefined;
      try {
        return { bytes: new Uint8Array(await readFile(pathOf(key, BLOB_SUFFIX))), info };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    head: readInfo,

    async delete(key) {
      // Sidecar first: a blob without its sidecar reads as absent, never as half a blob.
      await rm(pathOf(key, INFO_SUFFIX), { force: true });
      await rm(pathOf(key, BLOB_SUFFIX), { force: true });
    },

    async ping() {
      await mkdir(root, { recursive: true });
      await access(root, constants.W_OK);
    },
  };
}

/**
 * Stores the bytes of a local upload URL, checking what S3 checks for a presigned PUT:
 * 1. the token's signature and expiry;
 * 2. the Content-Type is the signed one (415 at the gateway);
 * 3. the byte count is the signed size (413);
 * 4. the SHA-256 of the bytes is the signed one (422).
 * Like a presigned URL it may be used again until it expires; it only ever stores the same bytes.
 */
export async function acceptLocalUpload(
  store: FolderBlobStore,
  token: string,
  upload: { contentType: string; bytes: Uint8Array },
): Promise<StoredBlob> {
  const grant = store.verifyUploadToken(token);
  if (upload.contentType.trim() !== grant.contentType) {
    throw new UploadRejectedError('content-type', `The upload must be sent as ${grant.contentType}`);
  }
  if (upload.bytes.byteLength !== grant.size) {
    throw new UploadRejectedError('size', `The upload must be exactly ${grant.size} bytes`);
  }
  if (sha256Hex(upload.bytes) !== grant.sha256) {
    throw new UploadRejectedError('hash', 'The SHA-256 of the upload does not match the one declared');
  }
  return store.put(grant.key, upload.bytes, grant.contentType);
}

/**
 * What a local download URL answers, as S3 does for a presigned GET: after the token's signature
 * and expiry (DownloadRejectedError), the blob's bytes with the signed content type and
 * disposition; undefined when the blob is gone (S3's 404 NoSuchKey).
 */
export async function serveLocalDownload(
  store: FolderBlobStore,
  token: string,
): Promise<{ bytes: Uint8Array; contentType: string; contentDisposition: string } | undefined> {
  const grant = store.verifyDownloadToken(token);
  const stored = await store.get(grant.key);
  return stored && { bytes: stored.bytes, contentType: grant.contentType, contentDisposition: attachmentDisposition(grant.fileName) };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
