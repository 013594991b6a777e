import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createGateway, type LambdaHttpHandler } from '../../infra/local/gateway.js';
import { GATEWAY_MAX_BODY_BYTES, type Manifest } from '../../infra/manifest.js';

const anonymous = { require: 'anonymous' } as const;
const testManifest: Manifest = {
  functions: [
    {
      name: 'items',
      description: 'routes whose templates overlap, to prove the most specific one wins',
      routes: [
        { method: 'GET', path: '/v1/items/{code}', operationId: 'getItem', summary: 'item', auth: anonymous },
        { method: 'GET', path: '/v1/items/analysis', operationId: 'getAnalysis', summary: 'analysis', auth: anonymous },
        { method: 'GET', path: '/v1/items/{code}/versions', operationId: 'getVersions', summary: 'versions', auth: anonymous },
        { method: 'GET', path: '/v1/items/{code}/{part}', operationId: 'getPart', summary: 'part', auth: anonymous },
        { method: 'POST', path: '/v1/items/{code}/files', operationId: 'addFile', summary: 'file', auth: anonymous },
      ],
      grants: {},
    },
    { name: 'fallback', description: 'the $default function', routes: [], grants: {} },
  ],
  tables: {},
  queues: {},
  keys: {},
};

interface Recording {
  fn: string;
  event: APIGatewayProxyEventV2;
}

const recordings: Recording[] = [];
let nextResult: APIGatewayProxyStructuredResultV2;
const recordingHandler =
  (fn: string): LambdaHttpHandler =>
  async (event) => {
    recordings.push({ fn, event });
    return nextResult;
  };

const handlers = new Map<string, LambdaHttpHandler>();
const gateway = createGateway({ manifest: testManifest, handlers, defaultFunction: 'fallback' });
let baseUrl: string;

beforeAll(async () => {
  baseUrl = await gateway.listen(0);
  // registered after listen, as the runtime does
  handlers.set('items', recordingHandler('items'));
  handlers.set('fallback', recordingHandler('fallback'));
});
afterAll(async () => {
  await gateway.close();
});
beforeEach(() => {
  recordings.length = 0;
  nextResult = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
});

