import { Injectable } from '@nestjs/common';

/** A customer's official tier under a policy at an instant (the tier ledger, contract §8). */
export interface OfficialTier {
  tier: { key: string; name: string | null; nameEn?: string | null } | null;
  since: Date;
  runId: string | null;
  versionId: string;
}

export type OfficialTierLookup = (policyId: string, customerId: string, at: Date) => Promise<OfficialTier | null>;

/**
 * Where `POST /api/evaluate {customerId}` finds the customer's official tier. The ledger lives in
 * a module above evaluation (rating), which provides the lookup at start; evaluation never imports it.
 */
@Injectable()
export class OfficialTiers {
  private lookup: OfficialTierLookup | null = null;

  provide(lookup: OfficialTierLookup): void {
    this.lookup = lookup;
  }

  find(policyId: string, customerId: string, at: Date): Promise<OfficialTier | null> {
    return this.lookup ? this.lookup(policyId, customerId, at) : Promise.resolve(null);
  }
}
