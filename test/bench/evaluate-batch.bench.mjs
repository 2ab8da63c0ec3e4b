// Issue 17 target 2: POST /api/evaluate/batch of 10,000 customers, every decision logged, on the real
// server (embedded PostgreSQL unless DATABASE_URL). BENCH_BATCHES requests one after another (after
// 2 warm-up ones); customers/s = customers answered ÷ wall time per request; the decision count must
// grow by every customer answered. Reference in the same run: the policy engine's json-rules-engine
// path (createEvaluator) over the same 10,000 customers in this process, and the compiled one.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { startServer } from './server.mjs';
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
  const body = JSON.stringify({ policy: 'cib-card', customers });
  const post = async () => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/evaluate/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const json = await res.json();
    if (res.status !== 200 || json.results.length !== SIZE) throw new Error(`batch answered ${res.status}`);
    return performance.now() - t0;
  };
  await post();
  await post();
  const before = await count();
  const ms = [];
  for (let k = 0; k < BATCHES; k++) ms.push(await post());
  const logged = (await count()) - before;
  if (logged !== BATCHES * SIZE) throw new Error(`${BATCHES * SIZE} answered, ${logged} logged`);
  console.log(
    JSON.stringify(
      {
        bench: 'evaluate-batch',
        customersPerRequest: SIZE,
        requests: BATCHES,
        msPerRequest: ms.map(Math.round),
        customersPerSec: Math.round(SIZE / (median(ms) / 1000)),
        target: 100_000,
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
