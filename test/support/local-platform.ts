import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDemoAccounts, seedDemoData, type DemoAccount } from '../../infra/local/demo-seed.js';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../infra/local/runtime.js';

export interface TestPlatform {
  readonly runtime: LocalRuntime;
  readonly url: string;
  readonly accounts: readonly DemoAccount[];
  account(role: string): DemoAccount;
  /** JSON request against the local gateway; returns status, headers and parsed body */
  call(method: string, path: string, options?: { body?: unknown; rawBody?: string | Buffer; token?: string; headers?: Record<string, string> }): Promise<TestResponse>;
  /** logs a demo role in and returns its access token */
  login(role: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

/**
 * Starts the whole local runtime on a free port, seeded with the demo data: in a fresh temporary
 * data folder (removed on close), or in `options.dataDir` (kept), whose earlier demo accounts are reused.
 */
export async function startTestPlatform(options: Partial<LocalRuntimeOptions> = {}): Promise<TestPlatform> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'gsp-test-')));
  const runtime = await startLocalRuntime({ port: 0, logLevel: 'SILENT', schedules: false, queuePollMs: 10, validateResponses: true, ...options, dataDir });
  const accounts = (await seedDemoData(runtime.dependencies, dataDir)) ?? (await readDemoAccounts(dataDir));
  const tokens = new Map<string, string>();

  const call: TestPlatform['call'] = async (method, path, { body, rawBody, token, headers = {} } = {}) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(rawBody !== undefined ? { body: rawBody } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  const platform: TestPlatform = {
    runtime,
    url: runtime.url,
    accounts,
    account(role) {
      const found = accounts.find((a) => a.role === role);
      if (!found) throw new Error(`no demo account with role ${role}`);
      return found;
    },
    call,
    async login(role) {
      const cached = tokens.get(role);
      if (cached) return cached;
      const { username, password } = platform.account(role);
      const response = await call('POST', '/v1/identity/sessions', { body: { username, password } });
      if (response.status !== 201) throw new Error(`login of ${role} failed: ${response.status} ${response.text}`);
      tokens.set(role, response.body.accessToken);
      return response.body.accessToken as string;
    },
    async close() {
      await runtime.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return platform;
}
