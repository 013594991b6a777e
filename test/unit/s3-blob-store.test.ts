import { describe, it, expect } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { S3RequestError, s3BlobStore } from '../../shared/adapters/aws/s3-blob-store.js';
import { InvalidBlobKeyError } from '../../shared/ports/blob-store.js';

type Sent = { url: string; method: string; headers: Record<string, string>; body: unknown };

/** A fetch that records every request and answers from a queue of responses. */
function fakeS3(...responses: Response[]) {
  const sent: Sent[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), method: init?.method ?? 'GET', headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body });
    const response = responses.shift();
    if (!response) throw new Error(`unexpected request ${init?.method} ${String(url)}`);
    return response;
  };
  return { fetch: fetch as typeof fetch, sent };
}

const credentials = async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret', sessionToken: 'test-session' });
const clock = { now: () => new Date('2025-03-01T08:00:00Z') };
const storeWith = (fetch: typeof globalThis.fetch) => s3BlobStore({ bucket: 'gov-blobs', region: 'cn-north-1', credentials, fetch, clock });

const bytes = new TextEncoder().encode('%PDF-1.7 materials');
const sha256Hex = createHash('sha256').update(bytes).digest('hex');
const sha256Base64 = Buffer.from(sha256Hex, 'hex').toString('base64');
const origin = 'https://gov-blobs.s3.cn-north-1.amazonaws.com.cn';

const signedHeadersOf = (sent: Sent | undefined) => /SignedHeaders=([^,]+),/.exec(sent?.headers.authorization ?? '')?.[1]?.split(';');

/**
 * Recomputes the SigV4 query signature of a presigned URL from scratch (node crypto only), so the
 * test proves S3 would accept the URL with these headers, independently of the signer used.
 */
