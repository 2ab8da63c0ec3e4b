/**
 * The population pass's work (population-pass.ts runs it in a thread of its own): every chunk of the snapshot
 * read by binary COPY, only the facts the population conditions need turned into values, the cut-offs
 * computed by the policy engine (typed columns, one sort per fact and group).
 */
import {
  compileFast,
  createPopulationCollector,
  eligibilityDefinition,
  populationSpecs,
  type FactDefinition,
  type PolicyDefinition,
  type PopulationCutoffs,
} from '@tierwise/policy-engine';
import type { Pool } from 'pg';
import { decodeChunk, getterOf } from '../datasets/chunk-codec';
import { readChunk } from '../datasets/chunk-read';

export interface PopulationPassInput {
  datasetId: string;
  chunkCount: number;
  definition: PolicyDefinition;
  facts: FactDefinition[];
  /** The snapshot's day (stored with the cut-offs). */
  asOf: string | null;
  /** "Today" of date rules in the eligibility check (the run's instant). */
  evaluatedAt: string;
}

/** Whether a definition needs a population pass at all. */
export function ranksPopulation(definition: PolicyDefinition): boolean {
  return populationSpecs(definition).length > 0;
}

/** The pass itself, over a pool: every chunk read by binary COPY, only the facts it needs turned into values. */
export async function collectCutoffs(db: Pool, input: PopulationPassInput): Promise<{ cutoffs: PopulationCutoffs; ms: { read: number; rank: number } }> {
  const elig = eligibilityDefinition(input.definition);
  const eligible = elig ? compileFast(elig, input.facts, { asOf: input.evaluatedAt }) : null;
  const collector = createPopulationCollector(input.definition, eligible ? (row) => eligible(row).eligible : undefined);
  // the facts a row needs: what is ranked, what it is grouped by, what computed facts and the eligibility read
  const needed = new Set<string>();
  for (const s of collector.specs) {
    needed.add(s.fact);
    if (s.params.groupBy !== undefined) needed.add(s.params.groupBy);
  }
  const computed = input.definition.computed ?? {};
  for (const k of Object.keys(computed)) needed.add(k);
  if (elig) for (const f of input.facts) needed.add(f.key);
  const t0 = performance.now();
  for (let n = 0; n < input.chunkCount; n++) {
    const { data } = await readChunk(db, input.datasetId, n);
    const chunk = decodeChunk(data);
    const getters = [...needed].flatMap((k) => {
      const col = chunk.columns.get(k);
      return col ? [{ k, get: getterOf(col) }] : [];
    });
    for (let i = 0; i < chunk.rows; i++) {
      const row: Record<string, unknown> = {};
      for (const g of getters) {
        const v = g.get(i);
        if (v !== undefined) row[g.k] = v;
      }
      collector.add(row);
    }
  }
  const t1 = performance.now();
  const cutoffs = collector.finish({ asOf: input.asOf });
  return { cutoffs, ms: { read: Math.round(t1 - t0), rank: Math.round(performance.now() - t1) } };
}

export interface PopulationThreadData {
  databaseUrl: string;
  input: PopulationPassInput;
  tsEntry?: string;
}
