/**
 * Test helpers for the shipped templates (policy files in apps/api/templates, read by the API's
 * template library): each template in the shape the tests read — catalog, versions oldest first,
 * the current file's test cases — and evaluation through the engine (evaluators built once per
 * definition and reused).
 */
import { cutoffsOfExamples, createEvaluator, factsInDefinition, walkDefinitionConditions } from '@tierwise/policy-engine';
import type {
  PopulationCutoffs,
  Benefit,
  BenefitPackage,
  EvaluationResult,
  FactDefinition,
  Facts,
  PolicyDefinition,
  PolicyEvaluator,
  PolicyFileTestCase,
} from '@tierwise/policy-engine';
import { getTemplate, templates as shipped, type ShippedTemplate } from '../../../src/templates/template-library';

export interface PolicyTemplate {
  key: string;
  name: string;
  description: string;
  facts: FactDefinition[];
  benefits: Benefit[];
  benefitPackages: BenefitPackage[];
  versions: { definition: PolicyDefinition; changeNote: string; effectiveFrom?: string; file: string }[];
  testCases: PolicyFileTestCase[];
  shipped: ShippedTemplate;
}

const unique = <T extends { key: string }>(items: T[]): T[] => [...new Map(items.map((i) => [i.key, i])).values()];

export function asTemplate(t: ShippedTemplate): PolicyTemplate {
  const files = t.versions.map((v) => v.content);
  return {
    key: t.key,
    name: t.current.policy.name,
    description: t.current.policy.description ?? '',
    facts: unique(files.flatMap((f) => f.catalog.facts)),
    benefits: unique(files.flatMap((f) => f.catalog.benefits)),
    benefitPackages: unique(files.flatMap((f) => f.catalog.benefitPackages)),
    versions: t.versions.map((v) => ({
      definition: v.content.definition,
      changeNote: v.content.changeNote ?? '',
      effectiveFrom: v.effectiveFrom,
      file: v.file,
    })),
    testCases: t.current.testCases,
    shipped: t,
  };
}

export function template(key: string): PolicyTemplate {
  const t = getTemplate(key);
  if (!t) throw new Error(`no template ${key}`);
  return asTemplate(t);
}

export const templates: PolicyTemplate[] = shipped().map(asTemplate);
export const cibCardTemplate = template('cib-card');
export const cibAssetLadderTemplate = template('cib-asset-ladder');
export const cibCorporateRevenueTemplate = template('cib-corporate-revenue');
export const icbcStarTemplate = template('icbc-star');
export const corporateLayeringTemplate = template('corporate-layering');
export const dealerLoyaltyTemplate = template('dealer-loyalty');
export const govMmsTemplate = template('gov-mms');
export const insurerIncomeTemplate = template('insurer-income');
export const fundRiskTemplate = template('fund-risk');

const evaluators = new Map<PolicyDefinition, PolicyEvaluator>();

/** The template's current (last) version, or version `index` (0 = oldest). */
export function definitionOf(template: PolicyTemplate, index = template.versions.length - 1): PolicyDefinition {
  const version = template.versions[index];
  if (version === undefined) throw new Error(`${template.key} has no version ${index}`);
  return version.definition;
}

/** A template that ranks customers against each other is checked with its test cases, together, as the population. */
export function populationOptions(template: PolicyTemplate, definition: PolicyDefinition): { cutoffs?: PopulationCutoffs } {
  const cutoffs = cutoffsOfExamples(
    definition,
    template.facts,
    template.testCases.map((c) => c.facts),
  );
  return cutoffs ? { cutoffs } : {};
}

export async function evaluate(template: PolicyTemplate, facts: Facts, versionIndex?: number): Promise<EvaluationResult> {
  const definition = definitionOf(template, versionIndex);
  let evaluator = evaluators.get(definition);
  if (evaluator === undefined) {
    evaluator = createEvaluator(definition, template.facts, populationOptions(template, definition));
    evaluators.set(definition, evaluator);
  }
  return evaluator.evaluate(facts);
}

/** The tier key the template gives these facts, or null when not rated. */
export async function tierOf(template: PolicyTemplate, facts: Facts, versionIndex?: number): Promise<string | null> {
  const result = await evaluate(template, facts, versionIndex);
  return result.tier?.key ?? null;
}

/** Every fact key and named-condition name a definition references (score keys included). */
export function referencesOf(definition: PolicyDefinition): { facts: Set<string>; conditions: Set<string> } {
  const conditions = new Set<string>();
  walkDefinitionConditions(definition, { reference: (ref) => void conditions.add(ref.condition) });
  return { facts: factsInDefinition(definition), conditions };
}

/** The benefit keys in the package a tier maps to. */
export function benefitsOfTier(template: PolicyTemplate, tierKey: string, versionIndex?: number): string[] {
  const tier = definitionOf(template, versionIndex).tiers.find((t) => t.key === tierKey);
  const pkg = template.benefitPackages.find((p) => p.key === tier?.benefitPackage);
  return pkg?.benefits ?? [];
}

/** The Chinese names of the benefits in a tier's package. */
export function benefitNamesOfTier(template: PolicyTemplate, tierKey: string, versionIndex?: number): string[] {
  return benefitsOfTier(template, tierKey, versionIndex).map((k) => template.benefits.find((b) => b.key === k)?.name ?? `?${k}`);
}
