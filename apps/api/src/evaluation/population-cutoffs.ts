import { Injectable } from '@nestjs/common';
import type { PopulationCutoffs } from '@tierwise/policy-engine';

/** The cut-offs in force for a policy at an instant: those frozen by its last rating run applied by then (issue 16). */
export interface InForceCutoffs {
  runId: string;
  effectiveAt: Date;
  cutoffs: PopulationCutoffs;
}

export type CutoffsLookup = (policyId: string, at: Date) => Promise<InForceCutoffs | null>;

/**
 * Where single evaluations find the cut-offs of population conditions. The runs live in a module above
 * evaluation (rating), which provides the lookup at start; evaluation never imports it (like OfficialTiers).
 */
@Injectable()
export class PopulationCutoffsSource {
  private lookup: CutoffsLookup | null = null;

  provide(lookup: CutoffsLookup): void {
    this.lookup = lookup;
  }

  find(policyId: string, at: Date): Promise<InForceCutoffs | null> {
    return this.lookup ? this.lookup(policyId, at) : Promise.resolve(null);
  }
}
