import { factsInDefinition, type FactType } from '@tierwise/policy-engine';
import type { DatasetRow } from '../datasets/dataset.entity';
import type { ErrorDetail } from '../common/errors/app.exception';
import { householdFacts } from './households';
import type { DatasetJobInput, VersionSnapshot } from './simulation-spec';

/** Types that hold the same kind of value: a dataset column of one fits a fact of another in the same class. */
const TYPE_CLASS: Record<FactType, string> = {
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  string: 'text',
  enum: 'text',
  date: 'text',
  'string[]': 'list',
};

export interface DatasetInputCheck {
  /** Input facts the versions read (scores excluded), in first-use order. */
  inputs: string[];
  /** Facts the dataset has no column for (keys), and the same as error details. */
  missingKeys: string[];
  missing: ErrorDetail[];
  /** Columns whose imported type does not fit the fact. */
  clashes: ErrorDetail[];
  /** groupBy facts that are not categorical columns of the dataset. */
  badGroups: ErrorDetail[];
}

/**
 * Does this dataset hold every input fact these versions use, with a fitting type, and can it be
 * grouped by `groupBy`? One check for every job that evaluates a dataset (simulations, rating
 * runs), so a run never fails for bad input: each caller turns the problems into its own 422.
 */
export function checkDatasetInputs(dataset: DatasetRow, versions: VersionSnapshot[], groupBy: string[]): DatasetInputCheck {
  const columns = new Map(dataset.columns.map((col) => [col.fact, col]));
  const inputs = new Map<string, { type: FactType; label: string }>();
  // household aggregates are computed by the run from the member rows (households.ts): the snapshot needs the id and the sources, not the targets
  const provided = new Set<string>();
  for (const v of versions) {
    const scores = new Set((v.definition.scores ?? []).map((s) => s.key));
    const byKey = new Map(v.facts.map((f) => [f.key, f]));
    const household = v.definition.household ? householdFacts(v.definition.household) : { reads: [], provides: [] };
    for (const t of household.provides) provided.add(t);
    for (const key of [...factsInDefinition(v.definition), ...household.reads]) {
      if (scores.has(key)) continue;
      const f = byKey.get(key);
      if (f) inputs.set(key, { type: f.type, label: f.label });
    }
  }
  const absent = [...inputs].filter(([k]) => !columns.has(k) && !provided.has(k));
  const missing = absent.map(([k, f]) => ({ path: 'datasetId', message: `has no column for fact ${k} (${f.label})` }));
  const clashes = [...inputs]
    .filter(([k, f]) => columns.has(k) && !provided.has(k) && TYPE_CLASS[(columns.get(k) as { type: FactType }).type] !== TYPE_CLASS[f.type])
    .map(([k, f]) => ({ path: 'datasetId', message: `column ${k} holds ${columns.get(k)?.type} values; the policy uses ${k} as ${f.type}` }));
  const badGroups = groupBy.flatMap((k, i) => {
    const col = columns.get(k);
    if (!col) return [{ path: `groupBy[${i}]`, message: `the dataset has no column ${k}` }];
    if (col.type === 'number')
      return [{ path: `groupBy[${i}]`, message: `${k} is a continuous number; group by a category (string, enum, boolean, integer, date)` }];
    return [];
  });
  return { inputs: [...inputs.keys()], missingKeys: absent.map(([k]) => k), missing, clashes, badGroups };
}

/** The dataset part of a job's spec, for a dataset whose check found no problem: samples show the input facts and the groupBy facts. */
export function datasetJobInput(dataset: DatasetRow, check: DatasetInputCheck, groupBy: string[], asOf: Date): DatasetJobInput {
  return {
    datasetId: dataset.id,
    rowCount: dataset.rowCount,
    chunkCount: dataset.chunkCount,
    inputFacts: check.inputs,
    groupBy,
    sampleFacts: [...new Set([...check.inputs, ...groupBy])],
    columns: dataset.columns,
    asOf: asOf.toISOString(),
  };
}
