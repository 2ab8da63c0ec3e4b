import { requestJson } from '../dataProvider/httpClient';

/** An override of a customer's official tier (contract §9), as the API answers it. */
export type OverrideStatus = 'pending' | 'active' | 'rejected' | 'withdrawn' | 'ended' | 'expired';
export type OverrideMode = 'set' | 'floor' | 'ceiling';

export interface Override {
  id: string;
  customerId: string;
  policy: string;
  mode: OverrideMode;
  tier: { key: string; name: string; nameEn: string | null };
  reason: string;
  expiresAt: string | null;
  status: OverrideStatus;
  requestedBy: string;
  requestedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  endedBy: string | null;
  endedAt: string | null;
  comment: string | null;
}

export const overridesApi = {
  ofCustomer: (customerId: string) => requestJson<Override[]>(`/customers/${encodeURIComponent(customerId)}/overrides?range=${encodeURIComponent('[0,199]')}`),
  request: (customerId: string, body: { policy: string; tier: string; mode: OverrideMode; reason: string; expiresAt?: string }) =>
    requestJson<Override>(`/customers/${encodeURIComponent(customerId)}/overrides`, 'POST', body),
  approve: (id: string, comment?: string) => requestJson<Override>(`/overrides/${id}/approve`, 'POST', comment ? { comment } : {}),
  reject: (id: string, comment: string) => requestJson<Override>(`/overrides/${id}/reject`, 'POST', { comment }),
  end: (id: string, comment?: string) => requestJson<Override>(`/overrides/${id}`, 'DELETE', comment ? { comment } : {}),
};
