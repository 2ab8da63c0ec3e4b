/**
 * Household aggregates in the dataset pipelines (issue 13): a version's `household` declaration
 * (`{key, facts: {target: {avg|sum|min|max: source}}}`) is computed by the product from the member
 * rows of the whole snapshot — members of one household may sit in different chunks — with the
 * engine's `aggregateHouseholds` (one meaning everywhere). Once per run and process: every chunk of
 * the snapshot is read for the key and source columns only, and each household's aggregates kept by
 * id. A chunk then gets each target as a number column of its own (replacing a column of that name
 * if the snapshot had one), so the evaluators, samples and reports read it like any other fact;
 * each member keeps their own facts, so the personal tier comes from the same rows. A row without a
 * household id is a household of its own (the engine's rule).
 */
import { aggregateHouseholds } from '@tierwise/policy-engine';
import type { Facts, PolicyDefinition } from '@tierwise/policy-engine';
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';
import { decodeChunk, DecodedChunk, getterOf } from '../datasets/chunk-codec';
import { readChunk } from '../datasets/chunk-read';

export type HouseholdDeclaration = NonNullable<PolicyDefinition['household']>;

export interface HouseholdTable {
  declaration: HouseholdDeclaration;
  /** Per household id (as text), the aggregates that have a value. */
  byId: Map<string, Facts>;
}

/** The distinct household declarations of these definitions (a simulation's two versions may share one). */
export function householdDeclarations(definitions: PolicyDefinition[]): HouseholdDeclaration[] {
  const seen = new Map<string, HouseholdDeclaration>();
  for (const d of definitions) if (d.household) seen.set(JSON.stringify(d.household), d.household);
  return [...seen.values()];
}

/** The facts a declaration reads from the snapshot (the id and the sources) and the ones it provides (the targets). */
export function householdFacts(h: HouseholdDeclaration): { reads: string[]; provides: string[] } {
  const sources = Object.values(h.facts).flatMap((spec) => Object.values(spec).filter((s): s is string => typeof s === 'string'));
  return { reads: [...new Set([h.key, ...sources])], provides: Object.keys(h.facts) };
}

const probe = (h: HouseholdDeclaration): PolicyDefinition => ({ schemaVersion: 1, household: h, tiers: [] });
const noId = (id: unknown): boolean => id === undefined || id === null || id === '';

/** Every household of the snapshot with its aggregates (reads each chunk once, the declaration's columns only). */
export async function loadHouseholds(db: Pool, datasetId: string, chunkCount: number, h: HouseholdDeclaration): Promise<HouseholdTable> {
  const { reads } = householdFacts(h);
  const members: Facts[] = [];
  for (let c = 0; c < chunkCount; c++) {
    const chunk = decodeChunk((await readChunk(db, datasetId, c)).data);
    const getters = reads.map((k) => {
      const col = chunk.columns.get(k);
      return [k, col ? getterOf(col) : () => undefined] as const;
    });
    const id = getters[0][1];
    for (let i = 0; i < chunk.rows; i++) {
      if (noId(id(i))) continue; // on its own: aggregated from its own row in its chunk
      const row: Facts = {};
      for (const [k, get] of getters) row[k] = get(i);
      members.push(row);
    }
  }
  const byId = new Map<string, Facts>();
  const targets = Object.keys(h.facts);
  aggregateHouseholds(probe(h), members).forEach((row) => {
    const key = String(row[h.key]);
    if (byId.has(key)) return;
    const agg: Facts = {};
    for (const t of targets) if (row[t] !== undefined) agg[t] = row[t];
    byId.set(key, agg);
  });
  return { declaration: h, byId };
}

/** Adds each table's targets to the chunk as number columns (NaN = no value, the codec's missing). */
export function addHouseholdColumns(chunk: DecodedChunk, tables: readonly HouseholdTable[]): void {
  for (const { declaration: h, byId } of tables) {
    const { reads, provides } = householdFacts(h);
    const getters = reads.map((k) => {
      const col = chunk.columns.get(k);
      return [k, col ? getterOf(col) : () => undefined] as const;
    });
    const id = getters[0][1];
    const columns = provides.map(() => new Float64Array(chunk.rows).fill(NaN));
    for (let i = 0; i < chunk.rows; i++) {
      const key = id(i);
      let agg: Facts | undefined;
      if (noId(key)) {
        const own: Facts = {};
        for (const [k, get] of getters) own[k] = get(i);
        agg = aggregateHouseholds(probe(h), [own])[0];
      } else agg = byId.get(String(key));
      provides.forEach((t, j) => {
        const v = agg?.[t];
        if (typeof v === 'number') columns[j][i] = v;
      });
    }
    provides.forEach((t, j) => chunk.columns.set(t, { key: t, kind: 'f64', values: columns[j] }));
  }
}

/**
 * Per run, the household tables of its versions, loaded once per process and shared by the chunks
 * (lru-cache, 8 runs: the bound of the handlers' compiled specs).
 */
export class RunHouseholds {
  private readonly runs = new LRUCache<string, Promise<HouseholdTable[]>>({ max: 8 });

  constructor(private readonly db: Pool) {}

  get(runId: string, datasetId: string, chunkCount: number, definitions: PolicyDefinition[]): Promise<HouseholdTable[]> {
    const declarations = householdDeclarations(definitions);
    if (declarations.length === 0) return Promise.resolve([]);
    let p = this.runs.get(runId);
    if (!p) {
      p = Promise.all(declarations.map((h) => loadHouseholds(this.db, datasetId, chunkCount, h)));
      void p.catch(() => this.runs.delete(runId)); // a failed load is not kept
      this.runs.set(runId, p);
    }
    return p;
  }
}
