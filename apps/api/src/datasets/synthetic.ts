import { createHash } from 'node:crypto';
import { inputFactsOf, Random, thresholdsByFact, walkCondition, type FactDefinition, type PolicyDefinition } from '@tierwise/policy-engine';
import { ChunkBuilder } from './chunk-codec';
import type { ChunkSink } from './chunk-copy';
import type { DatasetColumn } from './column-mapping';

/**
 * Synthetic customer populations for a template or a policy version, deterministic in (definition,
 * size, seed): the same
 * request always gives the same customers, byte for byte (the dataset records a SHA-256 of its
 * chunks to show it). Realistic skew rather than uniform noise: money amounts are log-normal
 * (most customers small, a long tail of wealthy ones — a customer pyramid), flags and categories
 * follow plausible shares, and the reporting dimensions (district, industry, age band) follow the
 * dealer example of tiering-schemes.md §4 (惠州's districts; the biggest industries first).
 */

/** The engine's PRNG, seeded through a hash of the seed so that nearby seeds do not give nearby streams. */
export function syntheticRandom(seed: number): Random {
  return new Random(createHash('sha256').update(`tierwise-synthetic:${seed}`).digest().readUInt32LE(0));
}

type Row = Record<string, unknown>;
type Generator = (r: Random, row: Row) => unknown;

const cents = (x: number) => Math.round(x * 100) / 100;
const logNormal =
  (median: number, sigma: number): Generator =>
  (r) =>
    cents(median * Math.exp(sigma * r.normal()));
const chance =
  (p: number): Generator =>
  (r) =>
    r.next() < p;
const weighted =
  (items: string[], weights: number[]): Generator =>
  (r) =>
    r.pick(items, weights);
const clampedNormal =
  (mean: number, sd: number, min: number, max: number, round: (x: number) => number): Generator =>
  (r) =>
    round(Math.min(max, Math.max(min, mean + sd * r.normal())));

export const DISTRICTS = ['惠城区', '惠阳区', '博罗县', '惠东县', '仲恺区', '大亚湾区', '龙门县'];
const DISTRICT_WEIGHTS = [30, 18, 16, 14, 10, 8, 4];
export const INDUSTRIES = [
  '制造业',
  '批发和零售业',
  '建筑业',
  '信息技术服务业',
  '房地产业',
  '金融业',
  '交通运输业',
  '住宿和餐饮业',
  '教育',
  '卫生和社会工作',
  '公共管理',
];
const INDUSTRY_WEIGHTS = [24, 18, 10, 9, 7, 6, 6, 6, 5, 5, 4];
const CAR_MODELS = ['凯美瑞', '卡罗拉', '雷凌', '汉兰达', 'RAV4荣放', '亚洲龙', '威兰达'];

/** Generators for the facts the templates ship, by key. */
const KNOWN: Record<string, Generator> = {
  avgDailyAssets: logNormal(60_000, 1.6),
  // Family-card holders only (about 30%), around the holder's own assets.
  familyAvgDailyAssets: (r, row) => (r.next() < 0.3 ? cents(Number(row.avgDailyAssets ?? 60_000) * Math.exp(0.6 * r.normal())) : null),
  hasValidId: chance(0.98),
  annualRevenue: logNormal(20_000_000, 2),
  totalAssets: (r, row) => cents(Number(row.annualRevenue ?? 20_000_000) * 1.2 * Math.exp(0.7 * r.normal())),
  avgDailyDeposits: logNormal(200_000, 1.8),
  businessVolume6m: logNormal(150_000, 1.8),
  prevMonthAvgDailyAssets: logNormal(50_000, 1.7),
  starPoints: logNormal(500, 2),
  householdAnnualIncome: logNormal(80_000, 0.8),
  riskAssessmentScore: clampedNormal(50, 18, 0, 100, Math.round),
  historyScore: clampedNormal(68, 14, 0, 100, Math.round),
  forecastScore: clampedNormal(65, 16, 0, 100, Math.round),
  salesShare2yPct: (r) => cents(Math.min(100, 8 * Math.exp(0.9 * r.normal()))),
  hasLoans: chance(0.4),
  customerClass: weighted(['corporate', 'institutional'], [80, 20]),
  corporateSegment: weighted(['traditional', 'emerging', 'realEstate'], [70, 20, 10]),
  onStrategicList: chance(0.03),
  reducedLargeThresholdIndustry: chance(0.2),
  complaintStatus: weighted(['none', 'resolved', 'unresolved'], [75, 18, 7]),
  regularMaintenance: chance(0.6),
  activityParticipation: chance(0.35),
  positiveWordOfMouth: chance(0.3),
  economicCapacity: weighted(['high', 'medium', 'low'], [20, 50, 30]),
  carModel: weighted(CAR_MODELS, [22, 20, 15, 14, 12, 10, 7]),
  hasProductNeed: chance(0.7),
  budgetFitsPricePolicy: chance(0.5),
  hasImplementationTimetable: chance(0.5),
  knowsDecisionMakers: chance(0.6),
  district: weighted(DISTRICTS, DISTRICT_WEIGHTS),
  industry: weighted(INDUSTRIES, INDUSTRY_WEIGHTS),
  ageBand: weighted(['18-25', '26-35', '36-45', '46-55', '56+'], [12, 27, 26, 20, 15]),
  // the 榆次 report's cohorts: 3,207 / 4,552 / 6,679 / 975 / 65
  ageCohort: weighted(['小于70后', '70后', '80后', '90后', '其它'], [3207, 4552, 6679, 975, 65]),
  vehicleComplaint: weighted(['none', 'resolved', 'unresolved'], [75, 18, 7]),
  staffComplaint: weighted(['none', 'resolved', 'unresolved'], [80, 15, 5]),
  servicedOnSchedule: chance(0.6),
  repairsAtDealer: chance(0.55),
  attendsEvents: chance(0.35),
  eventComplaint: weighted(['none', 'resolved', 'unresolved'], [90, 7, 3]),
  bringsBuyers: chance(0.15),
  cooperatesWithConsultant: chance(0.4),
  passesLeadsFirst: chance(0.25),
  negativePublicity: chance(0.05),
  govCustomerRole: weighted(['endUser', 'agent', 'governmentRelations'], [85, 10, 5]),
};

