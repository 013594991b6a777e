import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { seedDemoData } from '../infra/local/demo-seed.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { agencySeal } from '../test/support/certificate-fixtures.js';
import { json } from './cases.js';

const SECONDS = 10;
const CONNECTIONS = 10;
const CITIZEN_ID = '330106199003071236';

/**
 * Certificate verifications through the local gateway (`npm start`'s runtime, persisted stores):
 * one certificate issued by agency A's seal, then POST /v1/certificate-verifications for 10 s with
 * 10 connections after a warm-up, by identifier (stored file opened, SES_Signature checked, status
 * read) and with the sealed file presented. Load generator and platform share this process and
 * machine: the figures are a floor, not a capacity.
 */
export async function benchCertificates(): Promise<void> {
  console.log('\n== Certificate verifications through the local gateway ==');
  const dataDir = await mkdtemp(join(tmpdir(), 'gsp-bench-certificates-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, logLevel: 'ERROR', schedules: false });
  try {
    const accounts = (await seedDemoData(runtime.dependencies, dataDir))!;
    const login = async (role: string) => {
      const account = accounts.find((a) => a.role === role)!;
      return (await json(runtime.url, 'POST', '/v1/identity/sessions', { username: account.username, password: account.password })).accessToken as string;
    };
    const [admin, staff, authority] = [await login('admin'), await login('staff'), await login('seal-authority')];
    const agency = accounts.find((a) => a.role === 'staff')!;
    const sealId = await agencySeal({ tables: runtime.dependencies.tables, baseUrl: runtime.url, authorityToken: authority, agencyUscc: agency.agencyUscc!, agencyName: agency.agency! });
    await json(runtime.url, 'POST', '/v1/certificate-types', { typeCode: 'BENCH0001', name: '基准测试证照', issuerDepartment: agency.agency, issuerUscc: agency.agencyUscc, sealId, holderType: 'natural', fields: [{ name: 'note', type: 'string', required: true }] }, admin);
    const issued = await json(runtime.url, 'POST', '/v1/certificates', { typeCode: 'BENCH0001', holder: { name: '张测试', codeType: 'resident-id', code: CITIZEN_ID }, surface: { note: '基准' }, validFrom: '2030-01-01' }, staff);
    const identifier = issued.identifier as string;
    const citizen = await login('citizen');
    const file = await json(runtime.url, 'GET', `/v1/certificates/${identifier}/file`, undefined, citizen);

    for (const [label, body] of [
      ['by identifier', { identifier }],
      ['presented file', { file }],
    ] as const) {
      const run = (seconds: number) =>
        autocannon({ url: runtime.url, connections: CONNECTIONS, duration: seconds, requests: [{ method: 'POST', path: '/v1/certificate-verifications', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }] });
      await run(2);
      const result = await run(SECONDS);
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`verifications ${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      console.log(`POST /v1/certificate-verifications ${label.padEnd(15)} ${(result['2xx'] / SECONDS).toFixed(1).padStart(7)} verifications/s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)`);
    }
    // requests autocannon abandoned at its deadline finish before the stores close
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchCertificates().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
