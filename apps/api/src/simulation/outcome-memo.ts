import { isFactReference, POPULATION_OPERATORS, walkDefinitionConditions, type PolicyDefinition } from '@tierwise/policy-engine';
import { BOOL_MISSING, DecodedChunk, MISSING_CODE } from '../datasets/chunk-codec';

/**
 * Outcome memo of a simulation's inner loop: when a version's outcome (eligible, tier) is a function of
 * a few coarse codes of each row — the band a number sits in among the numbers its conditions compare
 * it with, the stored code of a categorical value —, each distinct combination of codes in a chunk is
 * evaluated once (by the compiled evaluator, on the first row that has it) and the other rows with
 * it take its outcome. A 1M-customer run of the cib-card ladder has a few hundred combinations per
 * chunk of 20,000 rows, so the evaluator runs a few hundred times instead of 20,000.
 *
 * It applies only where that is exact: no scores, no computed facts, no population or date-window
 * (withinDays) conditions, no comparison with another fact, no `path`/`params`; on a number column
 * only operators whose answer is fixed by where the value sits among the literal numbers of the
 * leaf (=, ≠, <, ≤, >, ≥, in, notIn, between). A categorical column (boolean, or dictionary-coded
 * string / enum / date / list) may be compared in any way: a row's value is fixed by its code.
 * Otherwise the plan is null and every row is evaluated.
 */

const BANDED = new Set([
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'between',
  'betweenExclusiveMax',
]);
/** Operators whose answer is not fixed by the row's value alone: the run's date (withinDays), the population (the engine's list). */
const NEVER = new Set<string>(['withinDays', ...POPULATION_OPERATORS]);

/** The largest code space memoised (a table of this many Int16 per version and chunk). */
export const MEMO_MAX_CODES = 1 << 16;

export interface MemoPlan {
  /** Per fact a leaf reads: the numbers its number-column leaves compare it with, or null when a leaf on it is not banded. */
  facts: Map<string, number[] | null>;
}

/** The memo plan of a definition, or null when its outcome is not a function of the codes. */
export function memoPlan(def: PolicyDefinition): MemoPlan | null {
  if ((def.scores?.length ?? 0) > 0 || Object.keys(def.computed ?? {}).length > 0) return null;
  let ok = true;
  const facts = new Map<string, number[] | null>();
  walkDefinitionConditions(def, {
    leaf: (leaf) => {
      if (!ok) return;
      const values = Array.isArray(leaf.value) ? (leaf.value as unknown[]) : [leaf.value];
      if (NEVER.has(leaf.operator) || leaf.path !== undefined || leaf.params !== undefined || values.some((v) => isFactReference(v))) {
        ok = false;
        return;
      }
      const numbers = BANDED.has(leaf.operator) && values.length > 0 && values.every((v) => typeof v === 'number') ? (values as number[]) : null;
      const known = facts.get(leaf.fact);
      if (known === undefined) facts.set(leaf.fact, numbers ? [...numbers] : null);
      else if (known === null || numbers === null) facts.set(leaf.fact, null);
      else known.push(...numbers);
    },
    invalid: () => {
      ok = false;
    },
  });
  return ok ? { facts } : null;
}

/** Adds each row's band among the sorted numbers `t` (0 missing; 1 + 2p below t[p], above t[p-1]; 2 + 2p equal to t[p]), × stride. */
function addBands(codes: Uint32Array, values: Float64Array, t: Float64Array, stride: number): void {
  const k = t.length;
  for (let i = 0; i < codes.length; i++) {
    const x = values[i];
    if (x !== x) continue; // missing: band 0
    let p = 0;
    while (p < k && t[p] < x) p++;
    codes[i] += (p < k && t[p] === x ? 2 + 2 * p : 1 + 2 * p) * stride;
  }
}

function addBooleans(codes: Uint32Array, values: Uint8Array, stride: number): void {
  for (let i = 0; i < codes.length; i++) codes[i] += (values[i] === BOOL_MISSING ? 2 : values[i]) * stride;
}

function addDictCodes(codes: Uint32Array, c: Uint32Array, missing: number, stride: number): void {
  for (let i = 0; i < codes.length; i++) codes[i] += (c[i] === MISSING_CODE ? missing : c[i]) * stride;
}

/** Each row's code (a Uint32Array, one per row) and the size of the code space, or null when this chunk cannot be memoised. */
export function memoCodes(plan: MemoPlan, chunk: DecodedChunk): { codes: Uint32Array; size: number } | null {
  const codes = new Uint32Array(chunk.rows);
  let size = 1;
  for (const [key, numbers] of plan.facts) {
    const col = chunk.columns.get(key);
    if (!col) continue; // absent: the same (missing) for every row
    const stride = size;
    if (col.kind === 'f64') {
      if (numbers === null) return null;
      const t = Float64Array.from(new Set(numbers.filter((x) => x === x))).sort();
      size *= 2 * t.length + 2;
      if (size > MEMO_MAX_CODES) return null;
      addBands(codes, col.values, t, stride);
    } else if (col.kind === 'bool') {
      size *= 3;
      if (size > MEMO_MAX_CODES) return null;
      addBooleans(codes, col.values, stride);
    } else {
      size *= col.dict.length + 1;
      if (size > MEMO_MAX_CODES) return null;
      addDictCodes(codes, col.codes, col.dict.length, stride);
    }
  }
  return { codes, size };
}
