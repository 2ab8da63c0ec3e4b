import type { DataProvider, GetListParams, GetManyParams, RaRecord } from 'react-admin';
import { API_URL, httpClient } from './httpClient';
import type { Policy, PolicyVersion } from './types';

const enc = encodeURIComponent;

const totalOf = (headers: Headers, fallback: number): number => {
  const range = headers.get('Content-Range');
  const total = range ? Number(range.split('/').pop()) : NaN;
  return Number.isFinite(total) ? total : fallback;
};

/**
 * Versions live under their policy (GET /policies/:id/versions); react-admin asks for them as the
 * `policy-versions` resource with a `policyId` filter, and for several by id (one GET each; the
 * same for `policies`).
 */
export const versionsProvider: Pick<DataProvider, 'getList' | 'getMany'> = {
  async getList<R extends RaRecord>(_resource: string, params: GetListParams) {
    const policyId = params.filter?.policyId as string | undefined;
    if (!policyId) return { data: [], total: 0 };
    const { page, perPage } = params.pagination ?? { page: 1, perPage: 25 };
    const { field, order } = params.sort ?? { field: 'number', order: 'DESC' };
    const query = new URLSearchParams({
      sort: JSON.stringify([field, order]),
      range: JSON.stringify([(page - 1) * perPage, page * perPage - 1]),
    });
    const { json, headers } = await httpClient(`${API_URL}/policies/${enc(policyId)}/versions?${query}`);
    const data = json as R[];
    return { data, total: totalOf(headers, data.length) };
  },
  async getMany<R extends RaRecord>(resource: string, params: GetManyParams) {
    const data = await Promise.all(params.ids.map(async (id) => (await httpClient(`${API_URL}/${resource}/${enc(String(id))}`)).json as R));
    return { data };
  },
};

/** Every version waiting for review, across policies (each policy lists its `pendingReview` ids), with its policy's name. */
export async function versionsInReview(): Promise<(PolicyVersion & { policyName: string })[]> {
  const query = new URLSearchParams({ sort: JSON.stringify(['key', 'ASC']), range: JSON.stringify([0, 999]) });
  const policies = (await httpClient(`${API_URL}/policies?${query}`)).json as Policy[];
  const ids = policies.flatMap((p) => p.pendingReview ?? []);
  const names = new Map(policies.map((p) => [p.id, p.name]));
  const { data } = await versionsProvider.getMany<PolicyVersion>('policy-versions', { ids });
  return data.map((v) => ({ ...v, policyName: names.get(v.policyId) ?? '' }));
}
