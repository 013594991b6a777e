import { createHash } from 'node:crypto';
import { assertValidBlobKey, assertValidDownloadRequest, assertValidUploadRequest, attachmentDisposition, type BlobStore, type StoredBlob } from '../../ports/blob-store.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { envNames, required } from '../../config.js';
import { encodePath, lambdaCredentials, presignUrl, signedFetch, type CredentialsProvider, type SignedResponse, awsDomain } from './signed-fetch.js';

/** Thrown for an S3 answer this store cannot use; names the status and S3's error code, never the body. */
export class S3RequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`s3: ${operation} failed with ${status}${code === undefined ? '' : ` ${code}`}`);
    this.name = 'S3RequestError';
  }
}

/**
 * BlobStore on S3 over signed fetch (the S3 SDK client would not fit the bundle budget).
 * Objects live at virtual-hosted URLs `https://<bucket>.s3.<region>.amazonaws.com[.cn]/<key>`.
 * Every object is written with an SHA-256 checksum, which S3 verifies on write and returns on
 * HEAD/GET (x-amz-checksum-mode ENABLED), so `head` reports the hash without reading the bytes
 * and `get` checks the bytes it read against it.
 *
 * Upload URLs are presigned PUTs whose signature covers Content-Type, Content-Length and
 * x-amz-checksum-sha256: S3 rejects other types or sizes (signature mismatch) and other bytes
 * (checksum mismatch). The checksum header must stay a header (S3 ignores it hoisted into the
 * query string), so the ticket lists it and the client sends it; any HTTP client sends the
 * Content-Length of the body by itself.
 *
 * Download URLs are presigned GETs carrying `response-content-type` and
 * `response-content-disposition` in the signed query string: S3 answers with those headers, and
 * any change to them breaks the signature.
 *
 * Credentials default to the Lambda role's (lambdaCredentials); tests inject fetch and a clock.
 */
export function s3BlobStore(options: {
  bucket: string;
  region: string;
  credentials?: CredentialsProvider;
  fetch?: typeof fetch;
  clock?: Clock;
}): BlobStore {
  const { bucket, region } = options;
  const clock = options.clock ?? systemClock;
  const signing = { service: 's3', region, credentials: options.credentials ?? lambdaCredentials() };
  const send = signedFetch({ ...signing, clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const origin = `https://${bucket}.s3.${region}.${awsDomain(region)}`;
  const objectUrl = (key: string) => `${origin}/${encodePath(key)}`;

  return {
    async createUploadUrl(input) {
      assertValidUploadRequest(input);
      const checksum = Buffer.from(input.sha256, 'hex').toString('base64');
      const headers = { 'Content-Type': input.contentType, 'x-amz-checksum-sha256': checksum };
      const signingDate = clock.now();
      const uploadUrl = await presignUrl({
        ...signing,
        request: { method: 'PUT', url: objectUrl(input.key), headers: { ...headers, 'Content-Length': String(input.size) } },
        expiresInSeconds: input.expiresInSeconds,
        signingDate,
      });
      return { uploadUrl, expiresAt: new Date(signingDate.getTime() + input.expiresInSeconds * 1000), headers };
    },

    async createDownloadUrl(input) {
      assertValidDownloadRequest(input);
      const url = new URL(objectUrl(input.key));
      url.searchParams.set('response-content-disposition', attachmentDisposition(input.fileName));
      url.searchParams.set('response-content-type', input.contentType);
      const signingDate = clock.now();
      const downloadUrl = await presignUrl({ ...signing, request: { method: 'GET', url: url.href, headers: {} }, expiresInSeconds: input.expiresInSeconds, signingDate });
      return { downloadUrl, expiresAt: new Date(signingDate.getTime() + input.expiresInSeconds * 1000) };
    },

    async put(key, bytes, contentType) {
      assertValidBlobKey(key);
      const digest = createHash('sha256').update(bytes).digest();
      const response = await send({
        method: 'PUT',
        url: objectUrl(key),
        headers: { 'content-type': contentType, 'x-amz-checksum-sha256': digest.toString('base64') },
        body: bytes,
      });
      assertSucceeded('PutObject', response);
      return { contentType, size: bytes.byteLength, sha256: digest.toString('hex') };
    },

    async get(key) {
      assertValidBlobKey(key);
      const response = await send({ method: 'GET', url: objectUrl(key), headers: { 'x-amz-checksum-mode': 'ENABLED' } });
      if (response.status === 404) return undefined;
      assertSucceeded('GetObject', response);
      const sha256 = createHash('sha256').update(response.body).digest('hex');
      const stored = response.headers.get('x-amz-checksum-sha256');
      if (stored !== null && sha256FromChecksum(key, stored) !== sha256) throw new Error(`blob store: object ${key} does not match its SHA-256 checksum`);
      const info: StoredBlob = { contentType: contentTypeOf(response), size: response.body.byteLength, sha256 };
      return { bytes: response.body, info };
    },

    async head(key) {
      assertValidBlobKey(key);
      const response = await send({ method: 'HEAD', url: objectUrl(key), headers: { 'x-amz-checksum-mode': 'ENABLED' } });
      if (response.status === 404) return undefined;
      assertSucceeded('HeadObject', response);
      return {
        contentType: contentTypeOf(response),
        size: Number(response.headers.get('content-length') ?? 0),
        sha256: sha256FromChecksum(key, response.headers.get('x-amz-checksum-sha256')),
      };
    },

    async delete(key) {
      assertValidBlobKey(key);
      assertSucceeded('DeleteObject', await send({ method: 'DELETE', url: objectUrl(key) }));
    },

    async ping() {
      assertSucceeded('HeadBucket', await send({ method: 'HEAD', url: `${origin}/` }));
    },
  };
}

function assertSucceeded(operation: string, response: SignedResponse): void {
  if (response.status >= 200 && response.status < 300) return;
  // HEAD answers carry no body, so no error code
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(new TextDecoder().decode(response.body))?.[1];
  throw new S3RequestError(operation, response.status, code);
}

function contentTypeOf(response: SignedResponse): string {
  return response.headers.get('content-type') ?? 'application/octet-stream';
}

/** Objects written by this store carry a full-object SHA-256; anything else was written around it. */
function sha256FromChecksum(key: string, checksum: string | null): string {
  const digest = checksum === null ? undefined : Buffer.from(checksum, 'base64');
  if (!digest || digest.length !== 32) throw new Error(`blob store: object ${key} has no full-object SHA-256 checksum`);
  return digest.toString('hex');
}

/** the blob store of a Lambda function (composition factory): the bucket the stack binds, the function's region */
export const awsBlobStore = (env: NodeJS.ProcessEnv): BlobStore => s3BlobStore({ bucket: required(env, envNames.blobBucket), region: required(env, 'AWS_REGION') });
