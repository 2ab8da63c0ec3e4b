import { useQuery } from '@tanstack/react-query';
import { requestJson } from '../dataProvider/httpClient';
import type { components } from '../dataProvider/api.gen';
import type { Policy, PolicyVersion } from '../dataProvider/types';

/** An override of a customer's official tier (contract §9), as the API answers it (generated from the contract). */
export type Override = components['schemas']['Override'];
export type OverrideStatus = Override['status'];
export type OverrideMode = Override['mode'];

export const overridesApi = {
  ofCustomer: (customerId: string) => requestJson<Override[]>(`/customers/${encodeURIComponent(customerId)}/overrides?range=${encodeURIComponent('[0,199]')}`),
  request: (customerId: string, body: { policy: string; tier: string; mode: OverrideMode; reason: string; expiresAt?: string }) =>
    requestJson<Override>(`/customers/${encodeURIComponent(customerId)}/overrides`, 'POST', body),
  approve: (id: string, comment?: string) => requestJson<Override>(`/overrides/${id}/approve`, 'POST', comment ? { comment } : {}),
  reject: (id: string, comment: string) => requestJson<Override>(`/overrides/${id}/reject`, 'POST', { comment }),
  end: (id: string, comment?: string) => requestJson<Override>(`/overrides/${id}`, 'DELETE', comment ? { comment } : {}),
};

/** A tier an override may name: the tiers of the policy's version in effect, best first. */
export interface TierChoice {
  key: string;
  name: string;
  nameEn?: string;
}

/** The tiers of the version in effect of the policy with this key (null: no version in effect). */
async function tiersOf(policyKey: string): Promise<TierChoice[] | null> {
  const found = await requestJson<Policy[]>(`/policies?filter=${encodeURIComponent(JSON.stringify({ q: policyKey }))}&range=${encodeURIComponent('[0,99]')}`);
  const policy = found.find((p) => p.key === policyKey);
  if (!policy?.activeVersionId) return null;
  const version = await requestJson<PolicyVersion>(`/policy-versions/${encodeURIComponent(policy.activeVersionId)}`);
  return version.definition.tiers.map((t) => ({ key: t.key, name: t.name, ...(t.nameEn ? { nameEn: t.nameEn } : {}) }));
}

export const usePolicyTiers = (policyKey: string) =>
  useQuery({ queryKey: ['policy-tiers', policyKey], queryFn: () => tiersOf(policyKey), enabled: !!policyKey, staleTime: 60_000 });
