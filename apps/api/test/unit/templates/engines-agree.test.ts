/**
 * The compiled evaluator (compileFast) and the json-rules-engine evaluator (createEvaluator) give
 * every template the same outcome: on its test cases, and around every numeric threshold it uses
 * (the threshold itself, one cent below, one cent above), starting from each test case.
 */
import { compileFast } from '@tierwise/policy-engine';
import type { Facts, PolicyDefinition } from '@tierwise/policy-engine';
import { evaluate, populationOptions, templates, type PolicyTemplate } from './support';

/**
 * Numeric thresholds on input facts. A threshold on a score made of one weighted fact (ICBC's star
 * points) is mapped back onto that fact (threshold / weight).
 */
function numericThresholds(definition: PolicyDefinition): { fact: string; value: number }[] {
  const out: { fact: string; value: number }[] = [];
  const scoreKeys = new Set((definition.scores ?? []).map((s) => s.key));
  const singleFactScores = new Map<string, { fact: string; weight: number }>();
  for (const s of definition.scores ?? []) {
    const [only] = s.components;
    if (s.components.length === 1 && 'weight' in only && !('steps' in only) && !s.multipliers?.length) singleFactScores.set(s.key, only);
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const rec = node as Record<string, unknown>;
      if (typeof rec.fact === 'string' && typeof rec.value === 'number') {
        const via = singleFactScores.get(rec.fact);
        if (via) out.push({ fact: via.fact, value: rec.value / via.weight });
        else if (!scoreKeys.has(rec.fact)) out.push({ fact: rec.fact, value: rec.value });
      }
      Object.values(rec).forEach(walk);
    }
  };
  walk(definition);
  return out;
}

function probes(template: PolicyTemplate, definition: PolicyDefinition): Facts[] {
  const bases = template.testCases.map((c) => c.facts);
  const out: Facts[] = [...bases];
  for (const base of bases) {
    for (const { fact, value } of numericThresholds(definition)) {
      for (const delta of [-0.01, 0, 0.01]) out.push({ ...base, [fact]: Math.round((value + delta) * 100) / 100 });
    }
  }
  return out;
}

const all = templates;
const cases = all.flatMap((t) => t.versions.map((v, i) => [`${t.key} v${i + 1}`, t, i, v.definition] as const));

describe.each(cases)('%s', (_name, template, versionIndex, definition) => {
  it('compileFast agrees with createEvaluator on its test cases and around every threshold', async () => {
    const fast = compileFast(definition, template.facts, populationOptions(template, definition));
    const inputs = probes(template, definition);
    expect(inputs.length).toBeGreaterThanOrEqual(template.testCases.length);
    for (const facts of inputs) {
      const slow = await evaluate(template, facts, versionIndex);
      const quick = fast(facts);
      const quickTier = quick.tierIndex < 0 ? null : definition.tiers[quick.tierIndex].key;
      expect({ facts, eligible: quick.eligible, tier: quickTier, scores: quick.scores }).toEqual({
        facts,
        eligible: slow.eligible,
        tier: slow.tier?.key ?? null,
        scores: slow.scores,
      });
    }
  });
});
