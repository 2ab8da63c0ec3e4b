/**
 * The Tierwise policy model (contract §1–2). These types are the package's public surface:
 * the API stores and serves them, the console edits them.
 */

import type { PopulationCutoffs } from './population';

export type FactType = 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'string[]' | 'date';

/** How much a fact's values are protected: who may read them is decided by the API (masking); never changes an outcome. */
export type FactSensitivity = 'public' | 'internal' | 'sensitive';

export interface FactDefinition {
  key: string;
  /** Label shown to policy owners (Chinese first in the templates). */
  label: string;
  /** English label; the explanation in `en` falls back to `label`. */
  labelEn?: string;
  type: FactType;
  /** e.g. "CNY", "points", "years". */
  unit?: string;
  enumValues?: string[];
  description?: string;
  /** Default `internal`. */
  sensitivity?: FactSensitivity;
}

export interface Benefit {
  key: string;
  name: string;
  nameEn?: string;
  description?: string;
  /** Cost of giving this benefit to one customer for one rating cycle, in CNY. */
  unitCost?: number;
}

export interface BenefitPackage {
  key: string;
  name: string;
  nameEn?: string;
  benefits: string[];
}

/** A json-rules-engine leaf condition, verbatim. */
export interface LeafCondition {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
}
export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export interface NotCondition {
  not: Condition;
}
export interface ConditionReference {
  condition: string;
}
export type Condition = LeafCondition | AllCondition | AnyCondition | NotCondition | ConditionReference;
/** What json-rules-engine accepts at the top of a rule: all / any / not / a named condition. */
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition | ConditionReference;

/** A text in both console languages. */
export interface BilingualText {
  zh: string;
  en: string;
}

/**
 * Where a rule comes from, shown next to it: `source` is what the scheme's source text says (quoted
 * or paraphrased, with where it says it); `choice` is what the source leaves open and this policy
 * decides ("our choice"). A note has at least one of them; a rule with both follows its source
 * and fills a gap of it. Notes never change what a policy evaluates to.
 */
export interface RuleNote {
  source?: BilingualText;
  choice?: BilingualText;
}

/** Notes on the parts of a definition that are not objects of their own (eligibility, named conditions). */
export interface DefinitionNotes {
  eligibility?: RuleNote;
  /** By named-condition name. */
  conditions?: Record<string, RuleNote>;
}

/**
 * Arithmetic over facts (a computed fact's `expr`): a number, a fact read `{ "fact": "sales" }`, or one
 * operation `{ "add" | "mul" | "min" | "max": [e, e, …] }` (two or more), `{ "sub" | "div": [a, b] }`.
 * A fact read is usable only when it is a finite number; otherwise — and when dividing by zero or the
 * result is not finite — the expression has no value and every condition on it is false (like a missing fact).
 */
export type Expression =
  | number
  | { fact: string }
  | { add: Expression[] }
  | { sub: [Expression, Expression] }
  | { mul: Expression[] }
  | { div: [Expression, Expression] }
  | { min: Expression[] }
  | { max: Expression[] };

export type ExpressionOperator = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';

/**
 * A fact the policy computes from catalog facts (and earlier computed facts): usable like a number fact
 * of the catalog by conditions (`{ "fact": "salesShare", … }`, also as a `{ "fact" }` value) and score
 * components. Its unit is checked (sums of like units, a ratio of like units is unitless).
 */
export interface ComputedFact {
  label: string;
  labelEn?: string;
  /** Declared unit; must equal the unit the expression gives (omit for a unitless ratio). */
  unit?: string;
  expr: Expression;
  note?: RuleNote;
}

export interface WeightedComponent {
  label: string;
  fact: string;
  weight: number;
  note?: RuleNote;
}
export interface PointsComponent {
  label: string;
  points: number;
  when: TopLevelCondition;
  note?: RuleNote;
}
/**
 * One band of a step table: `min` ≤ value < `max` by default (the component's `inclusive: "max"` makes it
 * `min` < value ≤ `max`); the first band may omit `min`, the last may omit `max`.
 */
export interface StepBand {
  min?: number;
  max?: number;
  points: number;
  label?: string;
}

/**
 * A step table (amount bands → points, e.g. the government scheme's sales amount → score): the points of
 * the band the fact's value falls in, × `weight` (default 1). Bands ascend and never overlap (validated);
 * a value in no band, or a missing / non-number fact, contributes 0.
 */
