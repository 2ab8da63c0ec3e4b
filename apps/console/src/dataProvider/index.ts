import simpleRestProvider from 'ra-data-simple-rest';
import { useDataProvider, type DataProvider } from 'react-admin';
import { API_URL, httpClient } from './httpClient';
import { tierwiseApi, type TierwiseApi } from './api';

export type TierwiseDataProvider = DataProvider & TierwiseApi;

/** Catalogs are addressed by key; the API returns `id` = key, but bodies carry only `key`. */
const KEYED = new Set(['facts', 'benefits', 'benefit-packages']);

const withoutId = <T extends object>(resource: string, data: T): T => {
  if (!KEYED.has(resource) || !('id' in data)) return data;
  const { id: _id, ...rest } = data;
  return rest as T;
};

const rest = simpleRestProvider(API_URL, httpClient);

/**
 * The console's only door to the API: react-admin's simple REST convention for resources
 * (arrays + Content-Range, sort/range/filter), plus the product's own endpoints.
 */
export const dataProvider: TierwiseDataProvider = {
  ...rest,
  create: (resource, params) => rest.create(resource, { ...params, data: withoutId(resource, params.data) }),
  update: (resource, params) => rest.update(resource, { ...params, data: withoutId(resource, params.data) }),
  ...tierwiseApi,
};

export const useTierwiseData = (): TierwiseDataProvider => useDataProvider<TierwiseDataProvider>();
