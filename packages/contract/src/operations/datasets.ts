/** Datasets (facts snapshots) and simulations (contract §5, §8). */
import { z } from 'zod';
import { calendarDay, fileSchema, idParams, instant, list, listQuery, nullableInstant, safeKey, uuid } from '../common';
import { component } from '../components';
import { Explanation, PopulationCutoffs } from '../engine';
import { defineOperation } from '../registry';
import { NextTier } from './evaluation';

const READERS = ['admin', 'author', 'approver', 'compliance', 'viewer'] as const;
export const SIMULATION_RUNNERS = ['admin', 'author', 'approver', 'compliance'] as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Import parameters, from the query string or multipart fields (fields sent before the file). */
export const importParams = z.object({
  name: z.string().trim().min(1, 'is required').max(200, 'is too long').optional(),
  encoding: z.string().max(40).optional(),
  badRows: z.enum(['reject', 'skip'], { message: 'must be reject or skip' }).default('reject'),
  unknownColumns: z.enum(['reject', 'ignore'], { message: 'must be reject or ignore' }).default('reject'),
  idColumn: z.string().min(1).max(200).optional(),
  mapping: z.record(z.string().max(200), z.string().max(64)).optional(),
  /** A facts snapshot: the day its facts describe (contract §8). */
  asOf: calendarDay.optional(),
  /** The policy (key) the snapshot is meant for: lists of snapshots per policy. */
  policy: safeKey.optional(),
});

export const jsonDatasetBody = component(
  'JsonDatasetBody',
  importParams.omit({ encoding: true }).extend({
    name: z.string().trim().min(1, 'is required').max(200, 'is too long'),
    rows: z
      .array(z.record(z.string().max(200), z.unknown()), { message: 'must be a list of objects' })
      .min(1, 'needs at least one row')
      .max(200_000, 'at most 200,000 rows per JSON upload; upload a CSV file for more'),
  }),
);

/** Customers for a shipped template (`template`) or for the facts a policy version uses (`versionId`): exactly one of them. */
export const syntheticBody = component(
  'SyntheticDatasetBody',
  z.strictObject({
    template: z.string().min(1).max(64).optional(),
    versionId: uuid.optional(),
    size: z.number().int('must be a whole number').min(1, 'must be at least 1').max(5_000_000, 'at most 5,000,000'),
    seed: z
      .number()
      .int('must be a whole number')
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    name: z.string().trim().min(1).max(200).optional(),
    asOf: calendarDay.optional(),
    policy: safeKey.optional(),
  }),
);

const csvUpload = component(
  'DatasetUpload',
  z.object({ file: fileSchema.describe('The CSV file (UTF-8, GB18030 … see encoding)'), ...importParams.partial().shape }),
);

export const Dataset = component(
  'Dataset',
  z.object({
    id: z.string(),
    name: z.string(),
    rowCount: z.number(),
    /** The facts the dataset holds. */
    columns: z.array(z.string()),
    fields: z.array(z.record(z.string(), z.unknown())),
    idColumn: z.string().nullable(),
    asOf: z.string().nullable(),
    policyId: z.string().nullable(),
    source: z.string(),
    skippedRows: z.number(),
    details: z.record(z.string(), z.unknown()),
    createdBy: z.string(),
    createdAt: instant,
  }),
);
export const DatasetWithPreview = component(
  'DatasetWithPreview',
  z.object({ ...Dataset.shape, preview: z.array(z.record(z.string(), z.unknown())), maskedFacts: z.array(z.string()).optional() }),
);

const datasetFilters = listQuery.extend({
  policy: z.string().optional(),
  policyId: z.string().optional(),
  asOf: z.string().optional(),
  asOfFrom: z.string().optional(),
  asOfTo: z.string().optional(),
});

export const listDatasets = defineOperation({
  id: 'listDatasets',
  method: 'get',
  path: '/api/datasets',
  summary: 'Datasets and facts snapshots (filters policy, policyId, asOf, asOfFrom, asOfTo)',
  tags: ['datasets'],
  roles: READERS,
  query: datasetFilters,
  responses: { 200: list(Dataset) },
  errors: [400],
});
export const createDataset = defineOperation({
  id: 'createDataset',
  method: 'post',
  path: '/api/datasets',
  summary: 'Upload a dataset: a CSV file (multipart, field file) or JSON {name, rows}',
  tags: ['datasets'],
  roles: SIMULATION_RUNNERS,
  query: importParams,
  body: jsonDatasetBody,
  bodyAlternatives: { 'multipart/form-data': csvUpload },
  responses: { 201: Dataset },
  errors: [400, 413, 415, 422],
});
export const createSyntheticDataset = defineOperation({
  id: 'createSyntheticDataset',
  method: 'post',
  path: '/api/datasets/synthetic',
  summary: 'Synthetic customers for a template or a version (seeded, reproducible)',
  tags: ['datasets'],
  roles: SIMULATION_RUNNERS,
  body: syntheticBody,
  responses: { 201: Dataset },
  errors: [400, 404, 422],
});
export const getDataset = defineOperation({
  id: 'getDataset',
  method: 'get',
  path: '/api/datasets/{id}',
  summary: 'One dataset and its first rows (values masked by role)',
  tags: ['datasets'],
  roles: READERS,
  params: idParams,
  responses: { 200: DatasetWithPreview },
  errors: [404],
});
export const deleteDataset = defineOperation({
  id: 'deleteDataset',
  method: 'delete',
  path: '/api/datasets/{id}',
  summary: 'Delete a dataset (409 while a simulation runs on it)',
  tags: ['datasets'],
  roles: ['admin', 'author', 'compliance'],
  params: idParams,
  responses: {
    200: component('DatasetDeleted', z.object({ id: z.string(), deleted: z.literal(true), simulationsAffected: z.array(z.string()) })),
  },
  errors: [404, 409],
});

