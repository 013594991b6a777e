import middy, { type MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import {
  DEFAULT_MAX_BODY_BYTES,
  routeKey,
  type FunctionName,
  type ManifestFunction,
  type OperationIdOf,
  type RouteSpec,
} from '../../infra/manifest.js';
import type { AccessEventSink } from '../access/access-event.js';
import { authorize, type Principal, type PrincipalVerifier } from '../auth/principal.js';
import { forbidden, malformed, notFound, tooLarge, unauthenticated, unsupportedMediaType } from '../errors.js';
import { errorResponse } from './error-response.js';
import { runIdempotently, type IdempotencyStore } from './idempotency.js';
import { parseInput } from './validation.js';

/** The schemas of one operation: the handler validates with them and the OpenAPI document is built from them. */
export interface OperationSchema {
  readonly body?: ZodMiniType;
  readonly query?: ZodMiniType;
  readonly params?: ZodMiniType;
  /** request headers the operation reads (lower-case names), validated and documented like the query */
  readonly headers?: ZodMiniType;
  /** schema of a JSON response; omit for binary responses */
  readonly response?: ZodMiniType;
  /** success status; 200 unless given */
  readonly status?: number;
  /** content type of a non-JSON response; beside `response`, another form the operation can answer in (e.g. CSV) */
  readonly produces?: string;
  /** when the operation may answer 303 See Other instead: what its Location serves */
  readonly seeOther?: string;
}

export type OperationSchemas<N extends FunctionName> = { readonly [K in OperationIdOf<N>]: OperationSchema };

type Infer<S> = S extends ZodMiniType ? z.infer<S> : undefined;

export interface ApiRequest<S extends OperationSchema> {
  readonly body: Infer<S['body']>;
  readonly query: Infer<S['query']>;
  readonly params: Infer<S['params']>;
  readonly principal: Principal | undefined;
  /** lower-cased request headers */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** request cookies by name (API Gateway passes them apart from the headers) */
  readonly cookies: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly route: RouteSpec;
}

/** a reply body may be built from readonly domain objects */
type ReadonlyDeep<T> = T extends readonly (infer U)[] ? readonly ReadonlyDeep<U>[] : T extends object ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> } : T;

export type Reply<S extends OperationSchema> =
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly cookies?: readonly string[]; readonly body: ReadonlyDeep<Infer<S['response']>> }
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly cookies?: readonly string[]; readonly raw: Uint8Array | string; readonly contentType: string };

/** one implementation per operation of the schemas, which `satisfies OperationSchemas<N>` keeps equal to the manifest's */
export type Operations<S extends Readonly<Record<string, OperationSchema>>, D> = {
  readonly [K in keyof S]: (request: ApiRequest<S[K]>, deps: D) => Promise<Reply<S[K]>>;
};

/** What the HTTP stack itself needs; every function's dependencies extend it. */
export interface HttpDependencies {
  readonly logger: Logger;
  readonly principals: PrincipalVerifier;
  readonly cors: { readonly origins: readonly string[] };
  /** check every JSON response against its schema (tests and the local runtime), so the OpenAPI document cannot drift */
  readonly validateResponses?: boolean;
  /** where Idempotency-Key outcomes are kept; needed by functions with idempotent routes */
  readonly idempotency?: IdempotencyStore;
  /** where each request's access event goes (access monitoring), off the request's path */
  readonly accessEvents?: AccessEventSink;
}

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};

/**
 * The one middy stack of every API function.
 * 1. resolve the route from the event's route key (unknown routes: JSON 404 before any auth);
 * 2. verify the bearer token and check the manifest's requirement (401/403), so a caller who may
 *    not use the route learns nothing about its input rules;
 * 3. read the body: size limit (413), content type (415), JSON (400), schema (422);
 * 4. validate query and path parameters (422);
 * 5. call the operation, encode its reply; errors map to the error model in one place;
 * 6. every response carries x-request-id, security headers and CORS headers; one log line per request.
 */
