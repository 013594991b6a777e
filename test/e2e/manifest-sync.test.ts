import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allRoutes, type RouteSpec } from '../../infra/manifest.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

const ALLOWED_ORIGIN = 'https://portal.example';
/** a well-formed id for every path parameter, so parameter validation cannot mask the route itself */
const SAMPLE_PARAMETER = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ corsOrigins: [ALLOWED_ORIGIN] });
});
afterAll(async () => {
  await platform?.close();
});

const routes = allRoutes().map(({ route }) => route);
const concretePath = (route: RouteSpec) => route.path.replace(/\{[^}]+\}/g, SAMPLE_PARAMETER);
const label = (route: RouteSpec) => `${route.method} ${route.path}`;

describe('every manifest route is served by the local gateway', () => {
  it.each(routes.map((route) => [label(route), route] as const))('%s', async (_label, route) => {
    const res = await platform.call(route.method, concretePath(route));
    expect(res.body?.error?.code).not.toBe('route_not_found');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    if (route.auth.require !== 'anonymous') {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });
});

describe('the OpenAPI document', () => {
  it('lists exactly the manifest routes, each with its operationId', async () => {
    const res = await platform.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const documented: string[] = [];
    for (const [path, operations] of Object.entries(res.body.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const [method, operation] of Object.entries(operations)) documented.push(`${method.toUpperCase()} ${path} ${operation.operationId}`);
    }
    const expected = routes.map((route) => `${label(route)} ${route.operationId}`);
    expect(documented.sort()).toEqual(expected.sort());
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with 204 and the allowed origin', async () => {
    const res = await platform.call('OPTIONS', '/v1/identity/me', {
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('refuses a preflight from any other origin with a JSON 403', async () => {
    const res = await platform.call('OPTIONS', '/v1/identity/me', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.error.code).toEqual(expect.any(String));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('marks normal responses to an allowed origin, and only to it', async () => {
    const allowed = await platform.call('GET', '/health', { headers: { origin: ALLOWED_ORIGIN } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const refusedError = await platform.call('GET', '/v1/identity/me', { headers: { origin: ALLOWED_ORIGIN } });
    expect(refusedError.status).toBe(401);
    expect(refusedError.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const other = await platform.call('GET', '/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
