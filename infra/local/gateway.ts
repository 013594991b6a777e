import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';
import { GATEWAY_MAX_BODY_BYTES, routeKey, type Manifest } from '../manifest.js';
import { apiPathPatterns, isApiPath } from '../portal-policy.js';
import { portalResponse, type PortalFiles } from './portal-files.js';

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
 * With a portal, GET and HEAD of every path outside the API's patterns and `/_local/` serve the
 * portal build, as the CloudFront distribution does in AWS.
 */
export function createGateway(options: {
  manifest: Manifest;
  handlers: ReadonlyMap<string, LambdaHttpHandler>;
  localRoutes?: readonly LocalRoute[];
  defaultFunction: string;
  /** the built web portal, served at every non-API path */
  portal?: PortalFiles;
}): {
  server: Server;
  listen(port: number, host?: string): Promise<string>;
  /** local-only routes can need the URL the gateway listens on, so they may be set after listen */
  setLocalRoutes(routes: readonly LocalRoute[]): void;
  close(): Promise<void>;
} {
  const routes = options.manifest.functions.flatMap((fn) => (fn.routes ?? []).map((route) => ({ fn: fn.name, ...compile(route.method, route.path), key: routeKey(route) })));
  // literal routes are found in one map lookup; parameterised ones are tried most specific first
  const literalRoutes = new Map(routes.filter((r) => r.names.length === 0).map((r) => [`${r.method} ${r.literalPath}`, r]));
  const parameterRoutes = routes.filter((r) => r.names.length > 0).sort((a, b) => b.specificity - a.specificity);
  const compileLocal = (list: readonly LocalRoute[]) => list.map((route) => ({ route, ...compile(route.method, route.path) }));
  let local = compileLocal(options.localRoutes ?? []);
  const apiPatterns = apiPathPatterns(options.manifest);
  const servesPortal = (method: string, path: string) =>
    options.portal !== undefined && (method === 'GET' || method === 'HEAD') && !path.startsWith('/_local/') && !isApiPath(apiPatterns, path);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeJson(res, 500, { error: { code: 'gateway_error', message: 'The local gateway failed' } });
      else res.destroy(error as Error);
    });
  });
  server.keepAliveTimeout = 5000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt < 0 ? target : target.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : target.slice(queryAt + 1);
    const method = req.method ?? 'GET';
    if (servesPortal(method, path)) {
      req.resume();
      const answer = portalResponse(options.portal!, { method, path, acceptEncoding: req.headers['accept-encoding'] });
      res.writeHead(answer.status, { 'x-request-id': randomUUID(), ...answer.headers });
      res.end(answer.body);
      return;
    }
    const body = hasBody(req) ? await readBody(req) : NO_BODY;
    if (body === 'too-large') {
      writeJson(res, 413, { error: { code: 'payload_too_large', message: `The body is larger than ${GATEWAY_MAX_BODY_BYTES} bytes` } });
      return;
    }

    if (path.startsWith('/_local/')) {
      for (const { route, pattern, names, method: routeMethod } of local) {
        const match = routeMethod === method ? pattern.exec(path) : null;
        if (!match) continue;
        const params = paramsOf(names, match);
        if (!params) return badEncoding(res);
        const result = await route.handle({ params, body, headers: req.headers });
        res.writeHead(result.status, { 'x-request-id': randomUUID(), ...result.headers });
        res.end(result.body);
        return;
      }
    }

    let matched = literalRoutes.get(`${method} ${path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path}`);
    let pathParameters: Record<string, string> | undefined = {};
    if (!matched) {
      for (const route of parameterRoutes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(path);
        if (match) {
          matched = route;
          pathParameters = paramsOf(route.names, match);
          break;
        }
      }
    }
    // looked up per request: the runtime registers handlers after the gateway is listening
    const handler = options.handlers.get(matched ? matched.fn : options.defaultFunction);
    if (!handler) {
      writeJson(res, 404, { error: { code: 'route_not_found', message: `No route ${method} ${path}` } });
      return;
    }
    if (!pathParameters) return badEncoding(res);
    const event = buildEvent(req, path, rawQuery, body, matched?.key ?? '$default', pathParameters);
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
  return { method, pattern: new RegExp(`^${source || '/'}/?$`), names, specificity: literals * 100 - names.length, literalPath: `/${segments.join('/')}` };
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

const NO_BODY = Buffer.alloc(0);

/** a request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3) */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
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

let clockSecond = 0;
let clockText = '';

/** API Gateway's requestContext.time, e.g. "27/Nov/2026:09:15:30 +0000" style; computed once per second */
function requestTime(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    clockText = new Date(now).toUTCString();
  }
  return clockText;
}

function buildEvent(req: IncomingMessage, path: string, rawQuery: string, body: Buffer, key: string, pathParameters: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (name === 'cookie') (cookies ??= []).push(...value.split(/;\s*/).filter(Boolean));
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  let query: Record<string, string> | undefined;
  if (rawQuery) {
    query = {};
    for (const [name, value] of new URLSearchParams(rawQuery)) query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const now = Date.now();
  const requestId = randomUUID();
  // text bodies that are not valid UTF-8 travel base64, so the function sees the bytes as they came
  const text = body.length === 0 || (TEXT_TYPES.test(headers['content-type'] ?? 'application/json') && isUtf8(body));
  const method = req.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: key,
    rawPath: path,
    rawQueryString: rawQuery,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey: key,
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now,
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const name in result.headers) headers[name.toLowerCase()] = String(result.headers[name]);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-request-id': randomUUID(), 'x-content-type-options': 'nosniff' });
  res.end(text);
}
