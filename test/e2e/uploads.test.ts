import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

let platform: TestPlatform;
let citizen: string;
let enterprise: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  citizen = await platform.login('citizen');
  enterprise = await platform.login('enterprise');
});
afterAll(async () => {
  await platform?.close();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

interface Reservation {
  blobId: string;
  uploadUrl: string;
  expiresAt: string;
  headers: Record<string, string>;
}

async function reserve(bytes: Buffer, fileName = 'material.pdf'): Promise<Reservation> {
  const res = await platform.call('POST', '/v1/uploads', {
    token: citizen,
    body: { fileName, contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) },
  });
  expect(res.status).toBe(201);
  return res.body as Reservation;
}

async function put(url: string, bytes: Buffer, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'PUT', headers, body: bytes });
  return { status: response.status, body: await response.json() };
}

const stateOf = async (blobId: string, token = citizen) => platform.call('GET', `/v1/uploads/${blobId}`, { token });

describe('the upload flow', () => {
  it('reserves, accepts exactly the declared bytes, and reports them stored to their owner only', async () => {
    const bytes = pdf('the declared bytes');
    const reservation = await reserve(bytes);
    expect(reservation).toEqual({
      blobId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      uploadUrl: expect.stringContaining(platform.url),
      expiresAt: expect.any(String),
      headers: expect.objectContaining({ 'Content-Type': 'application/pdf' }),
    });
    expect(Date.parse(reservation.expiresAt)).toBeGreaterThan(Date.now());

    const before = await stateOf(reservation.blobId);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ blobId: reservation.blobId, fileName: 'material.pdf', size: bytes.length, sha256: sha256(bytes), state: 'pending' });

    expect((await put(reservation.uploadUrl, bytes, reservation.headers)).status).toBe(200);
    const after = await stateOf(reservation.blobId);
    expect(after.body.state).toBe('stored');

    const someoneElse = await stateOf(reservation.blobId, enterprise);
    expect(someoneElse.status).toBe(404);
    expect(someoneElse.body.error.code).toBe('upload_not_found');
  });

  it('refuses other bytes with 422 and leaves the upload pending', async () => {
    const bytes = pdf('expected');
    const reservation = await reserve(bytes);
    const sameSizeOtherBytes = pdf('EXPECTED');
    const res = await put(reservation.uploadUrl, sameSizeOtherBytes, reservation.headers);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('upload_hash');
    expect((await stateOf(reservation.blobId)).body.state).toBe('pending');
  });

  it('refuses another content type with 415 and another size with 413', async () => {
    const bytes = pdf('typed and sized');
    const reservation = await reserve(bytes);
    const wrongType = await put(reservation.uploadUrl, bytes, { 'Content-Type': 'image/png' });
    expect(wrongType.status).toBe(415);
    const wrongSize = await put(reservation.uploadUrl, Buffer.concat([bytes, Buffer.from('x')]), reservation.headers);
    expect(wrongSize.status).toBe(413);
    expect((await stateOf(reservation.blobId)).body.state).toBe('pending');
  });

  it('refuses a tampered upload URL with 403', async () => {
    const bytes = pdf('tamper');
    const reservation = await reserve(bytes);
    const [payload, signature] = reservation.uploadUrl.split('/').pop()!.split('.');
    const grant = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...grant, key: 'uploads/01ARZ3NDEKTSV4RRFFQ69G5FAV' })).toString('base64url');
    const res = await put(`${platform.url}/_local/blobs/${forged}.${signature}`, bytes, reservation.headers);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('upload_bad_signature');
  });
});

describe('reserving an upload', () => {
  const valid = () => {
    const bytes = pdf('valid');
    return { fileName: 'a.pdf', contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) };
  };
  const fieldsOf = (body: { error: { details: { field: string }[] } }) => body.error.details.map((d) => d.field);

  it.each([
    ['a content type that is not allowed', { contentType: 'text/html' }, 'contentType'],
    ['more than 20 MiB', { size: 20 * 1024 * 1024 + 1 }, 'size'],
    ['a sha256 that is not 64 lower-case hex digits', { sha256: 'ABC123' }, 'sha256'],
    ['a file name with a path', { fileName: '../etc/passwd' }, 'fileName'],
  ])('refuses %s with 422 naming the field', async (_label, override, field) => {
    const res = await platform.call('POST', '/v1/uploads', { token: citizen, body: { ...valid(), ...override } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(fieldsOf(res.body)).toEqual([field]);
  });

  it('needs a signed-in caller', async () => {
    const res = await platform.call('POST', '/v1/uploads', { body: valid() });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toEqual(expect.any(String));
  });

  it('answers 404 for an id that was never issued', async () => {
    const res = await stateOf('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(res.status).toBe(404);
  });
});
