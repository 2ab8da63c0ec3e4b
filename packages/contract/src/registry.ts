import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Error statuses an operation may answer; each is documented with the one error shape (errors.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 503;

/** A download (CSV, XLSX, …): the body is a file, not JSON. */
export interface FileResponse {
  file: readonly string[];
  description: string;
}

/** A JSON response: its schema, and optionally the headers it carries (lists carry Content-Range). */
export interface JsonResponse {
  schema: z.ZodType;
  description: string;
  headers?: Record<string, string>;
}

export type ResponseSpec = z.ZodType | JsonResponse | FileResponse;

export interface OperationInput {
  /** The OpenAPI operationId (unique). */
  id: string;
  method: HttpMethod;
  /** The full path as the router has it, OpenAPI style: `/api/policies/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** Callable without a bearer token. */
  public?: boolean;
  /** Roles allowed (documentation; the API's guard is the authority). */
  roles?: readonly string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** A JSON body. */
  body?: z.ZodType;
  /** The JSON body may be left out. */
  bodyOptional?: boolean;
  /** Other media types accepted besides JSON (a multipart upload), documented with their own schema. */
  bodyAlternatives?: Record<string, z.ZodType>;
  /** Every 2xx status the operation answers, with its body. */
  responses: Partial<Record<200 | 201 | 202 | 204 | 503, ResponseSpec>>;
  /** The error statuses it answers (401/403 are added unless public). */
  errors: readonly ErrorStatus[];
}

export interface Operation extends OperationInput {
  readonly __operation: true;
}

const operations = new Map<string, Operation>();

/** Declares one HTTP operation of the API; the OpenAPI document lists every operation declared. */
export function defineOperation<T extends OperationInput>(input: T): T & Operation {
  if (operations.has(input.id)) throw new Error(`operation ${input.id} is declared twice`);
  const clash = [...operations.values()].find((o) => o.method === input.method && o.path === input.path);
  if (clash) throw new Error(`${input.method.toUpperCase()} ${input.path} is declared by ${clash.id} and ${input.id}`);
  const op = { ...input, __operation: true as const };
  operations.set(op.id, op);
  return op;
}

/** Every declared operation, in declaration order. */
export function allOperations(): Operation[] {
  return [...operations.values()];
}

export function isFileResponse(r: ResponseSpec): r is FileResponse {
  return typeof r === 'object' && r !== null && 'file' in r;
}

export function isJsonResponse(r: ResponseSpec): r is JsonResponse {
  return typeof r === 'object' && r !== null && 'schema' in r && !(r instanceof z.ZodType);
}

/** The zod schema of a JSON response (undefined for files and empty bodies). */
export function responseSchema(r: ResponseSpec | undefined): z.ZodType | undefined {
  if (r === undefined || isFileResponse(r)) return undefined;
  return isJsonResponse(r) ? r.schema : r;
}