export interface StepComponent {
  label: string;
  fact: string;
  steps: StepBand[];
  /** Which end of each band belongs to it: `min` (default: [min, max)) or `max` ((min, max]). */
  inclusive?: 'min' | 'max';
  weight?: number;
  note?: RuleNote;
}

export type ScoreComponent = WeightedComponent | PointsComponent | StepComponent;

export interface ScoreMultiplier {
  label: string;
  factor: number;
  when: TopLevelCondition;
  note?: RuleNote;
}

export interface Scorecard {
  /** The score becomes a fact with this key, usable by later scores, eligibility and tiers. */
  key: string;
  label: string;
  labelEn?: string;
  components: ScoreComponent[];
  multipliers?: ScoreMultiplier[];
  /** Decimal places to round the final score to (half away from zero). */
  round?: number;
  note?: RuleNote;
}

export interface TierDefinition {
  key: string;
  name: string;
  nameEn?: string;
  description?: string;
  benefitPackage?: string;
  /** Omitted only on the last tier: the catch-all default. */
  when?: TopLevelCondition;
  /**
   * Lifecycle (rating runs): a weaker condition to STAY in this tier. A customer currently in the
   * tier whose `keepWhen` holds is not "rated below" it, even when `when` no longer holds.
   */
  keepWhen?: TopLevelCondition;
  note?: RuleNote;
}

export interface LifecycleDefinition {
  /** Rated below the current tier: keep it until that happened in N+1 consecutive runs (default 0). */
  downgradeGraceRuns?: number;
  /** Then move down at most this many tiers per run (default: straight to the rated tier). */
  maxDowngradeSteps?: number;
}

export interface PolicyDefinition {
  schemaVersion: 1;
  /** Facts computed from others by arithmetic, by key (in order: each may use the ones before it). */
  computed?: Record<string, ComputedFact>;
  eligibility?: TopLevelCondition;
  conditions?: Record<string, TopLevelCondition>;
  scores?: Scorecard[];
  /** Best first; the first tier whose `when` holds wins. */
  tiers: TierDefinition[];
  /** How official tiers change over rating runs (contract §8); without it the rated tier is the official tier. */
  lifecycle?: LifecycleDefinition;
  notes?: DefinitionNotes;
  /**
   * Declares the tiers a two-dimensional grid over two catalog facts (enum / boolean / number): every cell
   * should fall in exactly one tier; the lint warns of uncovered and overlapping cells.
   */
  grid?: { facts: [string, string] };
  /**
   * Household aggregates: facts computed over the rows sharing a household id (`key`), e.g.
   * `{ key: "householdId", facts: { familyAvgDailyAssets: { avg: "avgDailyAssets" } } }` (see household.ts).
   */
  household?: { key: string; facts: Record<string, Partial<Record<'avg' | 'sum' | 'min' | 'max', string>>> };
}

/** One problem found in a definition; `path` is like `tiers[0].when.any[1].value`. */
export interface Issue {
  path: string;
  message: string;
  /** Stable machine-readable code, e.g. `unknown-fact`, `shadowed-tier`. */
  code: string;
  /** The same message in Chinese, for the console's zh-CN locale. */
  messageZh?: string;
}

/** Size limits checked before anything else, so a hostile definition cannot hang or crash a server. */
export interface ValidationLimits {
  /** Deepest nesting of objects/arrays in the definition. */
  maxDepth: number;
  /** Total number of JSON values (objects, arrays, primitives) in the definition. */
  maxNodes: number;
  /** Longest string (values and object keys). */
  maxStringLength: number;
  /** Most tiers in one policy. */
  maxTiers: number;
}

export interface ValidateOptions extends Partial<ValidationLimits> {
  /** Known benefit package keys; when given, a tier's `benefitPackage` must be one of them. */
  packages?: string[];
}

export interface ValidationResult {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
}

export type Facts = Record<string, unknown>;

/** A leaf as evaluated: the fact, the value seen, the operator, the threshold and the result. */
export interface LeafTrace {
  type: 'leaf';
  fact: string;
  path?: string;
  operator: string;
  /** The threshold (or, when compared against another fact, that fact's value). */
  value: unknown;
  /** Set when the threshold is `{ fact: "other" }`. */
  valueFact?: string;
  factValue: unknown;
  /** The fact (or the compared-to fact) was absent or null: the condition is false. */
  missing: boolean;
  result: boolean;
  /** When a side is a computed fact: the input facts its expression read, as seen (for the explanation). */
  inputs?: Record<string, unknown>;
  /** A population condition's parameters (quantiles, best, cumulative, groupBy), as in the definition. */
  params?: Record<string, unknown>;
  /** A population condition: the frozen cut-off it compared with, and the population it came from. */
  cutoff?: LeafCutoff;
}

