import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertValidBlobKey, assertValidUploadRequest, type BlobStore, type StoredBlob } from '../../ports/blob-store.js';
import { systemClock, type Clock } from '../../ports/clock.js';

/**
 * BlobStore on S3. Every object is written with an SHA-256 checksum, which S3 verifies on
 * write and returns on HEAD/GET (ChecksumMode ENABLED), so `head` reports the hash without
 * reading the bytes.
 *
 * Upload URLs are presigned PUTs whose signature covers Content-Type, Content-Length and
 * x-amz-checksum-sha256: S3 rejects other types or sizes (signature mismatch) and other bytes
 * (checksum mismatch). The checksum header must stay a header (S3 ignores it hoisted into the
 * query string), so the ticket lists it and the client sends it; any HTTP client sends the
 * Content-Length of the body by itself.
 */
export function s3BlobStore(options: { client: S3Client; bucket: string; clock?: Clock }): BlobStore {
  const { client, bucket: Bucket } = options;
  const clock = options.clock ?? systemClock;

  return {
    async createUploadUrl(input) {
      assertValidUploadRequest(input);
      const checksum = Buffer.from(input.sha256, 'hex').toString('base64');
      const command = new PutObjectCommand({
        Bucket,
        Key: input.key,
        ContentType: input.contentType,
        ContentLength: input.size,
        ChecksumSHA256: checksum,
      });
      const signingDate = clock.now();
      const uploadUrl = await getSignedUrl(client, command, {
        expiresIn: input.expiresInSeconds,
        signingDate,
        signableHeaders: new Set(['content-type', 'content-length']),
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      });
      return {
        uploadUrl,
        expiresAt: new Date(signingDate.getTime() + input.expiresInSeconds * 1000),
        headers: { 'Content-Type': input.contentType, 'x-amz-checksum-sha256': checksum },
      };
    },

    async put(key, bytes, contentType) {
      assertValidBlobKey(key);
      const digest = createHash('sha256').update(bytes).digest();
      await client.send(
        new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType, ChecksumSHA256: digest.toString('base64') }),
      );
      return { contentType, size: bytes.byteLength, sha256: digest.toString('hex') };
    },

    async get(key) {
      assertValidBlobKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key, ChecksumMode: 'ENABLED' }));
        if (!object.Body) return undefined;
        const bytes = await object.Body.transformToByteArray();
        const info: StoredBlob = {
          contentType: object.ContentType ?? 'application/octet-stream',
          size: bytes.byteLength,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        };
        return { bytes, info };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async head(key) {
      assertValidBlobKey(key);
      try {
        const object = await client.send(new HeadObjectCommand({ Bucket, Key: key, ChecksumMode: 'ENABLED' }));
        return {
          contentType: object.ContentType ?? 'application/octet-stream',
          size: object.ContentLength ?? 0,
          sha256: sha256FromChecksum(key, object.ChecksumSHA256),
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async delete(key) {
      assertValidBlobKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
}

/** Objects written by this store carry a full-object SHA-256; anything else was written around it. */
function sha256FromChecksum(key: string, checksum: string | undefined): string {
  const digest = checksum === undefined ? undefined : Buffer.from(checksum, 'base64');
  if (!digest || digest.length !== 32) throw new Error(`blob store: object ${key} has no full-object SHA-256 checksum`);
  return digest.toString('hex');
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}
