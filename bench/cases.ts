import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { seedDemoData } from '../infra/local/demo-seed.js';
import { startLocalRuntime } from '../infra/local/runtime.js';

const ITEM = 'RS-FW-0002';
const REGION = '330106';
const SECONDS = 10;
const CONNECTIONS = 10;

/**
 * Cases through the local gateway (`npm start`'s runtime, persisted stores, queue pump running):
 * 1. POST /v1/cases per second: complete applications (one material copied per case), each with
 *    its own Idempotency-Key, 10 connections for 10 s after a warm-up;
 * 2. GET /v1/cases/{caseNo} latency (p50, p99) over the cases just created, 10 connections for 10 s.
 * The load generator runs in the same process as the platform, as on a developer's machine;
 * the figures are a floor, not a capacity.
 */
export async function benchCases(): Promise<void> {
  console.log('\n== Cases through the local gateway ==');
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-cases-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, logLevel: 'ERROR', schedules: false });
  try {
    const accounts = (await seedDemoData(runtime.dependencies, dataDir))!;
    const citizen = accounts.find((a) => a.role === 'citizen')!;
    const token = (await json(runtime.url, 'POST', '/v1/identity/sessions', { username: citizen.username, password: citizen.password })).accessToken as string;
    const material = await upload(runtime.url, token);
    const application = JSON.stringify({ itemCode: ITEM, region: REGION, form: { reason: '遗失' }, materials: [{ name: material.name, blobId: material.blobId }], delivery: { method: 'pickup' } });
    const submit = (seconds: number) =>
      autocannon({
        url: runtime.url,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/v1/cases',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: application,
            setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
          },
        ],
      });
    await submit(2);
    const submissions = await submit(SECONDS);
    if (submissions.non2xx > 0 || submissions.errors > 0) throw new Error(`submissions: ${submissions.non2xx} non-2xx, ${submissions.errors} errors`);
    console.log(`POST /v1/cases: ${(submissions['2xx'] / SECONDS).toFixed(1)} submissions/s (p50 ${submissions.latency.p50} ms, p99 ${submissions.latency.p99} ms)`);

    const { cases } = await json(runtime.url, 'GET', '/v1/me/cases?limit=100', undefined, token);
    const caseNos = (cases as { caseNo: string }[]).map((c) => c.caseNo);
    let next = 0;
    const reads = await autocannon({
      url: runtime.url,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [{ method: 'GET', path: `/v1/cases/${caseNos[0]}`, headers: { authorization: `Bearer ${token}` }, setupRequest: (request) => ({ ...request, path: `/v1/cases/${caseNos[next++ % caseNos.length]}` }) }],
    });
    if (reads.non2xx > 0 || reads.errors > 0) throw new Error(`reads: ${reads.non2xx} non-2xx, ${reads.errors} errors`);
    console.log(`GET /v1/cases/{caseNo}: p50 ${reads.latency.p50} ms, p99 ${reads.latency.p99} ms (${reads.requests.average.toFixed(0)} req/s)`);
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** a JSON request against the gateway; throws on a non-2xx answer */
export async function json(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** the required material of the item, uploaded once and named in every application */
async function upload(base: string, token: string): Promise<{ name: string; blobId: string }> {
  const guide = await json(base, 'GET', `/v1/items/${ITEM}?region=${REGION}`);
  const name = (guide.materials as { name: string; required: boolean }[]).find((m) => m.required)!.name;
  const bytes = Buffer.from('%PDF-1.7\nbench material\n%%EOF\n');
  const reservation = await json(base, 'POST', '/v1/uploads', { fileName: 'material.pdf', contentType: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }, token);
  const put = await fetch(reservation.uploadUrl as string, { method: 'PUT', headers: reservation.headers as Record<string, string>, body: bytes });
  if (!put.ok) throw new Error(`upload: ${put.status}`);
  return { name, blobId: reservation.blobId as string };
}
