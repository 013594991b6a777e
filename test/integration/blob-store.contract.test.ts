import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  acceptLocalUpload,
  createFolderBlobStore,
  DownloadRejectedError,
  serveLocalDownload,
  UploadRejectedError,
  type FolderBlobStore,
  type TokenRejection,
  type UploadRejection,
} from '../../shared/adapters/local/folder-blob-store.js';
import { InvalidBlobKeyError, type BlobStore } from '../../shared/ports/blob-store.js';

const encode = (text: string) => new TextEncoder().encode(text);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const TRAVERSAL_KEYS = ['../outside', 'a/../../outside', '/etc/passwd', 'a//b', './a', 'a/.', 'a\\..\\b', '', 'a\u0000b'];

/** What every BlobStore must do with bytes it is handed directly. */
function blobStoreContract(name: string, makeStore: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('round-trips bytes with their content type, size and SHA-256', async () => {
      const bytes = encode('%PDF-1.7 营业执照副本');
      const info = await store.put('cases/SL-2025-0001/licence.pdf', bytes, 'application/pdf');
      expect(info).toEqual({ contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });
      expect(await store.head('cases/SL-2025-0001/licence.pdf')).toEqual(info);
      const got = await store.get('cases/SL-2025-0001/licence.pdf');
      expect(got?.info).toEqual(info);
      expect(Buffer.from(got?.bytes ?? new Uint8Array()).equals(Buffer.from(bytes))).toBe(true);
    });

    it('replaces an object written again under the same key', async () => {
      await store.put('exchange/batch-1.csv', encode('a,b\n1,2\n'), 'text/csv');
      const second = encode('a,b\n3,4\n5,6\n');
      await store.put('exchange/batch-1.csv', second, 'text/csv');
      expect(await store.head('exchange/batch-1.csv')).toEqual({ contentType: 'text/csv', size: second.length, sha256: sha256(second) });
    });

    it('keeps a key and a key below it apart', async () => {
      await store.put('nested', encode('parent'), 'text/plain');
      await store.put('nested/child', encode('child'), 'text/plain');
      expect(Buffer.from((await store.get('nested'))?.bytes ?? []).toString()).toBe('parent');
      expect(Buffer.from((await store.get('nested/child'))?.bytes ?? []).toString()).toBe('child');
    });

    it('stores empty objects', async () => {
      const info = await store.put('empty', new Uint8Array(), 'application/octet-stream');
      expect(info.size).toBe(0);
      expect((await store.get('empty'))?.bytes.length).toBe(0);
    });

    it('deletes, and treats missing objects as absent', async () => {
      await store.put('to-delete', encode('x'), 'text/plain');
      await store.delete('to-delete');
      expect(await store.head('to-delete')).toBeUndefined();
      expect(await store.get('to-delete')).toBeUndefined();
      await expect(store.delete('never-written')).resolves.toBeUndefined();
    });

    it('rejects keys that are absolute, empty or walk out of the store', async () => {
      for (const key of TRAVERSAL_KEYS) {
        await expect(store.put(key, encode('x'), 'text/plain')).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.get(key)).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.head(key)).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.delete(key)).rejects.toThrow(InvalidBlobKeyError);
      }
    });
  });
}

const temporaryDirs: string[] = [];
async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'blob-store-'));
  temporaryDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

blobStoreContract('folder', async () =>
  createFolderBlobStore({ dir: join(await temporaryDir(), 'blobs'), publicBaseUrl: 'http://127.0.0.1:3000', signingSecret: 'contract-secret' }),
);

