import { compileFast, type PopulationCutoffs } from '@tierwise/policy-engine';
import type { SimulationCutoffs } from './simulation.entity';
import type { FastEvaluator } from '@tierwise/policy-engine';
import { BOOL_MISSING, DecodedChunk, DecodedColumn, getterOf, MISSING_CODE } from '../datasets/chunk-codec';
import { MAX_GROUPS, SAMPLES_PER_CELL, SimulationSpec } from './simulation-spec';
import { memoCodes, memoPlan, type MemoPlan } from './outcome-memo';

/**
 * The inner loop of a simulation, shared by worker threads and worker processes: one chunk of
 * customers evaluated with both compiled versions and aggregated on the spot. Pure: no database.
 *
 * Tier codes: the tier's index in its version's ladder, -1 = eligible but no tier matched,
 * -2 = not eligible. Both are "not rated" (the null tier); the matrix puts them in the last slot.
 */

export interface CompiledSpec {
  spec: SimulationSpec;
  baseline: FastEvaluator;
  candidate: FastEvaluator;
  /** Tiers + 1 (the not-rated slot). */
  nB: number;
  nC: number;
  scoresB: string[];
  scoresC: string[];
  /** Outcome memos (outcome-memo.ts), null where a version's outcome is not a function of the rows' codes. */
  memoB: MemoPlan | null;
  memoC: MemoPlan | null;
}

/** `cutoffs`: the simulation's frozen cut-offs, when a version has population conditions (issue 16). */
export function compileSpec(spec: SimulationSpec, cutoffs?: SimulationCutoffs | null): CompiledSpec {
  const options = { asOf: spec.asOf };
  const withCut = (c: PopulationCutoffs | null | undefined) => (c ? { ...options, cutoffs: c } : options);
  return {
    spec,
    baseline: compileFast(spec.baseline.definition, spec.baseline.facts, withCut(cutoffs?.baseline)),
    candidate: compileFast(spec.candidate.definition, spec.candidate.facts, withCut(cutoffs?.candidate)),
    nB: spec.baseline.definition.tiers.length + 1,
    nC: spec.candidate.definition.tiers.length + 1,
    scoresB: (spec.baseline.definition.scores ?? []).map((s) => s.key),
    scoresC: (spec.candidate.definition.scores ?? []).map((s) => s.key),
    memoB: memoPlan(spec.baseline.definition),
    memoC: memoPlan(spec.candidate.definition),
  };
}

export interface SampleRow {
  /** 1-based position of the customer in the dataset. */
  row: number;
  customerId: string | null;
  facts: Record<string, unknown>;
}

/** What one chunk contributes; summed over chunks by merge.ts. Matrices are nB × nC, row-major. */
export interface PartSummary {
  rows: number;
  matrix: number[];
  /** Customers not eligible, baseline and candidate (a subset of the not-rated slot). */
  ineligible: [number, number];
  groups: { values: unknown[]; matrix: number[] }[];
  samples: { b: number; c: number; rows: SampleRow[] }[];
  /** Where the chunk's time went (diagnostics). */
  ms?: { read: number; evaluate: number };
}

interface GroupColumn {
  cardinality: number;
  code: (i: number) => number;
  value: (code: number) => unknown;
}

function groupColumn(col: DecodedColumn | undefined, rows: number): GroupColumn {
  if (!col) return { cardinality: 1, code: () => 0, value: () => null };
  switch (col.kind) {
    case 'dict': {
      const { codes, dict } = col;
      const nullCode = dict.length;
      return { cardinality: dict.length + 1, code: (i) => (codes[i] === MISSING_CODE ? nullCode : codes[i]), value: (c) => (c === nullCode ? null : dict[c]) };
    }
    case 'bool': {
      const values = col.values;
      const shown = [false, true, null];
      return { cardinality: 3, code: (i) => (values[i] === BOOL_MISSING ? 2 : values[i]), value: (c) => shown[c] };
    }
    default: {
      const values = col.values;
      const index = new Map<number, number>();
      const distinct: (number | null)[] = [];
      const codes = new Uint32Array(rows);
      for (let i = 0; i < rows; i++) {
        const x = values[i];
        const key = x !== x ? -0.5 : x; // NaN (missing) gets a key no whole number has
        let c = index.get(key);
        if (c === undefined) {
          c = distinct.length;
          index.set(key, c);
          distinct.push(x !== x ? null : x);
        }
        codes[i] = c;
      }
      return { cardinality: Math.max(1, distinct.length), code: (i) => codes[i], value: (c) => distinct[c] };
    }
  }
}

