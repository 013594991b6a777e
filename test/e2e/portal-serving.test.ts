import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { manifest } from '../../infra/manifest.js';
import { PORTAL_CONTENT_SECURITY_POLICY, apiPathPatterns } from '../../infra/portal-policy.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

/** a request with the path sent exactly as written (fetch would normalise `..` away) */
function rawGet(base: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local runtime serves the web portal beside the API', () => {
  let platform: TestPlatform;
  let index: string;

  beforeAll(async () => {
    platform = await startTestPlatform({ portal: true });
    index = (await platform.call('GET', '/')).text;
  }, 60_000);
  afterAll(() => platform.close());

  const scriptOf = (html: string) => /<script type="module" src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];

  it('answers / with index.html, its CSP and security headers, revalidated on every load', async () => {
    const response = await platform.call('GET', '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(PORTAL_CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.text).toContain('<html lang="zh-CN">');
    expect(scriptOf(response.text)).toBeDefined();
    // no inline scripts: every script element has a src
    expect(response.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
  });

  it('answers a deep link with the same index.html, so the router takes over', async () => {
    for (const path of ['/items/SC-XK-0001', '/me/cases?state=submitted', '/staff/queue/']) {
      const response = await platform.call('GET', path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.text).toBe(index);
    }
    const head = await rawGet(platform.url, '/search', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(index));
  });

  it('serves hashed assets with their content type, immutable for a year, gzipped on request', async () => {
    const script = scriptOf(index)!;
    const plain = await rawGet(platform.url, script);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-security-policy']).toBe(PORTAL_CONTENT_SECURITY_POLICY);
    const gzipped = await fetch(`${platform.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.text()).toBe(plain.body);

    const style = /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)"/.exec(index)![1]!;
    expect((await platform.call('GET', style)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers a missing asset with 404, not with index.html', async () => {
    const response = await platform.call('GET', '/assets/app-NOTTHERE.js');
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('<html');
  });

  it('refuses paths that try to leave the build folder', async () => {
    for (const path of ['/assets/../../package.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/%5c..%5cpackage.json', '/assets/%E0%A4%A']) {
      const response = await rawGet(platform.url, path);
      expect(response.status).toBe(400);
      expect(response.body).not.toContain('gov-service-platform');
    }
  });

  it('leaves the API as it was: JSON 404 for unknown /v1 routes, JSON for discovery, POST to portal paths not served', async () => {
    expect(apiPathPatterns(manifest)).toEqual(['/.well-known/*', '/health', '/openapi.json', '/v1/*']);
    const unknown = await platform.call('GET', '/v1/unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    expect(unknown.body.error.code).toBe('route_not_found');
    expect((await platform.call('GET', '/.well-known/jwks.json')).body.keys.length).toBeGreaterThan(0);
    expect((await platform.call('GET', '/openapi.json')).body.openapi).toMatch(/^3\./);
    expect((await platform.call('GET', '/health')).headers.get('content-type')).toContain('application/json');
    const posted = await platform.call('POST', '/items', { body: {} });
    expect(posted.status).toBe(404);
    expect(posted.body.error.code).toBe('route_not_found');
  });
});

describe('the test platform without the portal', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  }, 60_000);
  afterAll(() => platform.close());

  it('answers / with the API JSON 404, as the API alone does in AWS', async () => {
    const response = await platform.call('GET', '/');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('route_not_found');
  });
});
