/**
 * Test helpers for the templates: evaluate a template's version through the engine (evaluators
 * are built once per definition and reused), and list what a definition references.
 */
import { createEvaluator, factsInDefinition, walkDefinitionConditions } from '../../src';
import type { EvaluationResult, Facts, PolicyDefinition, PolicyEvaluator, PolicyTemplate } from '../../src';

const evaluators = new Map<PolicyDefinition, PolicyEvaluator>();

/** The template's current (last) version, or version `index` (0 = oldest). */
export function definitionOf(template: PolicyTemplate, index = template.versions.length - 1): PolicyDefinition {
  const version = template.versions[index];
  if (version === undefined) throw new Error(`${template.key} has no version ${index}`);
  return version.definition;
}

export async function evaluate(template: PolicyTemplate, facts: Facts, versionIndex?: number): Promise<EvaluationResult> {
  const definition = definitionOf(template, versionIndex);
  let evaluator = evaluators.get(definition);
  if (evaluator === undefined) {
    evaluator = createEvaluator(definition, template.facts);
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