/** a raw HTTP request, so the path, duplicate headers and body reach the gateway exactly as written */
function send(method: string, path: string, options: { headers?: OutgoingHttpHeaders; body?: Buffer } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const lastEvent = () => {
  expect(recordings).toHaveLength(1);
  return recordings[0]!.event;
};

describe('the API Gateway v2 event', () => {
  it('carries route key, raw path and query, joined headers, cookies apart, joined query values and decoded path parameters', async () => {
    await send('GET', '/v1/items/a%20b%2Fc?x=1&x=2&y=%E4%B8%AD&empty=', {
      headers: { 'X-Custom': ['one', 'two'], Cookie: 'session=abc; theme=dark', 'User-Agent': 'gateway-test' },
    });
    const event = lastEvent();
    expect(recordings[0]!.fn).toBe('items');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/items/{code}',
      rawPath: '/v1/items/a%20b%2Fc',
      rawQueryString: 'x=1&x=2&y=%E4%B8%AD&empty=',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { x: '1,2', y: '中', empty: '' },
      pathParameters: { code: 'a b/c' },
      isBase64Encoded: false,
      requestContext: { routeKey: 'GET /v1/items/{code}', stage: '$default', http: { method: 'GET', path: '/v1/items/a%20b%2Fc', userAgent: 'gateway-test' } },
    });
    expect(event.headers['x-custom']).toBe('one,two');
    expect(event.headers['user-agent']).toBe('gateway-test');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('leaves out cookies, query and path parameters when there are none', async () => {
    await send('GET', '/v1/items/analysis');
    const event = lastEvent();
    expect(event.rawQueryString).toBe('');
    expect('cookies' in event).toBe(false);
    expect('queryStringParameters' in event).toBe(false);
    expect('pathParameters' in event).toBe(false);
  });

  it('passes a binary body as base64 and a JSON body as text', async () => {
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    await send('POST', '/v1/items/x/files', { headers: { 'content-type': 'application/octet-stream', 'content-length': binary.length }, body: binary });
    const binaryEvent = lastEvent();
    expect(binaryEvent.isBase64Encoded).toBe(true);
    expect(Buffer.from(binaryEvent.body!, 'base64')).toEqual(binary);

    recordings.length = 0;
    const json = Buffer.from(JSON.stringify({ name: '营业执照' }));
    await send('POST', '/v1/items/x/files', { headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': json.length }, body: json });
    const jsonEvent = lastEvent();
    expect(jsonEvent.isBase64Encoded).toBe(false);
    expect(jsonEvent.body).toBe('{"name":"营业执照"}');
  });
});

describe('routing', () => {
  it.each([
    ['/v1/items/analysis', 'GET /v1/items/analysis'],
    ['/v1/items/AB12', 'GET /v1/items/{code}'],
    ['/v1/items/AB12/versions', 'GET /v1/items/{code}/versions'],
    ['/v1/items/AB12/guide', 'GET /v1/items/{code}/{part}'],
    ['/v1/items/analysis/', 'GET /v1/items/analysis'],
    ['/v1/items/AB12/', 'GET /v1/items/{code}'],
  ])('GET %s goes to %s', async (path, key) => {
    await send('GET', path);
    expect(lastEvent().routeKey).toBe(key);
  });

  it('takes a path parameter without the trailing slash', async () => {
    await send('GET', '/v1/items/AB12/');
    expect(lastEvent().pathParameters).toEqual({ code: 'AB12' });
  });

  it.each([
    ['GET', '/v1/nothing-here'],
    ['DELETE', '/v1/items/AB12'],
    ['GET', '/v1/items/AB12/versions/extra'],
  ])('sends %s %s to the $default function', async (method, path) => {
    await send(method, path);
    expect(recordings[0]!.fn).toBe('fallback');
    expect(lastEvent().routeKey).toBe('$default');
  });

  it('answers broken percent-encoding in a path parameter with a JSON 400, without calling the handler', async () => {
    const res = await send('GET', '/v1/items/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body.toString()).error.code).toBe('malformed_request');
    expect(recordings).toHaveLength(0);
  });

  it('answers with a JSON 404 when there is no $default function', async () => {
    const bare = createGateway({ manifest: testManifest, handlers: new Map(), defaultFunction: 'fallback' });
    const url = await bare.listen(0);
    try {
      const res = await fetch(`${url}/v1/nothing-here`);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    } finally {
      await bare.close();
    }
  });
});

describe('body limit', () => {
  it('refuses a declared body over the gateway limit with 413, without calling the handler', async () => {
    const res = await send('POST', '/v1/items/x/files', {
      headers: { 'content-type': 'application/octet-stream', 'content-length': GATEWAY_MAX_BODY_BYTES + 1 },
      body: Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString()).error.code).toBe('payload_too_large');
    expect(recordings).toHaveLength(0);
  });

  it('refuses a chunked body that grows over the limit with 413', async () => {
    const res = await send('POST', '/v1/items/x/files', {
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1),
    });
    expect(res.status).toBe(413);
    expect(recordings).toHaveLength(0);
  });

  it('passes a body of exactly the limit', async () => {
    const res = await send('POST', '/v1/items/x/files', {
      headers: { 'content-type': 'application/octet-stream', 'content-length': GATEWAY_MAX_BODY_BYTES },
      body: Buffer.alloc(GATEWAY_MAX_BODY_BYTES),
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(lastEvent().body!, 'base64').length).toBe(GATEWAY_MAX_BODY_BYTES);
  });
});

describe('the response', () => {
  it('writes status and headers, and each of `cookies` as its own set-cookie', async () => {
    nextResult = { statusCode: 201, headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' }, cookies: ['a=1; Path=/; HttpOnly', 'b=2'], body: '{"ok":true}' };
    const res = await send('GET', '/v1/items/analysis');
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-trace']).toBe('abc');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2']);
    expect(res.body.toString()).toBe('{"ok":true}');
  });

  it('decodes a base64 body', async () => {
    const bytes = Buffer.from([0x30, 0x82, 0x00, 0xff]);
    nextResult = { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true };
    const res = await send('GET', '/v1/items/analysis');
    expect(res.body).toEqual(bytes);
    expect(res.headers['content-length']).toBe(String(bytes.length));
  });
});

describe('local-only routes', () => {
  it('serves routes set after listen, with decoded parameters and the raw body', async () => {
    const seen: { params: Record<string, string>; body: string }[] = [];
    gateway.setLocalRoutes([
      {
        method: 'POST',
        path: '/_local/echo/{name}',
        handle: async ({ params, body }) => {
          seen.push({ params, body: body.toString() });
          return { status: 202, headers: { 'content-type': 'text/plain' }, body: 'queued' };
        },
      },
    ]);
    const res = await send('POST', '/_local/echo/a%2Fb', { headers: { 'content-length': 5 }, body: Buffer.from('hello') });
    expect(res.status).toBe(202);
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(seen).toEqual([{ params: { name: 'a/b' }, body: 'hello' }]);
    expect(recordings).toHaveLength(0);
  });
});
