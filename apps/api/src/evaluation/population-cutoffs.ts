import { Injectable } from '@nestjs/common';
import type { PopulationCutoffs } from '@tierwise/policy-engine';

/** The cut-offs in force for a policy at an instant: those frozen by its last rating run applied by then (issue 16). */
export interface InForceCutoffs {
  runId: string;
  effectiveAt: Date;
  cutoffs: PopulationCutoffs;
}

export type CutoffsLookup = (policyId: string, at: Date) => Promise<InForceCutoffs | null>;
/** An applied run's frozen cut-offs by its id (null: no applied run of the policy with that id froze any). */
export type CutoffsByRun = (policyId: string, runId: string) => Promise<InForceCutoffs | null>;

/**
 * Where single evaluations find the cut-offs of population conditions. The runs live in a module above
 * evaluation (rating), which provides the lookup at start; evaluation never imports it (like OfficialTiers).
 */
@Injectable()
export class PopulationCutoffsSource {
  private lookup: CutoffsLookup | null = null;
  private byRun: CutoffsByRun | null = null;

  provide(lookup: CutoffsLookup, byRun: CutoffsByRun): void {
    this.lookup = lookup;
    this.byRun = byRun;
  }

  find(policyId: string, at: Date): Promise<InForceCutoffs | null> {
    return this.lookup ? this.lookup(policyId, at) : Promise.resolve(null);
  }

  /** The cut-offs a logged decision used (its cutoff_run_id), to re-derive its trace. */
  run(policyId: string, runId: string): Promise<InForceCutoffs | null> {
    return this.byRun ? this.byRun(policyId, runId) : Promise.resolve(null);
  }
}
