import { API_URL, httpClient } from './httpClient';

export interface Health {
  status: string;
  database: string;
  version?: string;
}

/** Health is public: fetched without credentials so it also works before login. */
async function health(): Promise<Health> {
  const response = await fetch(`${API_URL}/health`, { headers: { Accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as Partial<Health>;
  return { status: body.status ?? `http ${response.status}`, database: body.database ?? 'unknown', version: body.version };
}

const postJson = async <T>(path: string, body: unknown): Promise<T> =>
  (await httpClient(`${API_URL}${path}`, { method: 'POST', body: JSON.stringify(body) })).json as T;

const getJson = async <T>(path: string): Promise<T> => (await httpClient(`${API_URL}${path}`)).json as T;

export const tierwiseApi = { health, postJson, getJson };
export type TierwiseApi = typeof tierwiseApi;