export function createApiHandler<F extends ManifestFunction, S extends OperationSchemas<F['name']>, D extends HttpDependencies>(
  spec: F,
  schemas: S,
  deps: D,
  operations: Operations<S, NoInfer<D>>,
): ApiHandler {
  const functionName = spec.name;
  const callers = new WeakMap<object, Principal>();
  const routes = new Map<string, RouteSpec>((('routes' in spec ? spec.routes : []) as readonly RouteSpec[]).map((route) => [routeKey(route), route]));
  if (!deps.idempotency && [...routes.values()].some((route) => route.idempotency)) {
    throw new Error(`${functionName} has idempotent routes but no idempotency store`);
  }

  const core = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = routes.get(event.routeKey);
    if (!route) {
      if (event.requestContext.http.method === 'OPTIONS') return preflight(deps.cors.origins, event.headers?.origin);
      throw notFound(`No route ${event.requestContext.http.method} ${event.rawPath}`, 'route_not_found');
    }
    const operationId = route.operationId as keyof S & string;
    const schema: OperationSchema = schemas[operationId]!;
    const headers = event.headers ?? {};
    const principal = await authenticate(headers.authorization, deps.principals, route.auth);
    if (principal) callers.set(event, principal);
    authorize(route.auth, principal);
    if (schema.headers) parseInput(schema.headers, headers, 'header');
    const body = schema.body ? readBody(event, route, schema.body) : undefined;
    const request = {
      body,
      query: schema.query ? parseInput(schema.query, event.queryStringParameters ?? {}, 'query') : undefined,
      params: schema.params ? parseInput(schema.params, event.pathParameters ?? {}, 'path') : undefined,
      principal,
      headers,
      cookies: cookiesOf(event),
      requestId: event.requestContext.requestId,
      sourceIp: event.requestContext.http.sourceIp,
      route,
    } as ApiRequest<S[typeof operationId]>;
    const execute = async () => encodeReply(await operations[operationId](request, deps), schema, deps.validateResponses === true);
    if (!route.idempotency) return execute();
    return runIdempotently(
      deps.idempotency,
      {
        mode: route.idempotency,
        key: headers['idempotency-key'],
        scope: `${principal?.sub ?? 'anonymous'}#${route.operationId}`,
        fingerprintOf: `${event.rawPath}\n${event.body ?? ''}`,
      },
      execute,
    );
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(responseHeaders(deps.cors.origins))
    .use(accessLog(deps.logger, functionName, deps.accessEvents, callers))
    .use(errorMapping())
    .handler(core) as unknown as ApiHandler;
}

function readBody(event: APIGatewayProxyEventV2, route: RouteSpec, schema: ZodMiniType): unknown {
  if (event.body === undefined || event.body === null || event.body === '') {
    throw malformed('A request body is required', 'body_required');
  }
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  const limit = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (bytes.length > limit) throw tooLarge(`The body is larger than ${limit} bytes`);
  const contentType = (event.headers?.['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  let value: unknown;
  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw malformed('The body is not valid UTF-8 JSON', 'malformed_json');
    }
  } else if (contentType === 'application/x-www-form-urlencoded' && route.accepts?.includes(contentType)) {
    value = Object.fromEntries(new URLSearchParams(bytes.toString('utf8')));
  } else {
    throw unsupportedMediaType(`Content type ${contentType} is not accepted here; send application/json`);
  }
  return parseInput(schema, value);
}

async function authenticate(authorization: string | undefined, verifier: PrincipalVerifier, auth: RouteSpec['auth']): Promise<Principal | undefined> {
  if (!authorization) return undefined;
  // HTTP Basic on an anonymous route is a client's credentials (OAuth client_secret_basic), which the operation reads
  if (auth.require === 'anonymous' && /^Basic\s/i.test(authorization)) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"', 'invalid_token');
  return verifier.verify(match[1]!);
}

/** the request's cookies: payload 2.0 events carry them in `cookies`, other callers in the Cookie header */
function cookiesOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const pairs = event.cookies ?? event.headers?.cookie?.split(';') ?? [];
  const cookies: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0) cookies[pair.slice(0, at).trim()] ??= pair.slice(at + 1).trim();
  }
  return cookies;
}

function encodeReply(reply: Reply<OperationSchema>, schema: OperationSchema, validate: boolean): APIGatewayProxyStructuredResultV2 {
  const statusCode = reply.status ?? schema.status ?? 200;
  const cookies = reply.cookies?.length ? { cookies: [...reply.cookies] } : {};
  if ('raw' in reply) {
    const binary = typeof reply.raw !== 'string';
    return {
      ...cookies,
      statusCode,
      headers: { 'content-type': reply.contentType, ...reply.headers },
      body: binary ? Buffer.from(reply.raw).toString('base64') : (reply.raw as string),
      isBase64Encoded: binary,
    };
  }
  if (validate && schema.response) {
    const checked = schema.response.safeParse(reply.body);
    if (!checked.success) throw new Error(`response does not match its schema: ${JSON.stringify(checked.error.issues)}`);
  }
  return { ...cookies, statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers }, body: JSON.stringify(reply.body) };
}

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

