// Issue 17 target 2: POST /api/evaluate/batch of 10,000 customers, every decision logged, on the real
// server (embedded PostgreSQL unless DATABASE_URL). BENCH_BATCHES requests one after another (after
// 2 warm-up ones); customers/s = customers answered ÷ wall time per request; the decision count must
// grow by every customer answered. Reference in the same run: the policy engine's json-rules-engine
// path (createEvaluator) over the same 10,000 customers in this process, and the compiled one.
// Two answers, alternating request by request: the default (trace and projection in every result) and the bulk
// opt-out `include: { trace: false, next: false }` (decisions logged in full either way).
// The clock stops when the answer's last byte is in: the client's JSON.parse of it is timed apart (withClientParse).
// BENCH_BASELINE=<another checkout, built>: its server too (e.g. main's), each request in turn, for old vs new in one run;
// BENCH_THIS=<checkout>: that one in the role `this` (the roles swapped)
// (the same checkout with BENCH_NODE_ARGS / BENCH_BASELINE_NODE_ARGS compares node flags).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { startServer } from './server.mjs';
import { cpuSpent, treeCpu } from './cpu.mjs';
import { cpuReferenceMs, decisionCount } from './evaluate-load.mjs';
const require = createRequire(import.meta.url);
const { createEvaluator, compileTraced } = require('@tierwise/policy-engine');

const BATCHES = Number(process.env.BENCH_BATCHES ?? 5);
const SIZE = 10_000;
const customers = Array.from({ length: SIZE }, (_, i) => ({
  customerId: `batch-${i}`,
  facts: { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 },
}));
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const loadBefore = os.loadavg();
// the machine's speed now (a fixed loop, ms): read the figures against it, before and after
const refBefore = cpuReferenceMs();
const file = JSON.parse(readFileSync(new URL('../../apps/api/templates/cib-card.policy.json', import.meta.url), 'utf8'));
const jre = createEvaluator(file.definition, file.catalog.facts);
let t = performance.now();
for (const c of customers) await jre.evaluate(c.facts);
const jrePerSec = Math.round(SIZE / ((performance.now() - t) / 1000));
const traced = compileTraced(file.definition, file.catalog.facts);
t = performance.now();
for (const c of customers) traced(c.facts);
const tracedPerSec = Math.round(SIZE / ((performance.now() - t) / 1000));

// BENCH_THIS=<another checkout, built>: it in the role `this` (e.g. the roles swapped: BENCH_THIS=<base> BENCH_BASELINE=<this checkout>)
const variants = [
  { name: 'this', root: process.env.BENCH_THIS },
  ...(process.env.BENCH_BASELINE ? [{ name: 'baseline', root: process.env.BENCH_BASELINE }] : []),
];
const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const servers = [];
try {
  // BENCH_NODE_ARGS / BENCH_BASELINE_NODE_ARGS: node flags for either server (e.g. GC settings), space-separated
  const flags = (x) => (x ? x.split(' ').filter(Boolean) : []);
  for (const v of variants)
    servers.push({
      ...v,
      server: await startServer({}, v.name === 'this' ? [...prof, ...flags(process.env.BENCH_NODE_ARGS)] : flags(process.env.BENCH_BASELINE_NODE_ARGS), v.root),
    });
  const bodies = {
    full: JSON.stringify({ policy: 'cib-card', customers }),
    lean: JSON.stringify({ policy: 'cib-card', customers, include: { trace: false, next: false } }),
  };
  for (const s of servers) {
    const { server } = s;
    s.token = await server.login('service');
    const auditor = await server.login('compliance');
    // counted exactly however many are logged (the list's own total is exact only to 10,000 beyond the page)
    s.count = () => decisionCount(server.url, auditor);
    // the API tree's CPU seconds (node, postgres) per kind: under load the wall time lies, the CPU a request costs does not
    s.cpu = { full: [], lean: [] };
    s.ms = { full: [], lean: [] };
    s.parsed = { full: [], lean: [] };
  }
  const post = async (s, kind, record) => {
    const c0 = treeCpu(s.server.child.pid);
    const t0 = performance.now();
    const res = await fetch(`${s.server.url}/api/evaluate/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: bodies[kind],
    });
    const text = await res.text();
    const wall = performance.now() - t0;
    const json = JSON.parse(text);
    const withParse = performance.now() - t0;
    if (res.status !== 200 || json.results.length !== SIZE) throw new Error(`batch answered ${res.status}`);
    if (record) {
      s.cpu[kind].push(cpuSpent(c0, treeCpu(s.server.child.pid)));
      s.ms[kind].push(wall);
      s.parsed[kind].push(withParse);
    }
  };
  for (const s of servers) for (const kind of ['full', 'lean', 'full', 'lean']) await post(s, kind, false);
  for (const s of servers) s.before = await s.count();
  for (let k = 0; k < BATCHES; k++)
    for (const s of k % 2 ? [...servers].reverse() : servers) for (const kind of k % 2 ? ['lean', 'full'] : ['full', 'lean']) await post(s, kind, true);
  const perServer = {};
  for (const s of servers) {
    const logged = (await s.count()) - s.before;
    if (logged !== 2 * BATCHES * SIZE) throw new Error(`${s.name}: ${2 * BATCHES * SIZE} answered, ${logged} logged`);
    const rate = (xs) => Math.round(SIZE / (median(xs) / 1000));
    perServer[s.name] = {
      checkout: s.root ?? 'this checkout',
      msPerRequest: { full: s.ms.full.map(Math.round), lean: s.ms.lean.map(Math.round) },
      customersPerSec: { full: rate(s.ms.full), lean: rate(s.ms.lean) },
      withClientParse: { full: rate(s.parsed.full), lean: rate(s.parsed.lean) },
      // server CPU seconds per request (median) and customers per server CPU-second (node + postgres)
      serverCpuPerRequest: Object.fromEntries(
        Object.entries(s.cpu).map(([k, xs]) => [k, { node: median(xs.map((x) => x.node)), postgres: median(xs.map((x) => x.postgres)) }]),
      ),
      // the mean: the CPU a request costs whichever request a major GC or the log's flush lands in (the median picks a mode)
      serverCpuMeanPerRequest: Object.fromEntries(
        Object.entries(s.cpu).map(([k, xs]) => [k, { node: +mean(xs.map((x) => x.node)).toFixed(3), postgres: +mean(xs.map((x) => x.postgres)).toFixed(3) }]),
      ),
      // every request's node CPU-s, in order (10 ms ticks: read the spread, not one value)
      nodeCpuPerRequest: Object.fromEntries(Object.entries(s.cpu).map(([k, xs]) => [k, xs.map((x) => x.node)])),
      customersPerServerCpuSec: Object.fromEntries(Object.entries(s.cpu).map(([k, xs]) => [k, Math.round(SIZE / median(xs.map((x) => x.total)))])),
      decisionsLogged: logged,
    };
  }
  console.log(
    JSON.stringify(
      {
        bench: 'evaluate-batch',
        customersPerRequest: SIZE,
        requestsOfEach: BATCHES,
        target: 100_000,
        ...perServer,
        inProcess: { jsonRulesEnginePerSec: jrePerSec, compiledTracedPerSec: tracedPerSec },
        loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
        cpuReferenceMs: { before: refBefore, after: cpuReferenceMs() },
      },
      null,
      1,
    ),
  );
} finally {
  for (const s of servers) await s.server.stop();
}