// ---- simulations --------------------------------------------------------------------------------

const groupBy = z
  .array(safeKey)
  .max(3, 'at most 3 facts')
  .refine((g) => new Set(g).size === g.length, 'lists a fact twice');

export const simulationBody = component(
  'SimulationBody',
  z.strictObject({
    candidateVersionId: z.uuid({ message: 'must be a version id' }),
    baselineVersionId: z.uuid({ message: 'must be a version id' }).optional(),
    datasetId: z.uuid({ message: 'must be a dataset id' }),
    groupBy: groupBy.optional(),
  }),
);
export { groupBy as groupByFacts };

const counts = z.record(z.string(), z.number());
const matrix = z.record(z.string(), z.record(z.string(), z.number()));
const versionRef = z.object({ id: z.string(), number: z.number(), status: z.string() });

/** A tier of the merged ladder (both versions' tiers by key; rank 1 = best) with each side's package. */
export const SimulationTier = component(
  'SimulationTier',
  z.object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().optional(),
    rank: z.number(),
    baselineRank: z.number().nullable(),
    candidateRank: z.number().nullable(),
    baselinePackage: z.string().nullable(),
    candidatePackage: z.string().nullable(),
  }),
);

/** A benefit package's bill in a simulation: unit cost (sum of its benefits') × customers, per side. */
export const SimulationPackageCost = component(
  'SimulationPackageCost',
  z.object({
    key: z.string(),
    name: z.string(),
    baselineUnitCost: z.number().nullable(),
    candidateUnitCost: z.number().nullable(),
    baselineCustomers: z.number(),
    candidateCustomers: z.number(),
    baselineCost: z.number(),
    candidateCost: z.number(),
    change: z.number(),
  }),
);

/** A tier's bill: its customers × its package's unit cost, per side (0 where a side has no such tier or package). */
export const SimulationTierCost = component(
  'SimulationTierCost',
  z.object({
    key: z.string(),
    /** The candidate package's unit cost, else the baseline's; null when neither side gives the tier a costed package. */
    unitCost: z.number().nullable(),
    baselineCost: z.number(),
    candidateCost: z.number(),
    change: z.number(),
  }),
);

/** The benefit bill of both versions (null when no benefit has a unit cost). */
export const SimulationCost = component(
  'SimulationCost',
  z.object({
    currency: z.string(),
    baseline: z.number(),
    candidate: z.number(),
    change: z.number(),
    changePct: z.number().nullable(),
    packages: z.array(SimulationPackageCost),
    /** Per tier of the merged ladder, in ladder order. */
    tiers: z.array(SimulationTierCost),
    benefitsWithoutUnitCost: z.array(z.string()),
  }),
);

/** A sample customer of one cell of the matrix, explained under both versions (withheld when it would quote a hidden fact). */
export const SimulationSample = component(
  'SimulationSample',
  z.object({
    /** 1-based position of the customer in the dataset. */
    row: z.number(),
    customerId: z.string().nullable(),
    facts: z.record(z.string(), z.unknown()),
    baselineTier: z.string().nullable(),
    candidateTier: z.string().nullable(),
    explanation: Explanation.nullable(),
    baselineExplanation: Explanation.nullable(),
    next: NextTier.nullable(),
    explanationWithheld: z.boolean().optional(),
  }),
);

/** How one cut-off of the simulation would move against the last applied run's. */
const cutoffMove = z.object({
  key: z.string(),
  group: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  before: z.number().nullable(),
  after: z.number().nullable(),
  populationBefore: z.number().nullable(),
  populationAfter: z.number(),
});

