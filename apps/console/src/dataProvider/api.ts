import { API_URL } from './httpClient';
import { policyApi } from './policies';
import { simulationApi } from './simulations';
import { auditApi } from './audit';
import { ratingApi } from './rating';
import { versionsInReview } from './versions';

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

export const tierwiseApi = { health, versionsInReview, ...policyApi, ...simulationApi, ...auditApi, ...ratingApi };
export type TierwiseApi = typeof tierwiseApi;
