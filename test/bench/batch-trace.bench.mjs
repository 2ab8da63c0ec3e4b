// Issue 17 target 2, in process: a 10,000-customer cib-card batch evaluated and its answer written with the trace, as
// the route does — `objects`: the compiled evaluator's trace objects (compileTraced) held from the evaluation to the
// answer and serialised by JSON.stringify (before), `text`: the outcome from compileFast, each trace written as JSON
// text by compileTraceJson as its result is written (batch-answer.ts's `traceJson`, now) — for the full
// answer (trace + projection) and the trace-only one (`include.next: false`). Same bytes checked. CPU ms of this
// process per 10,000 (process.cpuUsage: GC included), the two alternated, order reversed every round; medians of
// BENCH_ROUNDS (20). Needs the API built (apps/api/dist). Prints the CPU reference (evaluate-load.mjs) before and after.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { cpuReferenceMs } from './evaluate-load.mjs';
import { cibCardVersion } from './cib-card-version.mjs';
const require = createRequire(import.meta.url);
const engine = require('@tierwise/policy-engine');
const { compileFast, compileTraceJson, compileTraced, tierOutcome } = engine;
const { batchAnswerWriter } = require('../../apps/api/dist/evaluation/batch-answer.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const refBefore = cpuReferenceMs();
const loadBefore = os.loadavg();
const { def, facts, p } = cibCardVersion(engine);
const traced = compileTraced(def, facts);
const tj = compileTraceJson(def, facts);
const fast = compileFast(def, facts);
const customers = JSON.parse(
  JSON.stringify(
    Array.from({ length: 10000 }, (_, i) => ({
      customerId: `batch-${i}`,
      facts: { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 },
    })),
  ),
);
const ids = customers.map(() => randomUUID());
const at = new Date();
const NO_TRACE = [];
const answer = (mode, include) => {
  const results = new Array(customers.length);
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i];
    let r;
    if (mode === 'objects') r = traced(c.facts, {});
    else {
      const o = fast(c.facts, {});
      r = { eligible: o.eligible, tier: o.tierIndex < 0 ? null : tierOutcome(def.tiers[o.tierIndex], o.tierIndex), scores: o.scores, trace: NO_TRACE };
    }
    results[i] = { p, r, facts: c.facts, customerId: c.customerId, decisionId: ids[i], evaluatedAt: at, rolloutStep: null, cutoffs: undefined };
  }
  const w = batchAnswerWriter({ policyKey: 'cib-card', version: p.version, explain: false, include, traceJson: mode === 'text' ? tj : undefined });
  for (let a = 0; a < results.length; a += 1000) w.results(results, a, a + 1000);
  return w.done();
};
const cpu = {};
for (const [kind, include] of [
  ['full', undefined],
  ['traceOnly', { next: false }],
]) {
  if (!answer('objects', include).equals(answer('text', include))) throw new Error(`${kind}: the answers differ`);
  for (let k = 0; k <= ROUNDS; k++)
    for (const mode of k % 2 ? ['text', 'objects'] : ['objects', 'text']) {
      const c0 = process.cpuUsage();
      answer(mode, include);
      const c = process.cpuUsage(c0);
      if (k > 0) ((cpu[kind] ??= {})[mode] ??= []).push((c.user + c.system) / 1000);
    }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const range = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [+s[Math.floor(s.length * 0.25)].toFixed(1), +s[Math.floor(s.length * 0.75)].toFixed(1)];
};
console.log(
  JSON.stringify({
    bench: 'batch-trace',
    cpuMsPer10000: Object.fromEntries(
      Object.entries(cpu).map(([k, v]) => [
        k,
        Object.fromEntries(Object.entries(v).map(([m, xs]) => [m, { median: +med(xs).toFixed(1), quartiles: range(xs) }])),
      ]),
    ),
    bytes: { full: answer('text').length, traceOnly: answer('text', { next: false }).length },
    cpuReferenceMs: { before: refBefore, after: cpuReferenceMs() },
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
  }),
);
