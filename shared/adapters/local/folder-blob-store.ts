import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile, constants } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { assertValidBlobKey, assertValidUploadRequest, type BlobStore, type StoredBlob, type UploadTicket } from '../../ports/blob-store.js';
import { systemClock, type Clock } from '../../ports/clock.js';

/** What a local upload URL allows: exactly these bytes under this key until `exp` (epoch seconds). */
export interface UploadGrant {
  readonly key: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly exp: number;
}

export type UploadRejection = 'expired' | 'bad-signature' | 'content-type' | 'size' | 'hash';

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

export interface FolderBlobStore extends BlobStore {
  /** Checks a token from an upload URL: signature first, then expiry. Throws UploadRejectedError. */
  verifyUploadToken(token: string): UploadGrant;
}

/** Sidecar file name suffix; the bytes live at `<key>.blob` so key "a" and key "a/b" never collide. */
const BLOB_SUFFIX = '.blob';
const INFO_SUFFIX = '.blob.json';

/**
 * BlobStore in a folder, standing in for S3 in `npm start` and tests. Each blob is its bytes
 * plus a JSON sidecar (content type, size, SHA-256). Upload URLs point at the local gateway
 * (`PUT /_local/blobs/<token>`); the token is the HMAC-signed grant, so the gateway can check
 * what S3 checks for a presigned URL without keeping state.
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
  const sign = (payload: string) => createHmac('sha256', options.signingSecret).update(payload).digest();

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
      const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
      const token = `${payload}.${sign(payload).toString('base64url')}`;
      return { uploadUrl: `${baseUrl}/_local/blobs/${token}`, expiresAt, headers: { 'Content-Type': input.contentType } };
    },

    verifyUploadToken(token) {
      const [payload, signature, ...rest] = token.split('.');
      if (!payload || !signature || rest.length > 0) throw new UploadRejectedError('bad-signature', 'The upload URL is not valid');
      const expected = sign(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new UploadRejectedError('bad-signature', 'The upload URL is not valid');
      }
      const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as UploadGrant;
      if (clock.now().getTime() >= grant.exp * 1000) throw new UploadRejectedError('expired', 'The upload URL has expired');
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
