import { fetchUtils, HttpError } from 'react-admin';
import { session } from './session';

/** Base of every API call: the console is served from the same origin as the API. */
export const API_URL = '/api';

/** The API's error body (contract §7). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}

export const isApiErrorBody = (body: unknown): body is ApiErrorBody => typeof body === 'object' && body !== null && 'statusCode' in body && 'message' in body;

/** `tiers[0].when.any[1]` → `tiers.0.when.any.1`, the path form react-hook-form uses for fields. */
export const toFieldPath = (path: string): string => path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');

/**
 * Turns an error's `details` (422 validation, 409 "key is taken", 400) into react-admin's
 * server-side validation shape (`body.errors`), so forms show each message at the field it
 * concerns; the rest of the body is kept.
 */
const withFieldErrors = (error: HttpError): HttpError => {
  const body: unknown = error.body;
  if (![400, 409, 422].includes(error.status) || !isApiErrorBody(body) || !body.details?.length) return error;
  const errors: Record<string, unknown> = { root: { serverError: body.message } };
  for (const detail of body.details) {
    const field = toFieldPath(detail.path);
    if (field && !(field in errors)) errors[field] = detail.message;
  }
  return new HttpError(body.message, error.status, { ...body, errors });
};

const messageOf = (body: unknown, fallback: string): string => {
  if (!isApiErrorBody(body)) return fallback;
  return Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
};

/** fetchJson with the bearer token and the API's error message on failures. */
export const httpClient = async (url: string, options: fetchUtils.Options = {}) => {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  const token = session.token();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  try {
    // no-store: a version's ETag is its revision, which a workflow step does not change, so a
    // revalidated cached copy would show the old status.
    return await fetchUtils.fetchJson(url, { cache: 'no-store', ...options, headers });
  } catch (error) {
    if (error instanceof HttpError) {
      const rewritten = new HttpError(messageOf(error.body, error.message), error.status, error.body);
      throw withFieldErrors(rewritten);
    }
    throw error;
  }
};

/** A JSON request to the API (path relative to /api), resolving to the parsed body. */
export const requestJson = async <T>(path: string, method = 'GET', body?: unknown, headers?: Record<string, string>): Promise<T> => {
  const init: RequestInit = { method, headers: new Headers({ Accept: 'application/json', ...headers }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  return (await httpClient(`${API_URL}${path}`, init)).json as T;
};