function expectedPresignature(url: URL, method: string, headers: Record<string, string>, secret: string): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = [...url.searchParams]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .sort()
    .join('&');
  const names = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const canonicalHeaders = names.map((name) => `${name}:${Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1]}\n`).join('');
  const canonicalRequest = [method, url.pathname, query, canonicalHeaders, names.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const date = url.searchParams.get('X-Amz-Date') as string;
  const scope = (url.searchParams.get('X-Amz-Credential') as string).split('/').slice(1).join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const [day, region, service] = scope.split('/') as [string, string, string];
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

describe('s3BlobStore request shapes', () => {
  it('presigns a PUT that pins content type, length and SHA-256 checksum as signed headers', async () => {
    const { fetch, sent } = fakeS3();
    const ticket = await storeWith(fetch).createUploadUrl({ key: 'uploads/01J', contentType: 'application/pdf', size: bytes.length, sha256: sha256Hex, expiresInSeconds: 900 });
    const url = new URL(ticket.uploadUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${origin}/uploads/01J`);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDTEST/20250301/cn-north-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20250301T080000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('test-session');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host', 'x-amz-checksum-sha256']);
    // a checksum hoisted into the query string would be ignored by S3
    expect(url.searchParams.has('x-amz-checksum-sha256')).toBe(false);
    expect(ticket.headers).toEqual({ 'Content-Type': 'application/pdf', 'x-amz-checksum-sha256': sha256Base64 });
    expect(ticket.expiresAt.toISOString()).toBe('2025-03-01T08:15:00.000Z');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedPresignature(url, 'PUT', { ...ticket.headers, 'content-length': String(bytes.length), host: url.host }, 'test-secret'),
    );
    expect(sent).toHaveLength(0);
  });

  it('presigns a GET whose signed query makes S3 answer as a named attachment of the given type', async () => {
    const { fetch, sent } = fakeS3();
    const ticket = await storeWith(fetch).createDownloadUrl({ key: 'cases/C1/materials/01J', contentType: 'application/pdf', fileName: '身份证明 (1).pdf', expiresInSeconds: 60 });
    const url = new URL(ticket.downloadUrl);
    expect(url.host).toBe('gov-blobs.s3.cn-north-1.amazonaws.com.cn');
    expect(url.pathname).toBe('/cases/C1/materials/01J');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDTEST/20250301/cn-north-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('身份证明 (1).pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    // the response-* parameters are part of the signed canonical query: changing one breaks the signature
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedPresignature(url, 'GET', { host: url.host }, 'test-secret'));
    const altered = new URL(url);
    altered.searchParams.set('response-content-type', 'text/html');
    expect(expectedPresignature(altered, 'GET', { host: url.host }, 'test-secret')).not.toBe(url.searchParams.get('X-Amz-Signature'));
    expect(ticket.expiresAt.toISOString()).toBe('2025-03-01T08:01:00.000Z');
    expect(sent).toHaveLength(0);
  });

  it('refuses download requests S3 could not honour', async () => {
    const store = storeWith(fakeS3().fetch);
    const valid = { key: 'cases/C1/materials/01J', contentType: 'application/pdf', fileName: 'a.pdf', expiresInSeconds: 60 };
    await expect(store.createDownloadUrl({ ...valid, key: 'a/../b' })).rejects.toThrow(InvalidBlobKeyError);
    await expect(store.createDownloadUrl({ ...valid, expiresInSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(store.createDownloadUrl({ ...valid, fileName: 'a\r\nb.pdf' })).rejects.toThrow(RangeError);
    await expect(store.createDownloadUrl({ ...valid, contentType: 'text/html\r\nX-Evil: 1' })).rejects.toThrow(RangeError);
  });

  it('encodes each key segment in the URL it presigns', async () => {
    const { fetch } = fakeS3();
    const ticket = await storeWith(fetch).createUploadUrl({ key: '材料/申请 表(1).pdf', contentType: 'application/pdf', size: 1, sha256: sha256Hex, expiresInSeconds: 60 });
    expect(new URL(ticket.uploadUrl).pathname).toBe('/%E6%9D%90%E6%96%99/%E7%94%B3%E8%AF%B7%20%E8%A1%A8%281%29.pdf');
  });

  it('refuses upload requests S3 could not honour', async () => {
    const store = storeWith(fakeS3().fetch);
    const valid = { key: 'uploads/01J', contentType: 'application/pdf', size: 10, sha256: sha256Hex, expiresInSeconds: 900 };
    await expect(store.createUploadUrl({ ...valid, key: '../etc/passwd' })).rejects.toThrow(InvalidBlobKeyError);
    await expect(store.createUploadUrl({ ...valid, sha256: 'abc' })).rejects.toThrow(RangeError);
    await expect(store.createUploadUrl({ ...valid, size: -1 })).rejects.toThrow(RangeError);
    await expect(store.createUploadUrl({ ...valid, expiresInSeconds: 8 * 24 * 3600 })).rejects.toThrow(RangeError);
    await expect(store.createUploadUrl({ ...valid, contentType: 'text/plain\r\nX-Evil: 1' })).rejects.toThrow(RangeError);
  });

  it('puts bytes with their SHA-256 checksum, signed, and reports what it stored', async () => {
    const { fetch, sent } = fakeS3(new Response(null, { status: 200 }));
    expect(await storeWith(fetch).put('certificates/c1.ofd', bytes, 'application/ofd')).toEqual({ contentType: 'application/ofd', size: bytes.length, sha256: sha256Hex });
    expect(sent[0]).toMatchObject({ method: 'PUT', url: `${origin}/certificates/c1.ofd`, body: bytes });
    expect(sent[0]?.headers).toMatchObject({
      'content-type': 'application/ofd',
      'x-amz-checksum-sha256': sha256Base64,
      'x-amz-content-sha256': sha256Hex,
      'x-amz-date': '20250301T080000Z',
      'x-amz-security-token': 'test-session',
    });
    expect(sent[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/20250301\/cn-north-1\/s3\/aws4_request, /);
    expect(signedHeadersOf(sent[0])).toEqual(['content-type', 'host', 'x-amz-checksum-sha256', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']);
  });

  it('heads with checksum mode and turns the base64 checksum into hex', async () => {
    const { fetch, sent } = fakeS3(
      new Response(null, { status: 200, headers: { 'content-type': 'application/pdf', 'content-length': String(bytes.length), 'x-amz-checksum-sha256': sha256Base64 } }),
    );
    expect(await storeWith(fetch).head('uploads/01J')).toEqual({ contentType: 'application/pdf', size: bytes.length, sha256: sha256Hex });
    expect(sent[0]).toMatchObject({ method: 'HEAD', url: `${origin}/uploads/01J`, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    expect(signedHeadersOf(sent[0])).toContain('x-amz-checksum-mode');
  });

  it('answers undefined for missing objects and fails on objects without a checksum', async () => {
    const { fetch } = fakeS3(
      new Response(null, { status: 404 }),
      new Response(null, { status: 200, headers: { 'content-type': 'text/plain', 'content-length': '3' } }),
      new Response('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>', { status: 404 }),
    );
    const store = storeWith(fetch);
    expect(await store.head('missing')).toBeUndefined();
    await expect(store.head('foreign')).rejects.toThrow('no full-object SHA-256');
    expect(await store.get('missing')).toBeUndefined();
  });

  it('gets bytes with checksum mode, checks them against the checksum and describes them', async () => {
    const object = () => new Response(bytes, { status: 200, headers: { 'content-type': 'application/pdf', 'x-amz-checksum-sha256': sha256Base64 } });
    const tampered = new Response(new TextEncoder().encode('other bytes'), { status: 200, headers: { 'x-amz-checksum-sha256': sha256Base64 } });
    const { fetch, sent } = fakeS3(object(), tampered);
    const store = storeWith(fetch);
    expect(await store.get('uploads/01J')).toEqual({ bytes, info: { contentType: 'application/pdf', size: bytes.length, sha256: sha256Hex } });
    expect(sent[0]).toMatchObject({ method: 'GET', url: `${origin}/uploads/01J`, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    await expect(store.get('uploads/01J')).rejects.toThrow('does not match its SHA-256 checksum');
  });

  it('deletes by key and pings with a HEAD of the bucket', async () => {
    const { fetch, sent } = fakeS3(new Response(null, { status: 204 }), new Response(null, { status: 200 }));
    const store = storeWith(fetch);
    await store.delete('uploads/01J');
    await store.ping();
    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([`DELETE ${origin}/uploads/01J`, `HEAD ${origin}/`]);
    expect(sent.every((request) => request.headers.authorization?.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
  });

  it('names the status and S3 error code of a failed request', async () => {
    const denied = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId></Error>';
    const { fetch } = fakeS3(new Response(denied, { status: 403 }), new Response(null, { status: 404 }), new Response(null, { status: 503 }));
    const store = storeWith(fetch);
    const failure = await store.put('uploads/01J', bytes, 'application/pdf').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(S3RequestError);
    expect(failure).toMatchObject({ status: 403, code: 'AccessDenied', message: 's3: PutObject failed with 403 AccessDenied' });
    await expect(store.ping()).rejects.toThrow('s3: HeadBucket failed with 404');
    await expect(store.delete('uploads/01J')).rejects.toThrow('s3: DeleteObject failed with 503');
  });

  it('uses the global S3 domain outside China', async () => {
    const { fetch, sent } = fakeS3(new Response(null, { status: 200 }));
    await s3BlobStore({ bucket: 'gov-blobs', region: 'eu-west-1', credentials, fetch, clock }).ping();
    expect(sent[0]?.url).toBe('https://gov-blobs.s3.eu-west-1.amazonaws.com/');
  });

  it('refuses keys that are not plain relative paths before calling S3', async () => {
    const { fetch, sent } = fakeS3();
    const store = storeWith(fetch);
    for (const key of ['', '/abs', 'a/../b', 'a//b', './a', 'a\\b', 'a\u0000b']) {
      await expect(store.delete(key)).rejects.toThrow(InvalidBlobKeyError);
    }
    expect(sent).toHaveLength(0);
  });
});