describe('folder blob store upload URLs', () => {
  let dir: string;
  let now: Date;
  let store: FolderBlobStore;
  const material = encode('%PDF-1.7 身份证复印件');
  const request = { contentType: 'application/pdf', size: material.length, sha256: sha256(material), expiresInSeconds: 900 };

  const tokenOf = (url: string) => url.slice('http://localhost:3000/_local/blobs/'.length);
  const rejection = async (promise: Promise<unknown>): Promise<UploadRejection | undefined> => {
    try {
      await promise;
      return undefined;
    } catch (error) {
      if (error instanceof UploadRejectedError) return error.reason;
      throw error;
    }
  };

  beforeAll(async () => {
    dir = await temporaryDir();
    now = new Date('2025-03-01T08:00:00Z');
    store = createFolderBlobStore({ dir, publicBaseUrl: 'http://localhost:3000/', signingSecret: 'local-secret', clock: { now: () => now } });
  });

  it('issues a gateway URL with the headers to send and its expiry', async () => {
    const ticket = await store.createUploadUrl({ key: 'uploads/01A', ...request });
    expect(ticket.uploadUrl).toMatch(/^http:\/\/localhost:3000\/_local\/blobs\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(ticket.headers).toEqual({ 'Content-Type': 'application/pdf' });
    expect(ticket.expiresAt.toISOString()).toBe('2025-03-01T08:15:00.000Z');
  });

  it('accepts exactly the declared bytes and stores them with a sidecar', async () => {
    const ticket = await store.createUploadUrl({ key: 'uploads/01B', ...request });
    const stored = await acceptLocalUpload(store, tokenOf(ticket.uploadUrl), { contentType: 'application/pdf', bytes: material });
    expect(stored).toEqual({ contentType: 'application/pdf', size: material.length, sha256: sha256(material) });
    expect(await store.head('uploads/01B')).toEqual(stored);
    expect((await readdir(join(dir, 'uploads'))).sort()).toEqual(['01B.blob', '01B.blob.json']);
    expect(JSON.parse(await readFile(join(dir, 'uploads', '01B.blob.json'), 'utf8'))).toEqual(stored);
    // like a presigned URL it can be repeated until it expires, and only ever stores the same bytes
    await expect(acceptLocalUpload(store, tokenOf(ticket.uploadUrl), { contentType: 'application/pdf', bytes: material })).resolves.toEqual(stored);
  });

  it('rejects the wrong content type, size or bytes, and stores nothing', async () => {
    const ticket = await store.createUploadUrl({ key: 'uploads/01C', ...request });
    const token = tokenOf(ticket.uploadUrl);
    const forged = new Uint8Array(material);
    forged[0] = 0x21;
    expect(await rejection(acceptLocalUpload(store, token, { contentType: 'image/png', bytes: material }))).toBe('content-type');
    expect(await rejection(acceptLocalUpload(store, token, { contentType: 'application/pdf', bytes: material.subarray(1) }))).toBe('size');
    expect(await rejection(acceptLocalUpload(store, token, { contentType: 'application/pdf', bytes: new Uint8Array([...material, 0]) }))).toBe('size');
    expect(await rejection(acceptLocalUpload(store, token, { contentType: 'application/pdf', bytes: forged }))).toBe('hash');
    expect(await store.head('uploads/01C')).toBeUndefined();
  });

  it('rejects an expired URL', async () => {
    const ticket = await store.createUploadUrl({ key: 'uploads/01D', ...request, expiresInSeconds: 60 });
    now = new Date(now.getTime() + 61_000);
    try {
      expect(await rejection(acceptLocalUpload(store, tokenOf(ticket.uploadUrl), { contentType: 'application/pdf', bytes: material }))).toBe('expired');
    } finally {
      now = new Date('2025-03-01T08:00:00Z');
    }
    expect(await store.head('uploads/01D')).toBeUndefined();
  });

  it('rejects tampered, foreign and malformed tokens', async () => {
    const ticket = await store.createUploadUrl({ key: 'uploads/01E', ...request });
    const [payload, signature] = tokenOf(ticket.uploadUrl).split('.') as [string, string];
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const retargeted = Buffer.from(JSON.stringify({ ...grant, key: 'uploads/someone-else' })).toString('base64url');
    const extended = Buffer.from(JSON.stringify({ ...grant, exp: grant.exp + 86_400 })).toString('base64url');
    const mac = Buffer.from(signature, 'base64url');
    mac[0] = (mac[0] ?? 0) ^ 0x01;
    const flipped = mac.toString('base64url');
    const foreign = createFolderBlobStore({ dir, publicBaseUrl: 'http://localhost:3000', signingSecret: 'other-secret', clock: { now: () => now } });
    const foreignToken = tokenOf((await foreign.createUploadUrl({ key: 'uploads/01E', ...request })).uploadUrl);
    const upload = { contentType: 'application/pdf', bytes: material };
    for (const token of [`${retargeted}.${signature}`, `${extended}.${signature}`, `${payload}.${flipped}`, foreignToken, 'garbage', `${payload}.`, `${payload}.${signature}.x`, '']) {
      expect(await rejection(acceptLocalUpload(store, token, upload))).toBe('bad-signature');
    }
    expect(await store.head('uploads/01E')).toBeUndefined();
    expect(await store.head('uploads/someone-else')).toBeUndefined();
  });

  it('refuses to issue URLs for keys outside the store or impossible uploads', async () => {
    for (const key of TRAVERSAL_KEYS) {
      await expect(store.createUploadUrl({ key, ...request })).rejects.toThrow(InvalidBlobKeyError);
    }
    await expect(store.createUploadUrl({ key: 'uploads/01F', ...request, sha256: 'not-hex' })).rejects.toThrow(RangeError);
    await expect(store.createUploadUrl({ key: 'uploads/01F', ...request, expiresInSeconds: 0 })).rejects.toThrow(RangeError);
  });
});

describe('folder blob store download URLs', () => {
  let now: Date;
  let store: FolderBlobStore;
  const bytes = encode('%PDF-1.7 营业执照副本');
  const request = { key: 'cases/SL-2025-0002/licence', contentType: 'application/pdf', fileName: '营业执照 (副本).pdf', expiresInSeconds: 60 };

  const tokenOf = (url: string) => url.slice('http://localhost:3000/_local/blobs/'.length);
  const rejection = async (token: string): Promise<TokenRejection | undefined> => {
    try {
      await serveLocalDownload(store, token);
      return undefined;
    } catch (error) {
      if (error instanceof DownloadRejectedError) return error.reason;
      throw error;
    }
  };

  beforeAll(async () => {
    now = new Date('2025-03-01T08:00:00Z');
    store = createFolderBlobStore({ dir: await temporaryDir(), publicBaseUrl: 'http://localhost:3000/', signingSecret: 'local-secret', clock: { now: () => now } });
    await store.put(request.key, bytes, 'application/pdf');
  });

  it('issues a gateway URL that serves the bytes as a named attachment of the signed type until it expires', async () => {
    const ticket = await store.createDownloadUrl(request);
    expect(ticket.downloadUrl).toMatch(/^http:\/\/localhost:3000\/_local\/blobs\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(ticket.expiresAt.toISOString()).toBe('2025-03-01T08:01:00.000Z');
    const served = await serveLocalDownload(store, tokenOf(ticket.downloadUrl));
    expect(Buffer.from(served?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(served?.contentType).toBe('application/pdf');
    expect(served?.contentDisposition).toBe("attachment; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%28%E5%89%AF%E6%9C%AC%29.pdf");
  });

  it('rejects an expired URL', async () => {
    const token = tokenOf((await store.createDownloadUrl(request)).downloadUrl);
    now = new Date(now.getTime() + 60_000);
    try {
      expect(await rejection(token)).toBe('expired');
    } finally {
      now = new Date('2025-03-01T08:00:00Z');
    }
  });

  it('rejects forged, retargeted and foreign tokens, and upload tokens', async () => {
    const [payload, signature] = tokenOf((await store.createDownloadUrl(request)).downloadUrl).split('.') as [string, string];
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const retargeted = Buffer.from(JSON.stringify({ ...grant, key: 'cases/SL-2025-0001/licence.pdf' })).toString('base64url');
    const retyped = Buffer.from(JSON.stringify({ ...grant, contentType: 'text/html' })).toString('base64url');
    const foreign = createFolderBlobStore({ dir: await temporaryDir(), publicBaseUrl: 'http://localhost:3000', signingSecret: 'other-secret', clock: { now: () => now } });
    const foreignToken = tokenOf((await foreign.createDownloadUrl(request)).downloadUrl);
    // an upload URL of the same store, for the same key, is no download URL
    const uploadToken = tokenOf((await store.createUploadUrl({ key: request.key, contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes), expiresInSeconds: 60 })).uploadUrl);
    for (const token of [`${retargeted}.${signature}`, `${retyped}.${signature}`, foreignToken, uploadToken, 'garbage', `${payload}.`, '']) {
      expect(await rejection(token)).toBe('bad-signature');
    }
    // and a download URL is no upload URL
    expect(() => store.verifyUploadToken(`${payload}.${signature}`)).toThrow(UploadRejectedError);
  });

  it('answers nothing for a blob deleted after the URL was issued', async () => {
    await store.put('cases/SL-2025-0002/gone', bytes, 'application/pdf');
    const ticket = await store.createDownloadUrl({ ...request, key: 'cases/SL-2025-0002/gone' });
    await store.delete('cases/SL-2025-0002/gone');
    expect(await serveLocalDownload(store, tokenOf(ticket.downloadUrl))).toBeUndefined();
  });

  it('refuses to issue URLs for keys outside the store or impossible downloads', async () => {
    for (const key of TRAVERSAL_KEYS) {
      await expect(store.createDownloadUrl({ ...request, key })).rejects.toThrow(InvalidBlobKeyError);
    }
    await expect(store.createDownloadUrl({ ...request, fileName: '' })).rejects.toThrow(RangeError);
    await expect(store.createDownloadUrl({ ...request, expiresInSeconds: 604_801 })).rejects.toThrow(RangeError);
  });
});
