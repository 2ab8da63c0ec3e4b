import simpleRestProvider from 'ra-data-simple-rest';
import { useDataProvider, type DataProvider, type RaRecord, type UpdateParams, type UpdateResult } from 'react-admin';
import { API_URL, httpClient } from './httpClient';
import { tierwiseApi, type TierwiseApi } from './api';
import { versionsProvider } from './versions';

export type TierwiseDataProvider = DataProvider & TierwiseApi;

/** Catalogs are addressed by key; the API returns `id` = key, but bodies carry only `key`. */
const KEYED = new Set(['facts', 'benefits', 'benefit-packages']);

/**
 * Catalog bodies carry the key, not react-admin's `id`, and leave out empty optional fields (the
 * API's schemas take a missing field, not null or "").
 */
const catalogBody = <T extends object>(resource: string, data: T): T => {
  if (!KEYED.has(resource)) return data;
  return Object.fromEntries(Object.entries(data).filter(([k, v]) => k !== 'id' && v !== null && v !== '' && v !== undefined)) as T;
};

const rest = simpleRestProvider(API_URL, httpClient);

/** Users change by PATCH with only what may change: roles, active, and a new password when one is typed. */
const updateUser = async <R extends RaRecord>(params: UpdateParams): Promise<UpdateResult<R>> => {
  const { roles, active, password } = params.data as { roles?: string[]; active?: boolean; password?: string };
  const body = { roles, active, ...(password ? { password } : {}) };
  const { json } = await httpClient(`${API_URL}/users/${encodeURIComponent(String(params.id))}`, { method: 'PATCH', body: JSON.stringify(body) });
  return { data: json as R };
};

/**
 * The console's only door to the API: react-admin's simple REST convention for resources
 * (arrays + Content-Range, sort/range/filter), plus the product's own endpoints.
 */
export const dataProvider: TierwiseDataProvider = {
  ...rest,
  getList: (resource, params) => (resource === 'policy-versions' ? versionsProvider.getList(resource, params) : rest.getList(resource, params)),
  // Versions and policies by id: one GET each (the API's lists filter neither by id).
  getMany: (resource, params) =>
    resource === 'policy-versions' || resource === 'policies' ? versionsProvider.getMany(resource, params) : rest.getMany(resource, params),
  create: (resource, params) => rest.create(resource, { ...params, data: catalogBody(resource, params.data) }),
  update: (resource, params) => (resource === 'users' ? updateUser(params) : rest.update(resource, { ...params, data: catalogBody(resource, params.data) })),
  ...tierwiseApi,
};

export const useTierwiseData = (): TierwiseDataProvider => useDataProvider<TierwiseDataProvider>();
