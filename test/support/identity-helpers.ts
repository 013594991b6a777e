import { generateKeyPairSync, sign, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { residentIdCheckChar } from '../../shared/codes/resident-id.js';
import type { TestPlatform } from './local-platform.js';

/** Phone numbers unique to one test run, so tests never collide on the unique phone claim. */
export function phoneNumbers(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}${String(next++).padStart(11 - prefix.length, '0')}`;
}

/** A valid resident ID number (region 330106) for a birth date and sequence. */
export function residentId(birthDate: string, sequence: number): string {
  const first17 = `330106${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export const STRONG_PASSWORD = 'Blue-Harbour-Lantern-42';

/**
 * The latest SMS code sent to a phone: delivers the notifications queue, then reads the local
 * outbox (<dataDir>/outbox), as a person running the platform would.
 */
export async function latestSmsCode(platform: TestPlatform, phone: string): Promise<string> {
  await platform.runtime.drainQueues();
  const dir = join(platform.runtime.dataDir, 'outbox');
  const files = (await readdir(dir).catch(() => [] as string[])).sort();
  for (const file of files.reverse()) {
    const message = JSON.parse(await readFile(join(dir, file), 'utf8')) as { to: string; template: string; params: { code?: string } };
    if (message.to === phone && message.template === 'sms-code' && message.params.code) return message.params.code;
  }
  throw new Error(`no SMS code was sent to ${phone}`);
}

/** Requests an SMS code and returns it from the outbox. */
export async function smsCodeFor(platform: TestPlatform, phone: string, purpose: 'register' | 'login' | 'upgrade'): Promise<string> {
  const response = await platform.call('POST', '/v1/identity/sms-codes', { body: { phone, purpose } });
  if (response.status !== 202) throw new Error(`sms code for ${phone}: ${response.status} ${response.text}`);
  return latestSmsCode(platform, phone);
}

/** Logs in with a password and returns the whole token response. */
export async function login(platform: TestPlatform, username: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  const response = await platform.call('POST', '/v1/identity/sessions', { body: { username, password } });
  if (response.status !== 201) throw new Error(`login of ${username}: ${response.status} ${response.text}`);
  return response.body;
}

/** A form-encoded POST, as OAuth and OIDC back-channel clients send. */
export function postForm(platform: TestPlatform, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return platform.call('POST', path, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/**
 * A peer platform played by the test: its own ES256 key pair, its JWKS served over HTTP on the
 * loopback interface, tokens signed with node crypto, and a back-channel logout endpoint that
 * records what it receives.
 */
export interface TestPeer {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly backchannelLogoutUri: string;
  readonly receivedLogoutTokens: string[];
  /** answer the back-channel endpoint with this status (e.g. 503 to test retries) */
  logoutStatus: number;
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startTestPeer(path = '/peer'): Promise<TestPeer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `peer-${randomUUID()}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  const received: string[] = [];
  const peer = { logoutStatus: 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === `${path}/jwks.json`) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else if (req.method === 'POST' && req.url === `${path}/backchannel-logout`) {
        const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('logout_token');
        if (token && peer.logoutStatus === 200) received.push(token);
        res.writeHead(peer.logoutStatus).end();
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(peer, {
    issuer: `${base}${path}`,
    jwksUri: `${base}${path}/jwks.json`,
    backchannelLogoutUri: `${base}${path}/backchannel-logout`,
    receivedLogoutTokens: received,
    sign: (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => signEs256(privateKey, { alg: 'ES256', typ: 'JWT', kid, ...header }, claims),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function signEs256(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** the claims of a JWT, unverified (tests inspect tokens the platform issued) */
export function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
