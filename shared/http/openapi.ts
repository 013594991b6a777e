import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { allRoutes, type Manifest, type RouteSpec } from '../../infra/manifest.js';
import type { OperationSchema } from './api-handler.js';
import { errorBody } from './common-schemas.js';

export type SchemaRegistry = Readonly<Record<string, Readonly<Record<string, OperationSchema>>>>;

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Malformed request (bad JSON, missing body)',
  '401': 'Missing or invalid access token',
  '403': 'Not allowed for this caller',
  '404': 'Not found',
  '409': 'Conflict with the current state',
  '413': 'Body too large',
  '415': 'Unsupported content type',
  '422': 'A field failed validation; details name each field',
  '429': 'Too many requests',
};

/**
 * The OpenAPI 3.1 document, built from the manifest (paths, methods, auth) and the schemas the
 * handlers validate with (zod → JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
 */
export function buildOpenApiDocument(manifest: Manifest, schemas: SchemaRegistry, info: { title: string; version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { fn, route } of allRoutes(manifest)) {
    const operation = schemas[fn.name]?.[route.operationId];
    if (!operation) throw new Error(`no schemas for operation ${route.operationId} of ${fn.name}`);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = describeOperation(fn.name, route, operation);
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: jsonSchema(errorBody) },
    },
  };
}

function describeOperation(functionName: string, route: RouteSpec, operation: OperationSchema) {
  const status = String(operation.status ?? 200);
  const success = operation.response
    ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(operation.response) }, ...(operation.produces ? { [operation.produces]: {} } : {}) } }
    : { description: 'Success', content: { [operation.produces ?? 'application/octet-stream']: {} } };
  const errors = Object.fromEntries(
    Object.entries(ERROR_STATUSES)
      .filter(([code]) => relevant(code, route, operation))
      .map(([code, description]) => [code, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
  );
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [functionName],
    ...(route.auth.require === 'anonymous' ? { security: [] } : { security: [{ bearer: [] }] }),
    'x-auth': route.auth,
    parameters: [
      ...parameters(operation.params, 'path'),
      ...parameters(operation.query, 'query'),
      ...parameters(operation.headers, 'header'),
      ...(route.idempotency
        ? [{ name: 'Idempotency-Key', in: 'header', required: route.idempotency === 'required', description: 'repeats of a request with the same key return the first response', schema: { type: 'string', minLength: 8, maxLength: 255 } }]
        : []),
    ],
    ...(operation.body ? { requestBody: { required: true, content: requestContent(route, operation.body) } } : {}),
    responses: { [status]: success, ...(operation.seeOther ? { '303': seeOther(operation.seeOther) } : {}), ...errors },
  };
}

function seeOther(description: string) {
  return { description, headers: { Location: { required: true, description: 'where to GET the result, without the bearer token', schema: { type: 'string', format: 'uri' } } } };
}

function relevant(code: string, route: RouteSpec, operation: OperationSchema): boolean {
  if (code === '401' || code === '403') return route.auth.require !== 'anonymous';
  if (code === '400' || code === '413' || code === '415') return operation.body !== undefined;
  if (code === '422') return operation.body !== undefined || operation.query !== undefined || operation.params !== undefined || operation.headers !== undefined;
  return true;
}

function requestContent(route: RouteSpec, body: ZodMiniType) {
  const schema = jsonSchema(body);
  return Object.fromEntries(['application/json', ...(route.accepts ?? [])].map((type) => [type, { schema }]));
}

function parameters(schema: ZodMiniType | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

function jsonSchema(schema: ZodMiniType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
