// Single-evaluation latency of the cib-card template through @tierwise/policy-engine (createEvaluator:
// json-rules-engine + trace), next to a bare json-rules-engine run of the same rules, and the
// compiled evaluator. One customer at a time, sequentially: the latency a single API call pays.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { createEvaluator, compileFast } = require('@tierwise/policy-engine');
const { Engine } = require('json-rules-engine');

const N = Number(process.env.BENCH_EVALS ?? 20_000);
// the shipped template's policy file (apps/api/templates)
const file = JSON.parse(readFileSync(new URL('../../apps/api/templates/cib-card.policy.json', import.meta.url), 'utf8'));
const def = file.definition;
const template = { facts: file.catalog.facts };
const customers = Array.from({ length: 1000 }, (_, i) => ({
  avgDailyAssets: (i * 37_123) % 1_500_000,
  familyAvgDailyAssets: (i * 11_311) % 900_000,
  hasValidId: i % 17 !== 0,
}));

function stats(ns) {
  const s = [...ns].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] / 1000;
  return {
    medianUs: +q(0.5).toFixed(1),
    p99Us: +q(0.99).toFixed(1),
    meanUs: +(s.reduce((a, b) => a + b, 0) / s.length / 1000).toFixed(1),
    perSec: Math.round(1e9 / (s.reduce((a, b) => a + b, 0) / s.length)),
  };
}

async function measure(fn) {
  for (let i = 0; i < 2000; i++) await fn(customers[i % customers.length]); // warm up
  const ns = new Array(N);
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await fn(customers[i % customers.length]);
    ns[i] = Number(process.hrtime.bigint() - t);
  }
  return stats(ns);
}

// Bare json-rules-engine: the same tiers as rules with descending priority, eligibility first;
// the first tier whose rule holds wins (no trace, no explanation). One engine, reused.
const engine = new Engine([], { allowUndefinedFacts: true });
const named = def.conditions ?? {};
for (const [name, c] of Object.entries(named)) engine.setCondition(name, c);
if (def.eligibility) engine.addRule({ name: '__eligibility', priority: 1000, conditions: def.eligibility, event: { type: 'eligible' } });
def.tiers.forEach((t, i) =>
  engine.addRule({ name: t.key, priority: 100 - i, conditions: t.when ?? { all: [] }, event: { type: 'tier', params: { key: t.key } } }),
);
async function bare(facts) {
  const { results } = await engine.run(facts);
  const eligible = !def.eligibility || results.some((r) => r.name === '__eligibility');
  return eligible ? (def.tiers.find((t) => results.some((r) => r.name === t.key))?.key ?? null) : null;
}

const evaluator = createEvaluator(def, template.facts);
const fast = compileFast(def, template.facts);

// The three agree on every customer before anything is timed.
for (const c of customers) {
  const a = (await evaluator.evaluate(c)).tier?.key ?? null;
  const b = await bare(c);
  const f = fast(c).tierIndex;
  if (a !== b || a !== (f < 0 ? null : def.tiers[f].key)) throw new Error(`disagreement on ${JSON.stringify(c)}: ${a} / ${b} / ${f}`);
}

const result = {
  template: 'cib-card',
  evaluations: N,
  policyEngine: await measure((c) => evaluator.evaluate(c)),
  bareJsonRulesEngine: await measure(bare),
  compiled: await measure((c) => fast(c)),
};
result.ratioPolicyEngineToBare = +(result.policyEngine.medianUs / result.bareJsonRulesEngine.medianUs).toFixed(2);
result.compiledSpeedupOverBare = Math.round(result.compiled.perSec / result.bareJsonRulesEngine.perSec);
console.log(JSON.stringify(result, null, 2));
