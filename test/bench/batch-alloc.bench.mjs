// Issue 17 target 2, in process: how many MB of heap each part of a 10,000-customer cib-card batch allocates — the
// trace's text (compileTraceJson), the projection, the compiled evaluation, and writing the lean and the full answer
// (batch-answer.ts, the trace written as text). Run with scavenges kept out of the window, so heap growth is allocation:
//   node --expose-gc --max-semi-space-size=1024 --min-semi-space-size=1024 test/bench/batch-alloc.bench.mjs
// (a GC during a phase would make its figure too low: the third pass is printed). Needs the API built (apps/api/dist).
import { createRequire } from 'node:module';
import fs from 'node:fs';
const require = createRequire(import.meta.url);
const { compileFast, compileTraceJson, createProjector, tierOutcome } = require('@tierwise/policy-engine');
const { batchAnswerWriter } = require('../../apps/api/dist/evaluation/batch-answer.js');
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc (and the semi-space flags above)');
const file = JSON.parse(fs.readFileSync(new URL('../../apps/api/templates/cib-card.policy.json', import.meta.url), 'utf8'));
const def = file.definition,
  facts = file.catalog.facts;
const projector = createProjector(def, facts);
const p = {
  version: { id: '0b7c8d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e', number: 3, rollout: null },
  definition: def,
  catalog: { facts, packages: {} },
  projector: () => projector,
};
const fast = compileFast(def, facts);
const tj = compileTraceJson(def, facts);
const customers = Array.from({ length: 10000 }, (_, i) => ({
  avgDailyAssets: (i * 37_123) % 1_500_000,
  familyAvgDailyAssets: (i * 11_311) % 900_000,
  hasValidId: i % 17 !== 0,
}));
const at = new Date();
const results = customers.map((f, i) => {
  const o = fast(f);
  const r = { eligible: o.eligible, tier: o.tierIndex < 0 ? null : tierOutcome(def.tiers[o.tierIndex], o.tierIndex), scores: o.scores, trace: [] };
  return { p, r, facts: f, customerId: `c${i}`, decisionId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', evaluatedAt: at, rolloutStep: null, cutoffs: undefined };
});
const write = (options) => {
  const w = batchAnswerWriter({ policyKey: 'cib-card', version: p.version, explain: false, ...options });
  w.results(results, 0, results.length);
  return w.done();
};
const phases = {
  traceText: () => customers.forEach((f) => tj(f)),
  projection: () => customers.forEach((f) => projector(f)),
  compiledEvaluation: () => customers.forEach((f) => fast(f)),
  writeLean: () => write({ include: { trace: false, next: false } }),
  writeFull: () => write({ traceJson: tj }),
};
const mb = {};
for (let k = 0; k < 3; k++)
  for (const [name, run] of Object.entries(phases)) {
    globalThis.gc();
    const h0 = process.memoryUsage().heapUsed;
    run();
    if (k === 2) mb[name] = +((process.memoryUsage().heapUsed - h0) / 1e6).toFixed(1);
  }
console.log(JSON.stringify({ bench: 'batch-alloc', mbAllocatedPer10000: mb }));
