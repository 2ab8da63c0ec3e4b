// Issue 17 target 2, in process: the projection (`next`, contract §9) of 10,000 customers — what a full batch answer
// computes per customer — with this checkout's engine and, with BENCH_BASELINE=<another checkout, built>, that one's, in
// turn (order reversed every round), CPU ms of this process per 10,000 (process.cpuUsage: GC included), medians and
// quartiles of BENCH_ROUNDS (20); the projections checked equal. BENCH_TEMPLATE: the policy (cib-card; its facts
// generated as the batch bench's, other templates from their test cases, repeated). Prints the CPU reference.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { cpuReferenceMs } from './evaluate-load.mjs';
const require = createRequire(import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const key = process.env.BENCH_TEMPLATE ?? 'cib-card';
const file = JSON.parse(fs.readFileSync(new URL(`../../apps/api/templates/${key}.policy.json`, import.meta.url), 'utf8'));
const customers =
  key === 'cib-card'
    ? Array.from({ length: 10000 }, (_, i) => ({
        avgDailyAssets: (i * 37_123) % 1_500_000,
        familyAvgDailyAssets: (i * 11_311) % 900_000,
        hasValidId: i % 17 !== 0,
      }))
    : Array.from({ length: 10000 }, (_, i) => file.testCases[i % file.testCases.length].facts);
const refBefore = cpuReferenceMs();
const loadBefore = os.loadavg();
const engines = [['this', require('@tierwise/policy-engine')]];
if (process.env.BENCH_BASELINE) engines.push(['baseline', require(`${process.env.BENCH_BASELINE.replace(/\/$/, '')}/packages/policy-engine/dist/index.js`)]);
const projectors = engines.map(([name, e]) => [name, e.createProjector(file.definition, file.catalog.facts)]);
const first = customers.map(projectors[0][1]);
for (const [name, p] of projectors.slice(1)) if (!customers.every((c, i) => isDeepStrictEqual(p(c), first[i]))) throw new Error(`${name}: projections differ`);
const cpu = {};
for (let k = 0; k <= ROUNDS; k++)
  for (const [name, p] of k % 2 ? [...projectors].reverse() : projectors) {
    const c0 = process.cpuUsage();
    for (const c of customers) p(c);
    const c = process.cpuUsage(c0);
    if (k > 0) (cpu[name] ??= []).push((c.user + c.system) / 1000);
  }
const sorted = (xs) => [...xs].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    bench: 'projection',
    template: key,
    cpuMsPer10000: Object.fromEntries(
      Object.entries(cpu).map(([n, xs]) => {
        const s = sorted(xs);
        return [
          n,
          { median: +s[s.length >> 1].toFixed(1), quartiles: [+s[Math.floor(s.length / 4)].toFixed(1), +s[Math.floor((3 * s.length) / 4)].toFixed(1)] },
        ];
      }),
    ),
    cpuReferenceMs: { before: refBefore, after: cpuReferenceMs() },
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
  }),
);
