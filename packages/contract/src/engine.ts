/** The policy engine's own schemas (definition, catalog items), named as components of the contract, and the shapes it answers. */
import {
  allConditionSchema,
  anyConditionSchema,
  benefitPackageSchema,
  benefitSchema,
  conditionReferenceSchema,
  computedFactSchema,
  conditionSchema,
  expressionSchema,
  factDefinitionSchema,
  leafConditionSchema,
  notConditionSchema,
  policyDefinitionSchema,
  topLevelConditionSchema,
} from '@tierwise/policy-engine';
import { z } from 'zod';
import { component } from './components';

export const PolicyDefinition = component('PolicyDefinition', policyDefinitionSchema);
component('Condition', conditionSchema);
export const TopLevelCondition = component('TopLevelCondition', topLevelConditionSchema);
component('AllCondition', allConditionSchema);
component('AnyCondition', anyConditionSchema);
component('NotCondition', notConditionSchema);
component('LeafCondition', leafConditionSchema);
component('ConditionReference', conditionReferenceSchema);
component('Expression', expressionSchema);
component('ComputedFact', computedFactSchema);
export const FactDefinition = component('FactDefinition', factDefinitionSchema);
export const Benefit = component('Benefit', benefitSchema);
export const BenefitPackage = component('BenefitPackage', benefitPackageSchema);

/** An issue the engine reports about a definition (validation error, lint warning). */
export const Issue = component(
  'Issue',
  z.object({ path: z.string(), message: z.string(), code: z.string(), messageZh: z.string().optional(), params: z.record(z.string(), z.unknown()).optional() }),
);

export const ValidationResult = component('ValidationResult', z.object({ valid: z.boolean(), errors: z.array(Issue), warnings: z.array(Issue) }));

/** How one condition was evaluated: a leaf with the value seen, or a group / named condition with its children. */
export const ConditionTrace: z.ZodType = component(
  'ConditionTrace',
  z.object({
    type: z.enum(['leaf', 'all', 'any', 'not', 'condition']),
    result: z.boolean(),
    fact: z.string().optional(),
    path: z.string().optional(),
    operator: z.string().optional(),
    value: z.unknown().optional(),
    valueFact: z.string().optional(),
    factValue: z.unknown().optional(),
    missing: z.boolean().optional(),
    /** A population condition's parameters (quantiles, best, cumulative, groupBy). */
    params: z.record(z.string(), z.unknown()).optional(),
    /** A population condition: the frozen cut-off it was compared with (issue 16). */
    cutoff: z
      .object({
        value: z.number().nullable(),
        population: z.number(),
        qualifying: z.number(),
        total: z.number().optional(),
        asOf: z.string().nullable(),
        groupBy: z.string().optional(),
        group: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
      })
      .optional(),
    name: z.string().optional(),
    get children(): z.ZodOptional<z.ZodArray<typeof ConditionTrace>> {
      return z.array(ConditionTrace).optional();
    },
  }),
);

/**
 * The cut-offs a rating run (or simulation) froze for its population conditions (contract §10): per
 * condition and group, the value at the cut, the customers ranked and those at or beyond it.
 */
export const PopulationCutoffs = component(
  'PopulationCutoffs',
  z.object({
    asOf: z.string().nullable(),
    population: z.number(),
    scope: z.enum(['eligible', 'all']),
    cuts: z.array(
      z.object({
        key: z.string(),
        fact: z.string(),
        operator: z.enum(['topPercent', 'shareOfTotalAtLeast', 'quantileAtLeast']),
        value: z.number(),
        params: z.record(z.string(), z.unknown()),
        groups: z.array(
          z.object({
            group: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
            population: z.number(),
            cutoff: z.number().nullable(),
            qualifying: z.number(),
            total: z.number().optional(),
          }),
        ),
      }),
    ),
  }),
);

/** One step of an evaluation: eligibility, a scorecard, or a tier tried (best first). */
export const TraceEntry = component(
  'TraceEntry',
  z.object({
    kind: z.enum(['eligibility', 'score', 'tier']),
    matched: z.boolean().optional(),
    tier: z.string().optional(),
    rank: z.number().optional(),
    score: z.string().optional(),
    value: z.number().optional(),
    condition: ConditionTrace.optional(),
    components: z.array(z.record(z.string(), z.unknown())).optional(),
    multipliers: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
);

/** Plain-language lines, per locale where both are given. */
export const Explanation = component(
  'Explanation',
  z.union([
    z.string(),
    z.array(z.string()),
    z.object({ 'zh-CN': z.union([z.string(), z.array(z.string())]).optional(), en: z.union([z.string(), z.array(z.string())]).optional() }),
  ]),
);

const localized = z.object({ 'zh-CN': z.string(), en: z.string() }).partial();

/** A version's rollout as the diff shows it. */
export const RolloutView = component(
  'RolloutView',
  z.object({
    effectiveFrom: z.string().nullable(),
    steps: z.array(z.object({ segment: z.unknown(), effectiveFrom: z.string() })),
    text: z.object({ 'zh-CN': z.array(z.string()), en: z.array(z.string()) }),
  }),
);

/** The engine's per-tier diff between two versions. */
export const VersionDiff = component(
  'VersionDiff',
  z.object({
    from: z.object({ id: z.string(), number: z.number() }),
    to: z.object({ id: z.string(), number: z.number() }),
    tiers: z.array(
      z.object({
        key: z.string(),
        change: z.string(),
        name: z.object({ before: z.string().optional(), after: z.string().optional() }),
        title: localized,
        rank: z.object({ before: z.number().optional(), after: z.number().optional() }),
        moved: z.boolean(),
        benefitPackage: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
        conditions: z.array(z.record(z.string(), z.unknown())),
        changes: z.array(z.number()),
        text: z.array(localized),
      }),
    ),
    eligibility: z.array(z.record(z.string(), z.unknown())),
    namedConditions: z.array(
      z.object({ name: z.string(), change: z.string(), conditions: z.array(z.record(z.string(), z.unknown())), tiers: z.array(z.string()) }),
    ),
    scores: z.array(
      z.object({ key: z.string(), change: z.string(), before: z.unknown().optional(), after: z.unknown().optional(), tiers: z.array(z.string()) }),
    ),
    changes: z.array(z.record(z.string(), z.unknown())),
    summary: z.object({ added: z.number(), removed: z.number(), changed: z.number(), moved: z.number(), unchanged: z.number() }),
    /** Each side's regional rollout (contract §11): steps and who switches when, per locale; null when everyone switches at effectiveFrom. */
    rollout: z
      .object({
        from: RolloutView.nullable(),
        to: RolloutView.nullable(),
      })
      .optional(),
  }),
);