/** The cut-off a population leaf used (from the run's frozen cut-offs). */
export interface LeafCutoff {
  /** The value at the cut (null: nobody qualifies, e.g. an empty population or a total ≤ 0). */
  value: number | null;
  /** Customers ranked in the population (or the group). */
  population: number;
  /** Customers at or beyond the cut, ties included. */
  qualifying: number;
  /** shareOfTotalAtLeast: the population's total. */
  total?: number;
  /** The day the ranked facts describe. */
  asOf: string | null;
  /** Ranked per group: the group fact and this customer's group. */
  groupBy?: string;
  group?: string | number | boolean | null;
}
export interface GroupTrace {
  type: 'all' | 'any' | 'not';
  result: boolean;
  children: ConditionTrace[];
}
export interface ReferenceTrace {
  type: 'condition';
  name: string;
  result: boolean;
  children: ConditionTrace[];
}
export type ConditionTrace = LeafTrace | GroupTrace | ReferenceTrace;

export interface TierTrace {
  kind: 'tier';
  tier: string;
  rank: number;
  matched: boolean;
  /** Absent for the catch-all default tier. */
  condition?: ConditionTrace;
}
export interface EligibilityTrace {
  kind: 'eligibility';
  matched: boolean;
  condition: ConditionTrace;
}
export interface ScoreTrace {
  kind: 'score';
  score: string;
  value: number;
  components: {
    label: string;
    contribution: number;
    /** Points components: the condition that decided whether the points were given. */
    condition?: ConditionTrace;
    /** Weighted components: the fact, its value and the weight. */
    fact?: string;
    factValue?: unknown;
    weight?: number;
    points?: number;
    /** Weighted component whose fact was absent or not a number: it contributed 0. */
    missing?: boolean;
    /** Step tables: the index of the band the value fell in (null: none), and that band's points. */
    band?: number | null;
  }[];
  multipliers: { label: string; factor: number; applied: boolean; condition: ConditionTrace }[];
}
export type TraceEntry = EligibilityTrace | ScoreTrace | TierTrace;

export interface TierOutcome {
  key: string;
  name: string;
  nameEn?: string;
  /** 1 = best. */
  rank: number;
  benefitPackage?: string;
}

export interface EvaluationResult {
  eligible: boolean;
  tier: TierOutcome | null;
  scores: Record<string, number>;
  trace: TraceEntry[];
}

/** What the compiled evaluator returns: the outcome only, no trace. */
export interface FastResult {
  eligible: boolean;
  /** Index into `tiers`, or -1 when not rated. */
  tierIndex: number;
  scores: Record<string, number>;
}

export type Locale = 'zh-CN' | 'en';

export interface EvaluateOptions {
  /**
   * "Today" for date operators such as `withinDays` (ISO date or Date). Precedence: an `asOf`
   * fact in the input, then this option, then the evaluator's `asOf`, then the current UTC date.
   */
  asOf?: string | Date;
  /**
   * The frozen cut-offs of a rating run, for a definition with population conditions (contract §10). Required
   * then: without them, or without a cut-off for one of its conditions, evaluation throws EvaluationError
   * `population-cutoffs-missing` (never a silent default). A call's cut-offs take precedence over the evaluator's.
   */
  cutoffs?: PopulationCutoffs;
}

export interface EvaluatorOptions extends EvaluateOptions {
  /** What a missing (absent or null) fact does: `'false'` (default) makes its condition false; `'error'` rejects. */
  missingFacts?: 'false' | 'error';
  /** Most evaluations in flight on one evaluator; each holds its own engines (default 16). */
  maxConcurrency?: number;
}

export interface PolicyEvaluator {
  readonly definition: PolicyDefinition;
  evaluate(input: Facts, options?: EvaluateOptions): Promise<EvaluationResult>;
}

/** The compiled evaluator: same outcome as `createEvaluator`, synchronous, no trace. */
export type FastEvaluator = (input: Facts, options?: EvaluateOptions) => FastResult;