function errorMapping(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  return {
    onError: async (request: Request) => {
      const { status, body } = errorResponse(request.error);
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (status === 401) headers['www-authenticate'] = 'Bearer';
      request.response = { statusCode: status, headers, body: JSON.stringify(body) };
    },
  };
}

function accessLog(
  logger: Logger,
  functionName: string,
  accessEvents: AccessEventSink | undefined,
  callers: WeakMap<object, Principal>,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  const started = new WeakMap<object, number>();
  const log = (request: Request) => {
    const status = request.response?.statusCode ?? 500;
    const latencyMs = Math.round((performance.now() - (started.get(request.event) ?? performance.now())) * 10) / 10;
    if (accessEvents) recordAccess(accessEvents, request, { function: functionName, route: request.event.routeKey, status, latencyMs }, callers.get(request.event));
    // Powertools spends ~1.6 µs even on a filtered-out debug line, so the check comes first
    if (status < 500 && logger.getLevelName() !== 'DEBUG') return;
    const entry = { requestId: request.event.requestContext.requestId, function: functionName, route: request.event.routeKey, status, latencyMs };
    // Every request is in the API Gateway access log already; the function logs failures, and
    // each request only at DEBUG, so logging costs nothing on the hot path by default.
    if (status >= 500) logger.error('request failed', { ...entry, error: request.error });
    else logger.debug('request', entry);
  };
  return {
    before: async (request: Request) => {
      started.set(request.event, performance.now());
    },
    after: async (request: Request) => log(request),
    onError: async (request: Request) => log(request),
  };
}

/** a search's result count as its reply states it, read only for requests with keywords */
const RESULT_TOTAL = /(?<!\\)"total":(\d+)/;

/** hands the request to access monitoring; a failure here must never reach the caller */
function recordAccess(sink: AccessEventSink, request: Request, entry: { function: string; route: string; status: number; latencyMs: number }, principal: Principal | undefined): void {
  try {
    const { event } = request;
    const query = event.queryStringParameters;
    const keywords = query?.q;
    const itemCode = event.pathParameters?.code ?? query?.itemCode;
    const region = query?.region ?? principal?.region;
    const channel = event.headers?.['x-channel'];
    const body = request.response?.body;
    const total = keywords && typeof body === 'string' ? RESULT_TOTAL.exec(body)?.[1] : undefined;
    sink.record({
      ...entry,
      ...(channel ? { channel: channel.slice(0, 32) } : {}),
      ...(principal ? { sub: principal.sub, subjectType: principal.subjectType, level: principal.level } : {}),
      ...(region ? { region } : {}),
      ...(itemCode ? { itemCode } : {}),
      ...(keywords ? { keywords: keywords.slice(0, 100), zeroResult: total === '0' } : {}),
    });
  } catch {
    // monitoring is best effort: the request has been answered either way
  }
}

function responseHeaders(corsOrigins: readonly string[]): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  const decorate = async (request: Request) => {
    const response = request.response;
    if (!response) return;
    const headers: Record<string, string | number | boolean> = { ...SECURITY_HEADERS, ...response.headers, 'x-request-id': request.event.requestContext.requestId };
    Object.assign(headers, corsHeaders(corsOrigins, request.event.headers?.origin));
    response.headers = headers;
  };
  return { after: decorate, onError: decorate };
}

/** Answers a CORS preflight: 204 with the allowed methods and headers for an allowed origin, else 403. */
function preflight(allowed: readonly string[], origin: string | undefined): APIGatewayProxyStructuredResultV2 {
  const cors = corsHeaders(allowed, origin);
  if (!cors['access-control-allow-origin']) {
    const { body } = errorResponse(forbidden('This origin may not call the API', 'cors_origin_refused'));
    return { statusCode: 403, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  }
  return {
    statusCode: 204,
    headers: {
      'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE',
      'access-control-allow-headers': 'authorization,content-type,idempotency-key,x-request-id,x-token-delivery',
      'access-control-max-age': '600',
    },
  };
}

/** CORS response headers for an allowed origin; nothing for others (the browser then blocks the call). */
export function corsHeaders(allowed: readonly string[], origin: string | undefined): Record<string, string> {
  if (!origin || !(allowed.includes(origin) || allowed.includes('*'))) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'x-request-id',
    vary: 'Origin',
  };
}
