/**
 * Test helpers for the templates: evaluate a template's version through the engine (evaluators
 * are built once per definition and reused), and walk a definition for the facts it references.
 */
import { createEvaluator } from '../../src';
import type { Condition, EvaluationResult, Facts, PolicyDefinition, PolicyEvaluator, PolicyTemplate } from '../../src';

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectCondition(node: Condition, out: { facts: Set<string>; conditions: Set<string> }): void {
  if ('all' in node) node.all.forEach((c) => collectCondition(c, out));
  else if ('any' in node) node.any.forEach((c) => collectCondition(c, out));
  else if ('not' in node) collectCondition(node.not, out);
  else if ('condition' in node) out.conditions.add(node.condition);
  else {
    out.facts.add(node.fact);
    if (isRecord(node.value) && typeof node.value.fact === 'string') out.facts.add(node.value.fact);
  }
}

/** Every fact key and named-condition name a definition references (score keys included). */
export function referencesOf(definition: PolicyDefinition): { facts: Set<string>; conditions: Set<string> } {
  const out = { facts: new Set<string>(), conditions: new Set<string>() };
  if (definition.eligibility) collectCondition(definition.eligibility, out);
  for (const c of Object.values(definition.conditions ?? {})) collectCondition(c, out);
  for (const s of definition.scores ?? []) {
    for (const comp of s.components) {
      if ('fact' in comp) out.facts.add(comp.fact);
      else collectCondition(comp.when, out);
    }
    for (const m of s.multipliers ?? []) collectCondition(m.when, out);
  }
  for (const t of definition.tiers) if (t.when) collectCondition(t.when, out);
  return out;
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