export class TooManyGroupsError extends Error {
  override name = 'TooManyGroupsError';
}

const OUTCOMES_MAGIC = 0x314f5754; // "TWO1"
/** Not yet evaluated (tier codes are ≥ -2). */
const UNSEEN = -32768;

/** Per-column readers without a closure call per cell (the inner loop's main cost otherwise). */
interface InputColumn {
  key: string;
  kind: 0 | 1 | 2 | 3; // f64, bool, dict, absent
  f64: Float64Array;
  u8: Uint8Array;
  codes: Uint32Array;
  dict: unknown[];
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_U32 = new Uint32Array(0);

function inputColumn(key: string, col: DecodedColumn | undefined): InputColumn {
  const base = { key, f64: EMPTY_F64, u8: EMPTY_U8, codes: EMPTY_U32, dict: [] as unknown[] };
  if (!col) return { ...base, kind: 3 };
  if (col.kind === 'f64') return { ...base, kind: 0, f64: col.values };
  if (col.kind === 'bool') return { ...base, kind: 1, u8: col.values };
  return { ...base, kind: 2, codes: col.codes, dict: col.dict };
}

/**
 * Copies values into the facts object with one store site per key: `o[key] = v` in a loop over
 * several keys is a megamorphic keyed store (measured as the inner loop's largest cost); a site
 * that always sees the same key stays fast.
 */
function assigner(keys: string[]): (o: Record<string, unknown>, v: unknown[]) => void {
  const n = keys.length;
  const [k0, k1, k2, k3, k4, k5, k6, k7] = keys;
  return (o, v) => {
    if (n > 0) o[k0] = v[0];
    if (n > 1) o[k1] = v[1];
    if (n > 2) o[k2] = v[2];
    if (n > 3) o[k3] = v[3];
    if (n > 4) o[k4] = v[4];
    if (n > 5) o[k5] = v[5];
    if (n > 6) o[k6] = v[6];
    if (n > 7) o[k7] = v[7];
    for (let i = 8; i < n; i++) o[keys[i]] = v[i];
  };
}

/**
 * Row `i` of a chunk as the compiled evaluator reads it: ONE facts object per chunk, refilled for each
 * row (missing → undefined), so the inner loops of simulations and rating runs allocate nothing per
 * customer for their facts. The object is only valid until the next call.
 */
export function factsReader(keys: string[], chunk: DecodedChunk): (i: number) => Record<string, unknown> {
  const inputs = keys.map((k) => inputColumn(k, chunk.columns.get(k)));
  const nInputs = inputs.length;
  const facts: Record<string, unknown> = Object.fromEntries(inputs.map((c) => [c.key, undefined]));
  const values = new Array<unknown>(nInputs).fill(undefined);
  const assign = assigner(inputs.map((c) => c.key));
  return (i) => {
    for (let k = 0; k < nInputs; k++) {
      const col = inputs[k];
      let v: unknown;
      switch (col.kind) {
        case 0: {
          const x = col.f64[i];
          v = x !== x ? undefined : x;
          break;
        }
        case 1: {
          const x = col.u8[i];
          v = x === BOOL_MISSING ? undefined : x === 1;
          break;
        }
        case 2: {
          const x = col.codes[i];
          v = x === MISSING_CODE ? undefined : col.dict[x];
          break;
        }
        default:
          v = undefined;
      }
      values[k] = v;
    }
    assign(facts, values);
    return facts;
  };
}

/** Composite group code of every row (a pre-pass), and how to turn a code back into values. */
function groupCodes(spec: SimulationSpec, chunk: DecodedChunk): { codes: Float64Array; size: number; values: (key: number) => unknown[] } | null {
  if (!spec.groupBy.length) return null;
  const rows = chunk.rows;
  const cols = spec.groupBy.map((k) => groupColumn(chunk.columns.get(k), rows));
  const strides: number[] = [];
  let size = 1;
  for (let g = cols.length - 1; g >= 0; g--) {
    strides[g] = size;
    size *= cols[g].cardinality;
  }
  const codes = new Float64Array(rows);
  for (let g = 0; g < cols.length; g++) {
    const { code } = cols[g];
    const stride = strides[g];
    for (let i = 0; i < rows; i++) codes[i] += code(i) * stride;
  }
  return { codes, size, values: (key) => cols.map((g, j) => g.value(Math.floor(key / strides[j]) % g.cardinality)) };
}

/** Evaluate a chunk; returns its summary and the per-customer outcomes (for the results CSV). */
export function evaluateChunk(cs: CompiledSpec, chunk: DecodedChunk, rowStart: number): { summary: PartSummary; outcomes: Buffer } {
  const { spec, nB, nC, scoresB, scoresC } = cs;
  const rows = chunk.rows;
  const nsB = scoresB.length;
  const nsC = scoresC.length;
  const tierBytes = ((rows * 2 * 2 + 7) >> 3) << 3;
  const outcomes = Buffer.alloc(16 + tierBytes + rows * 8 * (nsB + nsC));
  outcomes.writeUInt32LE(OUTCOMES_MAGIC, 0);
  outcomes.writeUInt32LE(rows, 4);
  outcomes.writeUInt16LE(nsB, 8);
  outcomes.writeUInt16LE(nsC, 10);
  const tb = new Int16Array(rows);
  const tc = new Int16Array(rows);
  const sb = new Float64Array(rows * nsB);
  const sc = new Float64Array(rows * nsC);

  const nCells = nB * nC;
  const matrix = new Int32Array(nCells);
  let ineligibleB = 0;
  let ineligibleC = 0;
  const grouping = groupCodes(spec, chunk);
  const groupCodeOf = grouping?.codes ?? null;
  // Dense group matrices when the code space is small (the usual case), a map otherwise.
  const dense = grouping && grouping.size <= 1 << 16 ? new Array<Int32Array | undefined>(grouping.size) : null;
  const sparse = grouping && !dense ? new Map<number, Int32Array>() : null;
  let groupCount = 0;
  const samples: (number[] | undefined)[] = new Array(nCells);
  const nullB = nB - 1;
  const nullC = nC - 1;

  const factsOf = factsReader(spec.inputFacts, chunk);
  // a memoised version's outcome per code, UNSEEN until the first row with that code is evaluated
  const keyB = cs.memoB ? memoCodes(cs.memoB, chunk) : null;
  const keyC = cs.memoC ? memoCodes(cs.memoC, chunk) : null;
  const codesB = keyB?.codes ?? EMPTY_U32;
  const codesC = keyC?.codes ?? EMPTY_U32;
  const tableB = keyB ? new Int16Array(keyB.size).fill(UNSEEN) : null;
  const tableC = keyC ? new Int16Array(keyC.size).fill(UNSEEN) : null;
  for (let i = 0; i < rows; i++) {
    let facts: Record<string, unknown> | null = null;
    let b: number;
    let c: number;
    if (tableB !== null && (b = tableB[codesB[i]]) !== UNSEEN) {
      // memoised
    } else {
      facts = factsOf(i);
      const rb = cs.baseline(facts);
      b = rb.eligible ? rb.tierIndex : -2;
      if (tableB !== null) tableB[codesB[i]] = b;
      if (nsB) for (let s = 0; s < nsB; s++) sb[i * nsB + s] = rb.scores[scoresB[s]];
    }
    if (tableC !== null && (c = tableC[codesC[i]]) !== UNSEEN) {
      // memoised
    } else {
      const rc = cs.candidate(facts ?? factsOf(i));
      c = rc.eligible ? rc.tierIndex : -2;
      if (tableC !== null) tableC[codesC[i]] = c;
      if (nsC) for (let s = 0; s < nsC; s++) sc[i * nsC + s] = rc.scores[scoresC[s]];
    }
    tb[i] = b;
    tc[i] = c;
    if (b === -2) ineligibleB++;
    if (c === -2) ineligibleC++;
    const cell = (b < 0 ? nullB : b) * nC + (c < 0 ? nullC : c);
    matrix[cell]++;
    if (groupCodeOf) {
      const key = groupCodeOf[i];
      let m = dense ? dense[key] : sparse?.get(key);
      if (m === undefined) {
        if (++groupCount > MAX_GROUPS)
          throw new TooManyGroupsError(`groupBy ${spec.groupBy.join(', ')} gives more than ${MAX_GROUPS} groups; group by facts with fewer distinct values`);
        m = new Int32Array(nCells);
        if (dense) dense[key] = m;
        else sparse?.set(key, m);
      }
      m[cell]++;
    }
    const picked = samples[cell];
    if (picked === undefined) samples[cell] = [i];
    else if (picked.length < SAMPLES_PER_CELL) picked.push(i);
  }

  Buffer.from(tb.buffer).copy(outcomes, 16);
  Buffer.from(tc.buffer).copy(outcomes, 16 + rows * 2);
  if (nsB) Buffer.from(sb.buffer).copy(outcomes, 16 + tierBytes);
  if (nsC) Buffer.from(sc.buffer).copy(outcomes, 16 + tierBytes + rows * 8 * nsB);

  const sampleGetters = spec.sampleFacts.map((k) => {
    const col = chunk.columns.get(k);
    return col ? getterOf(col) : () => undefined;
  });
  const sampleList: PartSummary['samples'] = [];
  samples.forEach((picked, cell) => {
    if (!picked) return;
    sampleList.push({
      b: Math.floor(cell / nC),
      c: cell % nC,
      rows: picked.map((i) => {
        const f: Record<string, unknown> = {};
        spec.sampleFacts.forEach((k, j) => {
          const v = sampleGetters[j](i);
          if (v !== undefined) f[k] = v;
        });
        return { row: rowStart + i + 1, customerId: chunk.idAt(i), facts: f };
      }),
    });
  });
  const groupList: PartSummary['groups'] = [];
  if (grouping) {
    const entries: [number, Int32Array][] = dense
      ? dense.flatMap((m, key) => (m ? [[key, m] as [number, Int32Array]] : []))
      : [...(sparse as Map<number, Int32Array>)];
    for (const [key, m] of entries) groupList.push({ values: grouping.values(key), matrix: Array.from(m) });
  }
  return { summary: { rows, matrix: Array.from(matrix), ineligible: [ineligibleB, ineligibleC], groups: groupList, samples: sampleList }, outcomes };
}

export interface DecodedOutcomes {
  rows: number;
  baseline: Int16Array;
  candidate: Int16Array;
  scoresB: Float64Array;
  scoresC: Float64Array;
  nsB: number;
  nsC: number;
}

export function decodeOutcomes(data: Uint8Array): DecodedOutcomes {
  const copy = new Uint8Array(new ArrayBuffer(data.byteLength + 8), 0, data.byteLength);
  copy.set(data);
  const view = new DataView(copy.buffer);
  if (view.getUint32(0, true) !== OUTCOMES_MAGIC) throw new Error('not simulation outcomes');
  const rows = view.getUint32(4, true);
  const nsB = view.getUint16(8, true);
  const nsC = view.getUint16(10, true);
  const tierBytes = ((rows * 2 * 2 + 7) >> 3) << 3;
  return {
    rows,
    nsB,
    nsC,
    baseline: new Int16Array(copy.buffer, 16, rows),
    candidate: new Int16Array(copy.buffer, 16 + rows * 2, rows),
    scoresB: new Float64Array(copy.buffer, 16 + tierBytes, rows * nsB),
    scoresC: new Float64Array(copy.buffer, 16 + tierBytes + rows * 8 * nsB, rows * nsC),
  };
}