export const SimulationResult = component(
  'SimulationResult',
  z.object({
    total: z.number(),
    /** The key standing for "not rated" in counts and the matrix. */
    notRatedKey: z.string(),
    tiers: z.array(SimulationTier),
    baseline: counts,
    candidate: counts,
    /** {fromTier: {toTier: n}}: baseline tier → candidate tier. */
    matrix,
    upgrades: z.number(),
    downgrades: z.number(),
    unchanged: z.number(),
    notRated: z.record(z.string(), z.record(z.string(), z.number())).optional(),
    groupBy: z.array(z.string()).optional(),
    groups: z.array(
      z.object({
        group: z.record(z.string(), z.unknown()),
        total: z.number(),
        baseline: counts,
        candidate: counts,
        upgrades: z.number(),
        downgrades: z.number(),
        unchanged: z.number(),
        matrix: z.unknown().optional(),
      }),
    ),
    groupsOmitted: z.number().optional(),
    cost: SimulationCost.nullable(),
    /** Sample customers per cell: samples[fromTier][toTier]. */
    samples: z.record(z.string(), z.record(z.string(), z.array(SimulationSample))),
    versions: z.object({ baseline: versionRef, candidate: versionRef }).optional(),
    /** Population conditions: the cut-offs over the simulation's dataset and how they would move against the last applied run. */
    cutoffs: z
      .object({
        candidate: PopulationCutoffs.nullable(),
        baseline: PopulationCutoffs.nullable(),
        lastApplied: z.object({ runId: z.string(), effectiveAt: instant, asOf: z.string().nullable(), population: z.number() }).nullable(),
        moves: z.array(cutoffMove),
      })
      .optional(),
  }),
);

export const Simulation = component(
  'Simulation',
  z.object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    progress: z.object({ done: z.number(), total: z.number() }),
    policyId: z.string(),
    candidateVersionId: z.string(),
    baselineVersionId: z.string().nullable(),
    datasetId: z.string().nullable(),
    groupBy: z.array(z.string()),
    asOf: z.string().nullable().optional(),
    candidate: versionRef,
    baseline: versionRef,
    executor: z.string().nullable().optional(),
    attempts: z.number().optional(),
    error: z.string().nullable(),
    createdBy: z.string(),
    createdAt: instant,
    startedAt: nullableInstant,
    finishedAt: nullableInstant,
    cancelledBy: z.string().nullable(),
    /** Single reads, once succeeded. */
    result: SimulationResult.optional(),
  }),
);

const tags = ['simulations'];

export const createSimulation = defineOperation({
  id: 'createSimulation',
  method: 'post',
  path: '/api/simulations',
  summary: 'Queue a simulation of a candidate version against a baseline over a dataset',
  tags,
  roles: SIMULATION_RUNNERS,
  body: simulationBody,
  responses: { 201: Simulation },
  errors: [400, 404, 409, 422],
});
export const listSimulations = defineOperation({
  id: 'listSimulations',
  method: 'get',
  path: '/api/simulations',
  summary: 'Simulations, newest first',
  tags,
  roles: READERS,
  query: listQuery,
  responses: { 200: list(Simulation) },
  errors: [400],
});
export const getSimulation = defineOperation({
  id: 'getSimulation',
  method: 'get',
  path: '/api/simulations/{id}',
  summary: 'A simulation: status, progress and, once done, its result',
  tags,
  roles: READERS,
  params: idParams,
  responses: { 200: Simulation },
  errors: [404],
});
export const simulationResultsCsv = defineOperation({
  id: 'getSimulationResultsCsv',
  method: 'get',
  path: '/api/simulations/{id}/results.csv',
  summary: 'Per-customer results as CSV',
  tags,
  roles: READERS,
  params: idParams,
  responses: { 200: { file: ['text/csv'], description: 'CSV, formula-safe' } },
  errors: [404, 409],
});
export const simulationResults = defineOperation({
  id: 'getSimulationResults',
  method: 'get',
  path: '/api/simulations/{id}/results',
  summary: 'Per-customer results, ?format=csv|xlsx',
  tags,
  roles: READERS,
  params: idParams,
  query: z.object({ format: z.enum(['csv', 'xlsx']).optional() }),
  responses: { 200: { file: ['text/csv', XLSX], description: 'The file' } },
  errors: [400, 404, 409],
});
export const simulationReport = defineOperation({
  id: 'getSimulationReport',
  method: 'get',
  path: '/api/simulations/{id}/report',
  summary: "The report's figures, ?format=csv|xlsx&lang=zh-CN|en",
  tags,
  roles: READERS,
  params: idParams,
  query: z.object({ format: z.enum(['csv', 'xlsx']).optional(), lang: z.enum(['zh-CN', 'en']).optional() }),
  responses: { 200: { file: ['text/csv', XLSX], description: 'The file' } },
  errors: [400, 404, 409],
});
export const cancelSimulation = defineOperation({
  id: 'cancelSimulation',
  method: 'post',
  path: '/api/simulations/{id}/cancel',
  summary: 'Cancel a queued or running simulation',
  tags,
  roles: SIMULATION_RUNNERS,
  params: idParams,
  responses: { 200: Simulation },
  errors: [404, 409],
});
