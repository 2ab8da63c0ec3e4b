import type { FastifyReply } from 'fastify';
import { CommonException, CommonExceptionCode } from './errors/app.exception';
import { assertJsonDepth } from './json-depth';

/** react-admin's simple REST list convention: `sort=["field","ASC"]&range=[0,24]&filter={...}`. */
export interface ListQuery {
  sortField: string;
  sortOrder: 'ASC' | 'DESC';
  skip: number;
  take: number;
  filter: Record<string, unknown>;
}

export const MAX_PAGE = 1000;

function parseJson(name: string, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string')
    throw new CommonException(CommonExceptionCode.InvalidQuery, `Query parameter ${name} must be given once`, [{ path: name, message: 'repeated' }]);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new CommonException(CommonExceptionCode.InvalidQuery, `Query parameter ${name} is not valid JSON`, [{ path: name, message: 'not valid JSON' }]);
  }
  assertJsonDepth(value, `Query parameter ${name}`, name);
  return value;
}

export function parseListQuery(query: Record<string, unknown>, sortable: readonly string[], defaultSort: [string, 'ASC' | 'DESC']): ListQuery {
  const bad = (path: string, message: string) =>
    new CommonException(CommonExceptionCode.InvalidQuery, `Query parameter ${path} ${message}`, [{ path, message }]);
  const sort = parseJson('sort', query.sort) ?? defaultSort;
  if (!Array.isArray(sort) || sort.length !== 2 || typeof sort[0] !== 'string' || (sort[1] !== 'ASC' && sort[1] !== 'DESC')) {
    throw bad('sort', 'must be ["field","ASC"|"DESC"]');
  }
  if (!sortable.includes(sort[0])) throw bad('sort', `cannot sort by ${sort[0].slice(0, 40)}; use one of ${sortable.join(', ')}`);
  const range = parseJson('range', query.range) ?? [0, 24];
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((n) => Number.isSafeInteger(n) && n >= 0) ||
    range[1] < range[0] ||
    range[1] - range[0] >= MAX_PAGE
  ) {
    throw bad('range', `must be [from, to] with 0 ≤ from ≤ to and at most ${MAX_PAGE} rows`);
  }
  const filter = parseJson('filter', query.filter) ?? {};
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw bad('filter', 'must be a JSON object');
  return { sortField: sort[0], sortOrder: sort[1], skip: range[0], take: range[1] - range[0] + 1, filter: filter as Record<string, unknown> };
}

export function setContentRange(res: FastifyReply, resource: string, q: ListQuery, returned: number, total: number): void {
  const end = returned === 0 ? q.skip : q.skip + returned - 1;
  res.header('Content-Range', `${resource} ${q.skip}-${end}/${total}`);
}

/** A filter value that must be a string (or absent). */
export function filterString(filter: Record<string, unknown>, key: string): string | undefined {
  const v = filter[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw new CommonException(CommonExceptionCode.InvalidQuery, `Filter ${key} must be a string`, [{ path: `filter.${key}`, message: 'must be a string' }]);
  }
  return String(v);
}

/** The list's `filter` with plain query parameters of these names merged in (`?customerId=` as well as `filter={...}`). */
export function mergedFilter(query: Record<string, unknown>, q: ListQuery, keys: readonly string[]): Record<string, unknown> {
  const f: Record<string, unknown> = { ...q.filter };
  for (const k of keys) if (typeof query[k] === 'string') f[k] = query[k];
  return f;
}

/** A filter value that must be a date (or absent). */
export function filterDate(filter: Record<string, unknown>, key: string): Date | undefined {
  const raw = filterString(filter, key);
  if (raw === undefined) return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime()))
    throw new CommonException(CommonExceptionCode.InvalidQuery, `${key} must be a date`, [{ path: key, message: 'must be an ISO date' }]);
  return d;
}
