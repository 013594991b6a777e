import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';
import { GATEWAY_MAX_BODY_BYTES, routeKey, type Manifest } from '../manifest.js';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route that exists only in the local runtime (queue injection, local uploads); never in AWS. */
export interface LocalRoute {
  readonly method: string;
  /** path template with {name} parameters */
  readonly path: string;
  handle(request: { params: Record<string, string>; body: Buffer; headers: IncomingMessage['headers'] }): Promise<{ status: number; headers?: Record<string, string>; body?: string | Buffer }>;
}

interface CompiledRoute {
  readonly key: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** literal segments first, then fewer parameters: API Gateway's "most specific route wins" */
  readonly specificity: number;
}

/**
 * The local twin of API Gateway HTTP API: matches the manifest's routes, builds payload-format
 * 2.0 events exactly as API Gateway does (headers lower-cased and comma-joined, cookies apart,
 * query values comma-joined, binary bodies base64), invokes the function's handler, and writes
 * its structured result back. Requests matching no route go to `$default` (the discovery function),
 * as in the deployed API. Bodies over the HTTP API payload limit are refused with 413.
 */
export function createGateway(options: {
  manifest: Manifest;
  handlers: ReadonlyMap<string, LambdaHttpHandler>;
  localRoutes?: readonly LocalRoute[];
  defaultFunction: string;
}): {
  server: Server;
  listen(port: number, host?: string): Promise<string>;
  /** local-only routes can need the URL the gateway listens on, so they may be set after listen */
  setLocalRoutes(routes: readonly LocalRoute[]): void;
  close(): Promise<void>;
} {
  const routes = options.manifest.functions.flatMap((fn) => (fn.routes ?? []).map((route) => ({ fn: fn.name, ...compile(route.method, route.path), key: routeKey(route) })));
  routes.sort((a, b) => b.specificity - a.specificity);
  const compileLocal = (list: readonly LocalRoute[]) => list.map((route) => ({ route, ...compile(route.method, route.path) }));
  let local = compileLocal(options.localRoutes ?? []);
  const defaultHandler = options.handlers.get(options.defaultFunction);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeJson(res, 500, { error: { code: 'gateway_error', message: 'The local gateway failed' } });
      else res.destroy(error as Error);
    });
  });
  server.keepAliveTimeout = 5000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (body === 'too-large') {
      writeJson(res, 413, { error: { code: 'payload_too_large', message: `The body is larger than ${GATEWAY_MAX_BODY_BYTES} bytes` } });
      return;
    }
    const path = url.pathname;

    for (const { route, pattern, names, method: routeMethod } of local) {
      const match = routeMethod === method ? pattern.exec(path) : null;
      if (match) {
        const params = paramsOf(names, match);
        if (!params) return badEncoding(res);
        const result = await route.handle({ params, body, headers: req.headers });
        res.writeHead(result.status, { 'x-request-id': randomUUID(), ...result.headers });
        res.end(result.body);
        return;
      }
    }

    let matched: (typeof routes)[number] | undefined;
    let match: RegExpExecArray | null = null;
    for (const route of routes) {
      if (route.method !== method) continue;
      match = route.pattern.exec(path);
      if (match) {
        matched = route;
        break;
      }
    }
    const handler = matched ? options.handlers.get(matched.fn) : defaultHandler;
    if (!handler) {
      writeJson(res, 404, { error: { code: 'route_not_found', message: `No route ${method} ${path}` } });
      return;
    }
    const pathParameters = matched && match ? paramsOf(matched.names, match) : {};
    if (!pathParameters) return badEncoding(res);
    const event = buildEvent(req, url, body, matched?.key ?? '$default', pathParameters);
    const result = await handler(event, lambdaContext(matched?.fn ?? options.defaultFunction, event.requestContext.requestId));
    writeResult(res, result);
  }

  return {
    server,
    setLocalRoutes: (list) => {
      local = compileLocal(list);
    },
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${host}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function compile(method: string, path: string) {
  const names: string[] = [];
  const segments = path.split('/').filter(Boolean);
  const source = segments
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        names.push(greedy[1]!);
        return '/(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        names.push(param[1]!);
        return '/([^/]+)';
      }
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    })
    .join('');
  const literals = segments.filter((s) => !s.startsWith('{')).length;
  return { method, pattern: new RegExp(`^${source || '/'}/?$`), names, specificity: literals * 100 - names.length };
}

/** path parameters, percent-decoded as API Gateway passes them; undefined when the encoding is broken */
function paramsOf(names: readonly string[], match: RegExpExecArray): Record<string, string> | undefined {
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
  } catch {
    return undefined;
  }
}

function badEncoding(res: ServerResponse): void {
  writeJson(res, 400, { error: { code: 'malformed_request', message: 'The path is not valid percent-encoding' } });
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > GATEWAY_MAX_BODY_BYTES) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) {
      req.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|xml|.*\+json)|text\/)/i;

function buildEvent(req: IncomingMessage, url: URL, body: Buffer, key: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies = (Array.isArray(value) ? value.join('; ') : value).split(/;\s*/).filter(Boolean);
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const requestId = randomUUID();
  const text = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(pathParameters && Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body, 'utf8');
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-request-id': randomUUID(), 'x-content-type-options': 'nosniff' });
  res.end(text);
}
