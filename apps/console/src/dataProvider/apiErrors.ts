/**
 * The API's errors in the user's language: each error body has a `code` and `params` (contract §7),
 * each detail a `code`, `params` and, for definition issues, the engine's own `messageZh`. Unknown
 * codes fall back to the API's English message, so nothing is ever hidden.
 */
export type ErrorParams = Record<string, string | number | boolean | null>;

export interface ApiErrorDetail {
  path: string;
  message: string;
  code?: string;
  params?: ErrorParams;
  messageZh?: string;
}

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  params?: ErrorParams;
  details?: ApiErrorDetail[];
}

export const isApiErrorBody = (body: unknown): body is ApiErrorBody => typeof body === 'object' && body !== null && 'statusCode' in body && 'message' in body;

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** How parameters that name things are shown: tier keys as tier names, statuses in words. */
export interface ErrorNames {
  tier?(key: string): string | undefined;
}

const TIER_PARAMS = new Set(['expectedTier', 'actualTier', 'tier']);

function shownParams(params: ErrorParams | undefined, translate: Translate, names: ErrorNames): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (TIER_PARAMS.has(key)) out[key] = value === null ? translate('tw.tryIt.notRated') : (names.tier?.(String(value)) ?? String(value));
    else if (key === 'status' && typeof value === 'string') out[key] = translate(`tw.status.${value}`, { _: value });
    else out[key] = value;
  }
  return out;
}

/** The error's headline in the current language. */
export function errorText(body: ApiErrorBody, translate: Translate, names: ErrorNames = {}): string {
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
  if (!body.code) return message;
  return translate(`tw.errors.${body.code}`, { ...shownParams(body.params, translate, names), _: message });
}

/** One detail in the current language (without its path when the path is an internal id). */
export function detailText(detail: ApiErrorDetail, translate: Translate, locale: string, names: ErrorNames = {}): string {
  if (locale === 'zh-CN' && detail.messageZh) return detail.messageZh;
  if (!detail.code) return detail.message;
  return translate(`tw.errors.detail.${detail.code}`, { ...shownParams(detail.params, translate, names), _: detail.message });
}

/** Details whose path a user can read (a field), not an internal id such as `testCases[<uuid>]`. */
export const showsPath = (detail: ApiErrorDetail): boolean => !!detail.path && !/\[[0-9a-f-]{36}\]/.test(detail.path) && detail.code !== 'TEST_CASE_FAILED';
