/**
 * zod schemas of the policy format (contract §1) and the catalog items (§2), plus the JSON Schema
 * of a definition for the console and OpenAPI. `validatePolicy` is the authority (it also checks
 * the definition against the fact catalog); these schemas describe the shape only.
 */
import { z } from 'zod';
import { KEY_PATTERN } from './keys';
import type { Condition, Expression, TopLevelCondition } from './types';

export const keySchema = z.string().regex(KEY_PATTERN, 'must start with a letter and contain only letters, digits, "_" or "-" (at most 64)');

const label = z.string().min(1);

export const factTypeSchema = z.enum(['number', 'integer', 'boolean', 'string', 'enum', 'string[]', 'date']);

export const factDefinitionSchema = z
  .strictObject({
    key: keySchema,
    label,
    labelEn: z.string().min(1).optional(),
    type: factTypeSchema,
    unit: z.string().optional(),
    enumValues: z.array(z.string().min(1)).optional(),
    description: z.string().optional(),
    sensitivity: z.enum(['public', 'internal', 'sensitive'], { message: 'must be public, internal or sensitive' }).optional(),
  })
  .refine((f) => f.type !== 'enum' || (f.enumValues !== undefined && f.enumValues.length > 0), {
    message: 'an enum fact needs enumValues',
    path: ['enumValues'],
  });

export const benefitSchema = z.strictObject({
  key: keySchema,
  name: label,
  nameEn: z.string().min(1).optional(),
  description: z.string().optional(),
  unitCost: z.number().nonnegative().optional(),
});

export const benefitPackageSchema = z.strictObject({
  key: keySchema,
  name: label,
  nameEn: z.string().min(1).optional(),
  benefits: z.array(keySchema),
});

const primitive = z.union([z.number(), z.string(), z.boolean()]);

export const factReferenceSchema = z.strictObject({
  fact: keySchema,
  params: z.record(z.string(), z.unknown()).optional(),
});

export const conditionValueSchema = z.union([primitive, z.array(primitive), factReferenceSchema]);

export const leafConditionSchema = z.strictObject({
  fact: keySchema,
  operator: z.string().min(1),
  value: conditionValueSchema,
  params: z.record(z.string(), z.unknown()).optional(),
});

export const conditionReferenceSchema = z.strictObject({ condition: keySchema });

export const allConditionSchema = z.strictObject({
  get all() {
    return z.array(conditionSchema);
  },
});
export const anyConditionSchema = z.strictObject({
  get any() {
    return z.array(conditionSchema).min(1);
  },
});
export const notConditionSchema = z.strictObject({
  get not() {
    return conditionSchema;
  },
});

export const topLevelConditionSchema: z.ZodType<TopLevelCondition> = z.union([
  allConditionSchema,
  anyConditionSchema,
  notConditionSchema,
  conditionReferenceSchema,
]);

export const conditionSchema: z.ZodType<Condition> = z.union([
  leafConditionSchema,
  allConditionSchema,
  anyConditionSchema,
  notConditionSchema,
  conditionReferenceSchema,
]);

const text = z.string().trim().min(1);
export const bilingualTextSchema = z.strictObject({ zh: text, en: text });
/** Where a rule comes from (types.ts RuleNote): the source's words, our choice, or both. */
export const ruleNoteSchema = z
  .strictObject({ source: bilingualTextSchema.optional(), choice: bilingualTextSchema.optional() })
  .refine((n) => n.source !== undefined || n.choice !== undefined, { message: 'a note needs "source" or "choice"' });

/** An arithmetic expression (types.ts Expression): a number, a fact read, or one operation. */
export const expressionSchema: z.ZodType<Expression> = z.union([
  z.number(),
  z.strictObject({ fact: keySchema }),
  z.strictObject({
    get add() {
      return z.array(expressionSchema).min(2);
    },
  }),
  z.strictObject({
    get sub() {
      return z.tuple([expressionSchema, expressionSchema]);
    },
  }),
  z.strictObject({
    get mul() {
      return z.array(expressionSchema).min(2);
    },
  }),
  z.strictObject({
    get div() {
      return z.tuple([expressionSchema, expressionSchema]);
    },
  }),
  z.strictObject({
    get min() {
      return z.array(expressionSchema).min(2);
    },
  }),
  z.strictObject({
    get max() {
      return z.array(expressionSchema).min(2);
    },
  }),
]) as z.ZodType<Expression>;

export const computedFactSchema = z.strictObject({
  label,
  labelEn: z.string().min(1).optional(),
  unit: z.string().optional(),
  expr: expressionSchema,
  note: ruleNoteSchema.optional(),
});

export const weightedComponentSchema = z.strictObject({ label, fact: keySchema, weight: z.number(), note: ruleNoteSchema.optional() });
export const pointsComponentSchema = z.strictObject({ label, points: z.number(), when: topLevelConditionSchema, note: ruleNoteSchema.optional() });
export const stepBandSchema = z.strictObject({
  min: z.number().optional(),
  max: z.number().optional(),
  points: z.number(),
  label: z.string().min(1).optional(),
});
export const stepComponentSchema = z.strictObject({
  label,
  fact: keySchema,
  steps: z.array(stepBandSchema).min(1),
  inclusive: z.enum(['min', 'max']).optional(),
  weight: z.number().optional(),
  note: ruleNoteSchema.optional(),
});
export const scoreMultiplierSchema = z.strictObject({ label, factor: z.number(), when: topLevelConditionSchema, note: ruleNoteSchema.optional() });

export const scorecardSchema = z.strictObject({
  key: keySchema,
  label,
  labelEn: z.string().min(1).optional(),
  components: z.array(z.union([weightedComponentSchema, pointsComponentSchema, stepComponentSchema])).min(1),
  multipliers: z.array(scoreMultiplierSchema).optional(),
  round: z.number().int().min(0).max(10).optional(),
  note: ruleNoteSchema.optional(),
});

export const tierDefinitionSchema = z.strictObject({
  key: keySchema,
  name: label,
  nameEn: z.string().min(1).optional(),
  description: z.string().optional(),
  benefitPackage: keySchema.optional(),
  when: topLevelConditionSchema.optional(),
  keepWhen: topLevelConditionSchema.optional(),
  note: ruleNoteSchema.optional(),
});

export const lifecycleSchema = z.strictObject({
  downgradeGraceRuns: z.number().int().min(0).max(24).optional(),
  maxDowngradeSteps: z.number().int().min(1).max(20).optional(),
});

export const policyDefinitionSchema = z.strictObject({
  schemaVersion: z.literal(1),
  computed: z.record(keySchema, computedFactSchema).optional(),
  eligibility: topLevelConditionSchema.optional(),
  conditions: z.record(keySchema, topLevelConditionSchema).optional(),
  scores: z.array(scorecardSchema).optional(),
  tiers: z.array(tierDefinitionSchema).min(1),
  lifecycle: lifecycleSchema.optional(),
  grid: z.strictObject({ facts: z.tuple([keySchema, keySchema]) }).optional(),
  household: z
    .strictObject({ key: keySchema, facts: z.record(keySchema, z.strictObject({ avg: keySchema, sum: keySchema, min: keySchema, max: keySchema }).partial()) })
    .optional(),
  notes: z.strictObject({ eligibility: ruleNoteSchema.optional(), conditions: z.record(keySchema, ruleNoteSchema).optional() }).optional(),
});

/** JSON Schema (draft 2020-12) of a policy definition. */
export const policyDefinitionJsonSchema: Record<string, unknown> = z.toJSONSchema(policyDefinitionSchema, {
  unrepresentable: 'any',
}) as Record<string, unknown>;