/** Reporting dimensions added to every synthetic dataset when the catalog has them. */
export const DIMENSIONS = ['district', 'industry', 'ageBand', 'ageCohort'];

/** Share of synthetic customers who pass the eligibility check's plain `equal` tests (valid ID and the like). */
const ELIGIBLE_SHARE = 0.95;

/**
 * The values the eligibility check tests with `equal` (e.g. hasValidId = true), by fact: a synthetic
 * population should mostly pass it, as real customers do, or many would come out "not rated".
 */
function eligibleValues(definition: PolicyDefinition): Map<string, unknown> {
  const out = new Map<string, unknown>();
  walkCondition(
    definition.eligibility,
    {
      not: () => false,
      leaf: (leaf) => {
        if (leaf.operator === 'equal' && (typeof leaf.value === 'boolean' || typeof leaf.value === 'string')) out.set(leaf.fact, leaf.value);
      },
    },
    { named: definition.conditions },
  );
  return out;
}

function genericGenerator(definition: PolicyDefinition, f: FactDefinition, eligible: Map<string, unknown>): Generator {
  const base = typeGenerator(
    f,
    (thresholdsByFact(definition).get(f.key) ?? []).filter((x) => x > 0),
  );
  if (!eligible.has(f.key)) return base;
  const value = eligible.get(f.key);
  return (r, row) => (r.next() < ELIGIBLE_SHARE ? value : base(r, row));
}

/** A fact the generators do not know, by its type; numbers spread around the thresholds the policy compares it with. */
function typeGenerator(f: FactDefinition, limits: number[]): Generator {
  const median = limits.length ? Math.min(...limits) * 0.8 : 100;
  switch (f.type) {
    case 'number':
      return logNormal(median, 1.4);
    case 'integer':
      return (r) => Math.max(0, Math.round(median * Math.exp(1.2 * r.normal())));
    case 'boolean':
      return chance(0.5);
    case 'enum': {
      const values = f.enumValues ?? [];
      return weighted(
        values,
        values.map((_v, i) => values.length - i),
      );
    }
    case 'string[]':
      return (r) => (f.enumValues ?? ['A', 'B', 'C']).filter(() => r.next() < 0.3);
    case 'date':
      return (r) => new Date(Date.UTC(2026, 0, 1) - Math.floor(r.next() * 3 * 365) * 86_400_000).toISOString().slice(0, 10);
    default:
      return (r) => `S${1 + Math.floor(r.next() * 9)}`;
  }
}

export interface SyntheticPlan {
  columns: DatasetColumn[];
  generators: Generator[];
}

/** What a synthetic dataset is for: a definition and the facts it needs as columns (in order). */
export interface SyntheticSource {
  definition: PolicyDefinition;
  facts: string[];
}

/** The facts a definition reads from the customer (its score keys and computed facts are computed, not columns). */
export function inputFacts(definition: PolicyDefinition): string[] {
  return inputFactsOf(definition);
}

/** The columns of a synthetic dataset: the source's facts, then the reporting dimensions the catalog has. */
export function syntheticPlan(source: SyntheticSource, catalog: Map<string, FactDefinition>): SyntheticPlan {
  const keys = [...source.facts, ...DIMENSIONS.filter((k) => catalog.has(k))];
  const unique = [...new Set(keys)];
  const columns = unique.map((k) => {
    const f = catalog.get(k) as FactDefinition;
    return { name: k, fact: k, type: f.type };
  });
  const eligible = eligibleValues(source.definition);
  const generators = unique.map((k) => KNOWN[k] ?? genericGenerator(source.definition, catalog.get(k) as FactDefinition, eligible));
  return { columns, generators };
}

/** Generate `size` customers into chunks; returns the SHA-256 of the chunks (the determinism witness). */
export async function generateSynthetic(
  plan: SyntheticPlan,
  size: number,
  seed: number,
  chunkRows: number,
  sink: ChunkSink,
): Promise<{ chunkCount: number; sha256: string }> {
  const r = syntheticRandom(seed);
  const builder = new ChunkBuilder(
    plan.columns.map((c) => ({ key: c.fact, type: c.type })),
    chunkRows,
    true,
  );
  const hash = createHash('sha256');
  const row: Row = {};
  const values = new Array<unknown>(plan.columns.length);
  const width = String(size).length;
  let chunkNo = 0;
  let rowStart = 0;
  const flush = async () => {
    const data = builder.encode();
    const rowCount = builder.rows;
    builder.reset();
    hash.update(data);
    await sink.write({ chunkNo, rowStart, rowCount, data });
    chunkNo++;
    rowStart += rowCount;
  };
  for (let i = 0; i < size; i++) {
    for (let c = 0; c < plan.columns.length; c++) {
      const v = plan.generators[c](r, row);
      row[plan.columns[c].fact] = v;
      values[c] = v;
    }
    builder.append(`S${seed}-${String(i + 1).padStart(width, '0')}`, values);
    if (builder.full) await flush();
  }
  if (builder.rows > 0) await flush();
  return { chunkCount: chunkNo, sha256: hash.digest('hex') };
}
