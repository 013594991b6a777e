import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { TestPlatform, TestResponse } from './local-platform.js';

/** Uploads a small PDF as the token's owner (POST /v1/uploads, then the PUT) and returns its blob id. */
export async function uploadPdf(platform: TestPlatform, token: string, text: string = randomUUID()): Promise<string> {
  const bytes = Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);
  const reservation = await platform.call('POST', '/v1/uploads', {
    token,
    body: { fileName: 'material.pdf', contentType: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
  });
  if (reservation.status !== 201) throw new Error(`upload reservation: ${reservation.status} ${reservation.text}`);
  const put = await fetch(reservation.body.uploadUrl, { method: 'PUT', headers: reservation.body.headers, body: bytes });
  if (put.status !== 200) throw new Error(`upload: ${put.status}`);
  return reservation.body.blobId as string;
}

/** The names of the required materials of an item in a region, from its service guide. */
export async function requiredMaterials(platform: TestPlatform, itemCode: string, region: string): Promise<string[]> {
  const guide = await platform.call('GET', `/v1/items/${itemCode}?region=${region}`);
  if (guide.status !== 200) throw new Error(`guide of ${itemCode}: ${guide.status} ${guide.text}`);
  return (guide.body.materials as { name: string; required: boolean }[]).filter((m) => m.required).map((m) => m.name);
}

/** Uploads one PDF per required material of the item and returns the `materials` of a submission. */
export async function materialsFor(platform: TestPlatform, token: string, itemCode: string, region: string): Promise<{ name: string; blobId: string }[]> {
  const names = await requiredMaterials(platform, itemCode, region);
  return Promise.all(names.map(async (name) => ({ name, blobId: await uploadPdf(platform, token, name) })));
}

/** POST /v1/cases with an Idempotency-Key (a fresh one unless given). */
export function submitCase(platform: TestPlatform, token: string, body: Record<string, unknown>, idempotencyKey: string = randomUUID()): Promise<TestResponse> {
  return platform.call('POST', '/v1/cases', { token, body, headers: { 'idempotency-key': idempotencyKey } });
}

/** Submits a complete application for an item in a region and returns its case number. */
export async function submittedCase(platform: TestPlatform, token: string, itemCode: string, region: string, extra: Record<string, unknown> = {}): Promise<string> {
  const materials = await materialsFor(platform, token, itemCode, region);
  const response = await submitCase(platform, token, { itemCode, region, form: {}, materials, delivery: { method: 'pickup' }, ...extra });
  if (response.status !== 201) throw new Error(`submission of ${itemCode}: ${response.status} ${response.text}`);
  return response.body.caseNo as string;
}

/** A staff action on a case. */
export function act(platform: TestPlatform, token: string, caseNo: string, body: Record<string, unknown>): Promise<TestResponse> {
  return platform.call('POST', `/v1/cases/${caseNo}/actions`, { token, body });
}

/** Logs a demo role in again (after the test clock moved past its session), bypassing the platform's token cache. */
export async function freshLogin(platform: TestPlatform, role: string): Promise<string> {
  const { username, password } = platform.account(role);
  const response = await platform.call('POST', '/v1/identity/sessions', { body: { username, password } });
  if (response.status !== 201) throw new Error(`login of ${role}: ${response.status} ${response.text}`);
  return response.body.accessToken as string;
}

/** Tokens of the demo citizen, staff of agencies A and B and the admin, logged in afresh at the current test time. */
export async function demoRoleTokens(platform: TestPlatform): Promise<{ citizen: string; staffA: string; staffB: string; admin: string }> {
  const [citizen, staffA, admin] = await Promise.all([freshLogin(platform, 'citizen'), freshLogin(platform, 'staff'), freshLogin(platform, 'admin')]);
  const { username, password } = platform.accounts.filter((a) => a.role === 'staff')[1]!;
  const response = await platform.call('POST', '/v1/identity/sessions', { body: { username, password } });
  if (response.status !== 201) throw new Error(`login of staff-b: ${response.status} ${response.text}`);
  return { citizen, staffA, staffB: response.body.accessToken as string, admin };
}

/** The local outbox (SMS and email) after the queues are drained: every message sent to `to`. */
export async function outboxTo(platform: TestPlatform, to: string): Promise<{ template: string; params: Record<string, string> }[]> {
  await platform.runtime.drainQueues();
  const dir = join(platform.runtime.dataDir, 'outbox');
  const files = (await readdir(dir).catch(() => [] as string[])).sort();
  const messages = await Promise.all(files.map(async (file) => JSON.parse(await readFile(join(dir, file), 'utf8')) as { to: string; template: string; params: Record<string, string> }));
  return messages.filter((message) => message.to === to);
}
