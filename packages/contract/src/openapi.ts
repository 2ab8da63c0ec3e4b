import { z } from 'zod';
import { errorBody } from './common';
import { components } from './components';
import { ErrorStatus, isFileResponse, isJsonResponse, Operation, ResponseSpec } from './registry';

type Json = Record<string, unknown>;

export const COMPONENT_PREFIX = '#/components/schemas/';
const uri = (id: string) => `${COMPONENT_PREFIX}${id}`;

/** Runtime schemas that accept more than they document (a definition is checked by the policy engine, with its own codes): documented as the named schema. */
const documented = new WeakMap<z.ZodType, z.ZodType>();

/** `runtime` validates; the document shows `doc` (a named component) in its place. */
export function documentedAs<T extends z.ZodType>(runtime: T, doc: z.ZodType): T {
  documented.set(runtime, doc);
  return runtime;
}

const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: 'Malformed request (not JSON, a forbidden key, a wrong query parameter)',
  401: 'No valid bearer token',
  403: 'The caller’s roles do not allow this (or four-eyes refuses it)',
  404: 'No such resource',
  409: 'Conflict: the state does not allow it (immutable, taken, in use, stale)',
  412: 'Precondition failed',
  413: 'The request body is too large',
  415: 'Unsupported content type',
  422: 'The input is not valid: `details` lists each path and problem',
  429: 'Too many requests (see Retry-After)',
  503: 'A dependency is unavailable (see Retry-After)',
};

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function name(schema: z.ZodType, fallback: string): void {
  if (components.has(schema)) return;
  if (schema instanceof z.ZodArray && components.has(schema.element as z.ZodType)) return;
  components.add(schema, { id: fallback });
}

function strip(s: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = s;
  return rest;
}

function convertComponents(): Record<string, Json> {
  const out = z.toJSONSchema(components, {
    io: 'input',
    uri,
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    override: (ctx) => {
      const doc = documented.get(ctx.zodSchema as unknown as z.ZodType);
      if (!doc) return;
      const id = components.get(doc)?.id;
      if (!id) throw new Error('documentedAs needs a named schema');
      const target = ctx.jsonSchema as Json;
      for (const k of Object.keys(target)) if (k !== 'description') delete target[k];
      target.$ref = uri(id);
    },
  }) as { schemas: Record<string, Json> };
  if (out.schemas.__shared) throw new Error(`name the schemas shared without a name: ${JSON.stringify(out.schemas.__shared).slice(0, 300)}`);
  return Object.fromEntries(Object.entries(out.schemas).map(([k, v]) => [k, strip(v)]));
}

function ref(schema: z.ZodType): Json {
  const id = components.get(schema)?.id;
  if (id) return { $ref: uri(id) };
  if (schema instanceof z.ZodArray) return { type: 'array', items: ref(schema.element as z.ZodType) };
  throw new Error('an operation schema without a name');
}

/** Parameters of one location from a zod object: each property, its schema and whether it is required. */
function parameters(location: 'path' | 'query' | 'header', schema: z.ZodObject | undefined): Json[] {
  if (!schema) return [];
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([key, s]) => {
    const { description, ...rest } = s;
    return {
      name: key,
      in: location,
      required: location === 'path' || (js.required ?? []).includes(key),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function response(r: ResponseSpec, status: number): Json {
  if (isFileResponse(r)) {
    return { description: r.description, content: Object.fromEntries(r.file.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) };
  }
  const spec = isJsonResponse(r) ? r : { schema: r, description: status === 201 ? 'Created' : 'OK', headers: undefined };
  return {
    description: spec.description,
    ...(spec.headers ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])) } : {}),
    content: { 'application/json': { schema: ref(spec.schema) } },
  };
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; securitySchemes: Record<string, Json> };
  [key: string]: unknown;
}

/** The OpenAPI 3.1 document of the given operations: parameters, request bodies, every 2xx response and the error responses. */
export function buildOpenApiDocument(operations: readonly Operation[], info = { title: 'Tierwise API', version: '0.1.0' }): OpenApiDocument {
  for (const op of operations) {
    if (op.body) name(op.body, `${pascal(op.id)}Body`);
    for (const [alt, schema] of Object.entries(op.bodyAlternatives ?? {}))
      name(schema, `${pascal(op.id)}${alt.includes('multipart') ? 'Multipart' : 'Alt'}Body`);
    for (const [status, r] of Object.entries(op.responses)) {
      if (r && !isFileResponse(r)) name(isJsonResponse(r) ? r.schema : r, `${pascal(op.id)}Response${Object.keys(op.responses).length > 1 ? status : ''}`);
    }
  }
  const paths: OpenApiDocument['paths'] = {};
  const usedErrors = new Set<ErrorStatus>();
  for (const op of operations) {
    const errors = new Set<ErrorStatus>(op.public ? op.errors : [401, 403, ...op.errors]);
    errors.forEach((s) => usedErrors.add(s));
    const responses: Json = {};
    for (const [status, r] of Object.entries(op.responses)) if (r) responses[status] = response(r, Number(status));
    for (const s of [...errors].sort()) responses[String(s)] = { $ref: `#/components/responses/Error${s}` };
    const content: Json = {};
    if (op.body) content['application/json'] = { schema: ref(op.body) };
    for (const [type, schema] of Object.entries(op.bodyAlternatives ?? {})) content[type] = { schema: ref(schema) };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.id,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [...op.tags],
      ...(op.roles ? { 'x-roles': [...op.roles] } : {}),
      security: op.public ? [] : [{ bearer: [] }],
      parameters: [...parameters('path', op.params), ...parameters('query', op.query), ...parameters('header', op.headers)],
      ...(Object.keys(content).length ? { requestBody: { required: !op.bodyOptional, content } } : {}),
      responses,
    };
  }
  const schemas = convertComponents();
  const errorId = components.get(errorBody)?.id as string;
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Customer-tiering policies: author, simulate, approve, evaluate, audit. Generated from @tierwise/contract.' },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        [...usedErrors].sort().map((s) => [`Error${s}`, { description: ERROR_TEXT[s], content: { 'application/json': { schema: { $ref: uri(errorId) } } } }]),
      ),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
