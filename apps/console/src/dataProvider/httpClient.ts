import { fetchUtils, HttpError } from 'react-admin';
import { session } from './session';
import { i18nProvider } from '../i18n';
import { detailText, errorText, isApiErrorBody, type ApiErrorDetail } from './apiErrors';

/** Base of every API call: the console is served from the same origin as the API. */
export const API_URL = '/api';

export { isApiErrorBody, type ApiErrorBody } from './apiErrors';

const translate = (key: string, options?: Record<string, unknown>) => i18nProvider.translate(key, options);
/** An API error body's headline in the user's language (`fallback` when it is not one). */
export const apiErrorMessage = (body: unknown, fallback: string): string => (isApiErrorBody(body) ? errorText(body, translate) : fallback);
const translateDetail = (detail: ApiErrorDetail) => detailText(detail, translate, i18nProvider.getLocale());

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
  const errors: Record<string, unknown> = { root: { serverError: error.message } };
  for (const detail of body.details) {
    const field = toFieldPath(detail.path);
    if (field && !(field in errors)) errors[field] = translateDetail(detail);
  }
  return new HttpError(error.message, error.status, { ...body, errors });
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
      const rewritten = new HttpError(apiErrorMessage(error.body, error.message), error.status, error.body);
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
