import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readDemoAccounts, seedDemoData, type DemoAccount } from '../../infra/local/demo-seed.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

/** What the first run left behind, to be found again after the restart. */
interface FirstRun {
  accounts: readonly DemoAccount[];
  kid: string;
  blobId: string;
  notificationId: string;
  /** the notification was in the outbox when the first run had stopped */
  deliveredBeforeRestart: boolean;
}

let dataDir: string;
let first: FirstRun;
let restarted: TestPlatform;

async function outboxIds(): Promise<string[]> {
  const dir = join(dataDir, 'outbox');
  const names = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(names.map(async (name) => (JSON.parse(await readFile(join(dir, name), 'utf8')) as { id: string }).id));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gsp-restart-'));
  // the first run delivers nothing from the queues, so the message is certainly still queued at close
  const platform = await startTestPlatform({ dataDir, pollQueues: false });
  try {
    const token = await platform.login('citizen');
    const jwks = await platform.call('GET', '/.well-known/jwks.json');
    const bytes = Buffer.from('%PDF-1.7\nkept across restarts\n%%EOF\n');
    const upload = await platform.call('POST', '/v1/uploads', {
      token,
      body: { fileName: 'kept.pdf', contentType: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
    });
    expect(upload.status).toBe(201);
    const put = await fetch(upload.body.uploadUrl, { method: 'PUT', headers: upload.body.headers, body: bytes });
    expect(put.status).toBe(200);
    const notificationId = `restart-${Date.now()}`;
    const sent = await platform.call('POST', '/_local/queues/notifications/messages', {
      body: { id: notificationId, channel: 'sms', to: '13800000001', template: 'case-accepted', params: { caseNo: 'C1' } },
    });
    expect(sent.status).toBe(202);
    first = { accounts: platform.accounts, kid: jwks.body.keys[0].kid, blobId: upload.body.blobId, notificationId, deliveredBeforeRestart: false };
  } finally {
    await platform.close();
  }
  first.deliveredBeforeRestart = (await outboxIds()).includes(first.notificationId);
  restarted = await startTestPlatform({ dataDir });
});

afterAll(async () => {
  await restarted?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a restart on the same data folder', () => {
  it('does not seed again; the demo accounts are read back unchanged', async () => {
    expect(first.accounts.length).toBeGreaterThan(0);
    expect(await seedDemoData(restarted.runtime.dependencies, dataDir)).toBeUndefined();
    expect(await readDemoAccounts(dataDir)).toEqual(first.accounts);
  });

  it('logs every demo user in with the password of the first run', async () => {
    for (const account of first.accounts) {
      const res = await restarted.call('POST', '/v1/identity/sessions', { body: { username: account.username, password: account.password } });
      expect({ role: account.role, status: res.status }).toEqual({ role: account.role, status: 201 });
    }
  });

  it('keeps the token signing key', async () => {
    const jwks = await restarted.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual([first.kid]);
  });

  it('keeps the upload record and its bytes', async () => {
    const res = await restarted.call('GET', `/v1/uploads/${first.blobId}`, { token: await restarted.login('citizen') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ blobId: first.blobId, fileName: 'kept.pdf', state: 'stored' });
  });

  it('delivers the message that was still queued, once', async () => {
    expect(first.deliveredBeforeRestart).toBe(false);
    await restarted.runtime.drainQueues();
    expect((await outboxIds()).filter((id) => id === first.notificationId)).toHaveLength(1);
  });
});
