// Issue 17 target 2: POST /api/evaluate/batch of 10,000 customers, every decision logged, on the real
// server (embedded PostgreSQL unless DATABASE_URL). BENCH_BATCHES requests one after another (after
// 2 warm-up ones); customers/s = customers answered ÷ wall time per request; the decision count must
// grow by every customer answered. Reference in the same run: the policy engine's json-rules-engine
// path (createEvaluator) over the same 10,000 customers in this process, and the compiled one.
// Two answers, alternating request by request: the default (trace and projection in every result) and the bulk
// opt-out `include: { trace: false, next: false }` (decisions logged in full either way).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { startServer } from './server.mjs';
import { cpuSpent, treeCpu } from './cpu.mjs';
const require = createRequire(import.meta.url);
const { createEvaluator, compileTraced } = require('@tierwise/policy-engine');

const BATCHES = Number(process.env.BENCH_BATCHES ?? 5);
const SIZE = 10_000;
const customers = Array.from({ length: SIZE }, (_, i) => ({
  customerId: `batch-${i}`,
  facts: { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 },
}));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const loadBefore = os.loadavg();
const file = JSON.parse(readFileSync(new URL('../../apps/api/templates/cib-card.policy.json', import.meta.url), 'utf8'));
const jre = createEvaluator(file.definition, file.catalog.facts);
let t = performance.now();
for (const c of customers) await jre.evaluate(c.facts);
const jrePerSec = Math.round(SIZE / ((performance.now() - t) / 1000));
const traced = compileTraced(file.definition, file.catalog.facts);
t = performance.now();
for (const c of customers) traced(c.facts);
const tracedPerSec = Math.round(SIZE / ((performance.now() - t) / 1000));

const server = await startServer({}, process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);
try {
  const token = await server.login('service');
  const auditor = await server.login('compliance');
  const count = async () =>
    Number(
      /\/(\d+)$/.exec(
        (await fetch(`${server.url}/api/decisions?range=${encodeURIComponent('[0,0]')}`, { headers: { authorization: `Bearer ${auditor}` } })).headers.get(
          'content-range',
        ) ?? '',
      )?.[1],
    );
  const bodies = {
    full: JSON.stringify({ policy: 'cib-card', customers }),
    lean: JSON.stringify({ policy: 'cib-card', customers, include: { trace: false, next: false } }),
  };
  // the API tree's CPU seconds (node, postgres) per kind: under load the wall time lies, the CPU a request costs does not
  const cpu = { full: [], lean: [] };
  const post = async (body, kind) => {
    const c0 = treeCpu(server.child.pid);
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/evaluate/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const json = await res.json();
    if (res.status !== 200 || json.results.length !== SIZE) throw new Error(`batch answered ${res.status}`);
    const wall = performance.now() - t0;
    if (kind) cpu[kind].push(cpuSpent(c0, treeCpu(server.child.pid)));
    return wall;
  };
  for (const body of [bodies.full, bodies.lean, bodies.full, bodies.lean]) await post(body);
  const before = await count();
  const ms = { full: [], lean: [] };
  for (let k = 0; k < BATCHES; k++) for (const kind of k % 2 ? ['lean', 'full'] : ['full', 'lean']) ms[kind].push(await post(bodies[kind], kind));
  const logged = (await count()) - before;
  if (logged !== 2 * BATCHES * SIZE) throw new Error(`${2 * BATCHES * SIZE} answered, ${logged} logged`);
  console.log(
    JSON.stringify(
      {
        bench: 'evaluate-batch',
        customersPerRequest: SIZE,
        requestsOfEach: BATCHES,
        msPerRequest: { full: ms.full.map(Math.round), lean: ms.lean.map(Math.round) },
        customersPerSec: { full: Math.round(SIZE / (median(ms.full) / 1000)), lean: Math.round(SIZE / (median(ms.lean) / 1000)) },
        target: 100_000,
        // server CPU seconds per request (median) and customers per server CPU-second (node + postgres)
        serverCpuPerRequest: Object.fromEntries(
          Object.entries(cpu).map(([k, xs]) => [k, { node: median(xs.map((x) => x.node)), postgres: median(xs.map((x) => x.postgres)) }]),
        ),
        customersPerServerCpuSec: Object.fromEntries(Object.entries(cpu).map(([k, xs]) => [k, Math.round(SIZE / median(xs.map((x) => x.total)))])),
        decisionsLogged: logged,
        inProcess: { jsonRulesEnginePerSec: jrePerSec, compiledTracedPerSec: tracedPerSec },
        loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
      },
      null,
      1,
    ),
  );
} finally {
  await server.stop();
}
