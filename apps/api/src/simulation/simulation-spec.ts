import type { FactDefinition, PolicyDefinition } from '@tierwise/policy-engine';
import type { DatasetColumn } from '../datasets/column-mapping';
import type { EvaluatorCache } from '../policies/evaluator-cache';
import { displayStatus, FrozenCatalog, PolicyVersionRow } from '../policies/policy.entities';

/**
 * What a run evaluates, frozen when it is created: both definitions with the catalogs they
 * evaluate against (a published version's frozen catalog, a draft's live catalog at that moment)
 * and the "today" of date operators. Stored on the run, so that a resumed run, every worker thread
 * and every worker process compute exactly the same thing even if a draft is edited meanwhile.
 */
export interface VersionSnapshot {
  id: string;
  policyId: string;
  number: number;
  status: string;
  definition: PolicyDefinition;
  facts: FactDefinition[];
  packages: FrozenCatalog['packages'];
}

/**
 * The dataset part of a job's frozen spec (a simulation, a rating run): the rows it reads, the facts
 * it reads of them, how it groups them, the facts shown with samples, and its "today".
 * datasetJobInput (dataset-inputs.ts) builds it from a dataset that passed checkDatasetInputs.
 */
export interface DatasetJobInput {
  datasetId: string;
  rowCount: number;
  chunkCount: number;
  /** Dataset facts read for evaluation: those the versions use. */
  inputFacts: string[];
  groupBy: string[];
  /** Facts shown with sample customers: the input facts and the groupBy facts. */
  sampleFacts: string[];
  columns: DatasetColumn[];
  /** ISO instant: the as-of date of `withinDays` and other date rules. */
  asOf: string;
}

export interface SimulationSpec extends DatasetJobInput {
  baseline: VersionSnapshot;
  candidate: VersionSnapshot;
}

/** Up to this many customers per migration-matrix cell are kept (and explained). */
export const SAMPLES_PER_CELL = 20;
/** A groupBy producing more distinct groups than this fails the run with a clear message. */
export const MAX_GROUPS = 5000;
/** The key of "not rated" (tier null) in counts and in the matrix. */
export const NOT_RATED = 'null';

/** A version frozen with the catalog it evaluates against, for a job's spec. */
export async function versionSnapshot(evaluators: EvaluatorCache, v: PolicyVersionRow): Promise<VersionSnapshot> {
  const p = await evaluators.prepare(v);
  return {
    id: v.id,
    policyId: v.policyId,
    number: v.number,
    status: displayStatus(v),
    definition: p.definition,
    facts: p.catalog.facts,
    packages: p.catalog.packages,
  };
}
