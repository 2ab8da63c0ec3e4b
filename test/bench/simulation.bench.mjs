// Simulation at scale, against the real API (apps/api/dist/main.js, embedded PostgreSQL, templates
// seeded), on this machine:
//   1. CSV import of 1,000,000 customers (cib-card facts + district + age band, UTF-8 with BOM):
//      POST /api/datasets (multipart, streamed) → 201.
//   2. Simulation of a raised PLATINUM threshold (personal 300,000 → 500,000; candidate draft vs the
//      published baseline) over that dataset, grouped by district: POST /api/simulations → succeeded.
//      Peak memory of the API process (worker threads included) over the run.
//   3. The same simulation through plain json-rules-engine (one Engine per version, tiers as rules,
//      first matching tier wins) on the first 100,000 customers in this process, scaled ×10; the
//      per-customer results CSV of the run is checked against it row by row.
// Targets (issue 5, issue 17 target 3): import ≤ 15 s; simulation ≤ 5 s and ≤ 1 GB; ≥ 100× json-rules-engine.
// BENCH_CUSTOMERS=10000000 (issue 17 target 3): the CSV is generated to a file and imported by the
// streamed upload; json-rules-engine runs on BENCH_JRE_CUSTOMERS (100,000) of them, scaled; targets
// import ≤ 15 s, simulation ≤ 8 s and ≤ 1 GiB. Every step also reports the CPU seconds of the API's
// process tree (node with its threads, and PostgreSQL) from /proc: under load the wall time lies.
// Writes the figures to the "## Simulation" section of RESULTS.md (1M only; other sections untouched;
// BENCH_NO_WRITE=1 to only print them). BENCH_API_NODE_ARGS: node options of the API (e.g. --cpu-prof).
// BENCH_IMPORT_ONLY=1: the import alone (step 1), printed; BENCH_KEEP_CSV=1 keeps the generated file for the next run.
// BENCH_BASELINE=<another checkout, built> (e.g. /work/main): its API too, with its own import; simulation runs
// alternate between the two APIs and the result gains a `baseline` section (never written to RESULTS.md). With
// BENCH_IMPORT_ONLY=1: BENCH_RUNS pairs of imports of the same file, this API's and the baseline's, in alternating order.
// BENCH_ARGS_BOTH=1: BENCH_API_NODE_ARGS for the baseline's API too (e.g. --trace-gc with BENCH_SERVER_LOG, server.mjs).
import { createWriteStream, existsSync, openAsBlob, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSpent, treeCpu } from './cpu.mjs';
import { cpuReferenceMs } from './evaluate-load.mjs';
import { startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const { Random } = require('@tierwise/policy-engine');
const { Engine } = require('json-rules-engine');

const N = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const JRE_N = Math.min(N, Number(process.env.BENCH_JRE_CUSTOMERS ?? 100_000));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_IMPORT_ONLY=1: only step 1 (the CSV import), its figures printed (profiling the import). */
const IMPORT_ONLY = process.env.BENCH_IMPORT_ONLY === '1';
const TARGET_MS = N >= 10_000_000 ? 8000 : 5000;
const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** BENCH_BASELINE=<another checkout, built>: its API as well, the runs alternating (A/B in one run). */
const BASELINE = process.env.BENCH_BASELINE || null;
const here = path.dirname(fileURLToPath(import.meta.url));
const DISTRICTS = ['惠城区', '惠阳区', '博罗县', '惠东县', '仲恺区', '大亚湾区', '龙门县'];
const AGES = ['小于70后', '70后', '80后', '90后', '其它'];

/** The engine's seeded PRNG: log-normal assets (median 60,000), ~30% family cards, 2% without a valid ID. */
function customers(seed) {
  const r = new Random(seed);
  const next = () => r.next();
  const normal = () => r.normal();
  let i = 0;
  return () => {
    i++;
    const assets = Math.round(60_000 * Math.exp(1.6 * normal()) * 100) / 100;
    return {
      customerId: `B${String(i).padStart(7, '0')}`,
      avgDailyAssets: assets,
      familyAvgDailyAssets: next() < 0.3 ? Math.round(assets * Math.exp(0.6 * normal()) * 100) / 100 : null,
      hasValidId: next() >= 0.02,
      district: DISTRICTS[Math.floor(next() * next() * DISTRICTS.length)],
      ageCohort: AGES[Math.floor(next() * AGES.length)],
    };
  };
}

async function writeCsv(file) {
  const out = createWriteStream(file);
  const gen = customers(2026);
  out.write('\uFEFFcustomerId,avgDailyAssets,familyAvgDailyAssets,hasValidId,district,ageCohort\r\n');
  let batch = [];
  for (let i = 0; i < N; i++) {
    const c = gen();
    batch.push(`${c.customerId},${c.avgDailyAssets},${c.familyAvgDailyAssets ?? ''},${c.hasValidId},${c.district},${c.ageCohort}`);
    if (batch.length === 10_000) {
      if (!out.write(batch.join('\r\n') + '\r\n')) await once(out, 'drain');
      batch = [];
    }
  }
  if (batch.length) out.write(batch.join('\r\n') + '\r\n');
  out.end();
  await once(out, 'finish');
}

/** VmRSS / VmHWM of a process, in MiB; `clear_refs` 5 resets the high-water mark. */
const status = (pid) =>
  Object.fromEntries(
    [...readFileSync(`/proc/${pid}/status`, 'utf8').matchAll(/^(VmRSS|VmHWM):\s+(\d+) kB/gm)].map((m) => [m[1], Math.round(Number(m[2]) / 1024)]),
  );
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
function sampler(pid) {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, status(pid).VmRSS);
    } catch {
      /* exited */
    }
  }, 20);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

function bareEngine(definition) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, c] of Object.entries(definition.conditions ?? {})) engine.setCondition(name, c);
  if (definition.eligibility) engine.addRule({ name: '__eligibility', priority: 1000, conditions: definition.eligibility, event: { type: 'eligible' } });
  definition.tiers.forEach((t, i) => engine.addRule({ name: t.key, priority: 100 - i, conditions: t.when ?? { all: [] }, event: { type: 'tier' } }));
  return async (facts) => {
    const { results } = await engine.run(facts);
    if (definition.eligibility && !results.some((r) => r.name === '__eligibility')) return null;
    return definition.tiers.find((t) => results.some((r) => r.name === t.key))?.key ?? null;
  };
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The API of `root` (this checkout by default) with the dataset imported and the candidate draft created. */
async function prepare(file, root) {
  const server = await startServer({ LOG_LEVEL: 'warn', MAX_UPLOAD_MB: '4096' }, root && process.env.BENCH_ARGS_BOTH !== '1' ? [] : nodeArgs, root);
  const pid = server.child.pid;
  const token = await server.login('author');
  const auth = { authorization: `Bearer ${token}` };
  const api = async (method, url, body) => {
    const res = await fetch(`${server.url}/api${url}`, {
      method,
      headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${JSON.stringify(json).slice(0, 400)}`);
    return json;
  };

  // 1. CSV import.
  resetPeak(pid);
  const stop = sampler(pid);
  const cpu0 = treeCpu(pid);
  const form = new FormData();
  form.append('file', await openAsBlob(file, { type: 'text/csv' }), path.basename(file));
  const t0 = performance.now();
  const upload = await fetch(`${server.url}/api/datasets?name=bench-${N}`, { method: 'POST', headers: auth, body: form });
  const dataset = await upload.json();
  const importMs = performance.now() - t0;
  const importCpu = cpuSpent(cpu0, treeCpu(pid));
  if (upload.status !== 201) throw new Error(`upload → ${upload.status}: ${JSON.stringify(dataset).slice(0, 400)}`);
  const importPeak = Math.max(stop(), status(pid).VmHWM ?? 0);
  const imported = { ms: Math.round(importMs), cpu: importCpu, rowsPerSec: Math.round(N / (importMs / 1000)), peakRssMiB: importPeak, target: '≤ 15,000 ms' };
  if (IMPORT_ONLY) return { server, pid, auth, api, dataset, imported };

  // 2. Candidate: PLATINUM personal 300,000 → 500,000.
  const [card] = (await api('GET', `/policies?filter=${encodeURIComponent('{"q":"cib-card"}')}`)).filter((p) => p.key === 'cib-card');
  const active = await api('GET', `/policy-versions/${card.activeVersionId}`);
  const definition = structuredClone(active.definition);
  definition.conditions.platinumAssets.any.find((l) => l.fact === 'avgDailyAssets').value = 500_000;
  const draft = await api('POST', `/policies/${card.id}/versions`, { definition, changeNote: 'bench: PLATINUM 300,000 → 500,000' });
  return { server, pid, auth, api, dataset, imported, active, definition, draft };
}

/** One simulation run on a prepared API, polled every 20 ms until it ends. */
async function simulate({ pid, api, dataset, draft }) {
  resetPeak(pid);
  const stop = sampler(pid);
  const cpu0 = treeCpu(pid);
  const load = loadavg();
  const t0 = performance.now();
  const created = await api('POST', '/simulations', { candidateVersionId: draft.id, datasetId: dataset.id, groupBy: ['district'] });
  let sim;
  let polls = 0;
  const progress = [];
  for (;;) {
    sim = await api('GET', `/simulations/${created.id}`);
    polls++;
    if (sim.status === 'running' && (progress.at(-1)?.done ?? -1) !== sim.progress.done)
      progress.push({ atMs: Math.round(performance.now() - t0), done: sim.progress.done });
    if (!['queued', 'running'].includes(sim.status)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  const cpu = cpuSpent(cpu0, treeCpu(pid));
  const peak = Math.max(stop(), status(pid).VmHWM ?? 0);
  if (sim.status !== 'succeeded') throw new Error(`simulation ${sim.status}: ${sim.error}`);
  return {
    id: sim.id,
    ms: Math.round(ms),
    cpu,
    load: [load, loadavg()],
    peakRssMiB: peak,
    evaluationMs: sim.result.evaluationMs,
    timings: sim.result.timings,
    progressSeen: progress.length,
    polls,
  };
}

const medianOf = (runs) => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];

async function main() {
  const loadBefore = loadavg();
  const cpuRefBefore = IMPORT_ONLY ? cpuReferenceMs() : null;
  const file = path.join(os.tmpdir(), `tierwise-bench-${N}.csv`);
  if (!existsSync(file)) await writeCsv(file);
  const bytes = statSync(file).size;
  if (IMPORT_ONLY && BASELINE) return importAB(file, bytes, loadBefore, cpuRefBefore);
  const ctx = await prepare(file);
  // BENCH_BASELINE=<another checkout, built> (e.g. main's): its API too, with its own import of the same file; the
  // simulation runs alternate between the two (this first, then baseline first, …), for old vs new in one run.
  let base = null;
  try {
    if (BASELINE && !IMPORT_ONLY) base = await prepare(file, BASELINE);
    if (IMPORT_ONLY) {
      const result = {
        loadAverage: { before: loadBefore, after: loadavg() },
        cpuReferenceMs: { before: cpuRefBefore, after: cpuReferenceMs() },
        customers: N,
        csvBytes: bytes,
        rowCount: ctx.dataset.rowCount,
        import: ctx.imported,
      };
      console.log(JSON.stringify(result, null, 2));
      if (ctx.dataset.rowCount !== N || result.import.ms > 15_000) process.exitCode = 1;
      return;
    }
    const { server, auth, api, active, definition } = ctx;

    const runs = [];
    const baseRuns = [];
    for (let run = 0; run < RUNS; run++) {
      if (base && run % 2 === 1) baseRuns.push(await simulate(base));
      runs.push(await simulate(ctx));
      if (base && run % 2 === 0) baseRuns.push(await simulate(base));
    }
    const sim = await api('GET', `/simulations/${runs[0].id}`);
    const r = sim.result;

    // The run's per-customer CSV (its first JRE_N rows checked against json-rules-engine below,
    // customer by customer), streamed: at 10M it is larger than a string can be. Fetched before the
    // long json-rules-engine phase, while the connection is fresh.
    const cpu0 = treeCpu(ctx.pid);
    let t0 = performance.now();
    const csv = await fetch(`${server.url}/api/simulations/${runs[0].id}/results.csv`, { headers: auth });
    if (csv.status !== 200) throw new Error(`results.csv → ${csv.status}`);
    const head = [];
    let csvLines = 0;
    let rest = '';
    const decoder = new TextDecoder(); // strips the BOM
    for await (const bytes of csv.body) {
      const text = rest + decoder.decode(bytes, { stream: true });
      let from = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
        if (csvLines <= JRE_N) head.push(text.slice(from, nl));
        csvLines++;
        from = nl + 1;
      }
      rest = text.slice(from);
    }
    if (rest) csvLines++;
    const csvMs = performance.now() - t0;
    const csvCpu = cpuSpent(cpu0, treeCpu(ctx.pid));
    // 3. json-rules-engine, same versions, first JRE_N customers of the same data, sequentially.
    const baseEngine = bareEngine(active.definition);
    const cand = bareEngine(definition);
    const gen = customers(2026);
    const sample = Array.from({ length: JRE_N }, () => {
      const c = gen();
      const facts = { avgDailyAssets: c.avgDailyAssets, hasValidId: c.hasValidId };
      if (c.familyAvgDailyAssets !== null) facts.familyAvgDailyAssets = c.familyAvgDailyAssets;
      return { id: c.customerId, facts };
    });
    for (let i = 0; i < 2000; i++) await baseEngine(sample[i % sample.length].facts); // warm up
    const jreTiers = new Array(JRE_N);
    t0 = performance.now();
    const matrix = {};
    for (let i = 0; i < JRE_N; i++) {
      const b = await baseEngine(sample[i].facts);
      const c = await cand(sample[i].facts);
      jreTiers[i] = [b, c];
      const row = (matrix[String(b)] ??= {});
      row[String(c)] = (row[String(c)] ?? 0) + 1;
    }
    const jreMs = performance.now() - t0;

    let mismatches = 0;
    for (let i = 0; i < JRE_N; i++) {
      const [, id, b, c] = head[i + 1].split(',');
      if (id !== sample[i].id || (b || null) !== jreTiers[i][0] || (c || null) !== jreTiers[i][1]) mismatches++;
    }

    const sorted = [...runs].sort((a, b) => a.ms - b.ms);
    const median = medianOf(runs);
    const slowest = sorted.at(-1);
    const jreScaledMs = jreMs * (N / JRE_N);
    const result = {
      loadAverage: { before: loadBefore, after: loadavg() },
      customers: N,
      csvBytes: bytes,
      import: ctx.imported,
      simulation: {
        runs,
        firstMs: runs[0].ms,
        medianMs: median.ms,
        slowestMs: slowest.ms,
        peakRssMiB: Math.max(...runs.map((x) => x.peakRssMiB)),
        target: `≤ ${TARGET_MS.toLocaleString('en-US')} ms, ≤ 1,024 MiB`,
        rowsPerSecMedian: Math.round(N / (median.ms / 1000)),
        movement: { upgrades: r.upgrades, downgrades: r.downgrades, unchanged: r.unchanged },
        platinumToGold: r.matrix.PLATINUM.GOLD,
        costChange: r.cost?.change,
        groups: r.groups.length,
      },
      ...(base
        ? {
            baseline: {
              root: BASELINE,
              import: base.imported,
              runs: baseRuns,
              medianMs: medianOf(baseRuns).ms,
              medianCpu: [...baseRuns.map((x) => x.cpu.total)].sort((a, b) => a - b)[Math.floor(baseRuns.length / 2)],
              thisMedianCpu: [...runs.map((x) => x.cpu.total)].sort((a, b) => a - b)[Math.floor(runs.length / 2)],
              thisOverBaselineMs: Math.round((median.ms / medianOf(baseRuns).ms) * 100) / 100,
              speedupMedian: Math.round(jreScaledMs / medianOf(baseRuns).ms),
            },
          }
        : {}),
      jsonRulesEngine: {
        customers: JRE_N,
        ms: Math.round(jreMs),
        perSec: Math.round(JRE_N / (jreMs / 1000)),
        scaledTo: N,
        scaledMs: Math.round(jreScaledMs),
        target: '≥ 100×',
      },
      speedup: {
        median: Math.round(jreScaledMs / median.ms),
        firstRun: Math.round(jreScaledMs / runs[0].ms),
        slowestRun: Math.round(jreScaledMs / slowest.ms),
      },
      resultsCsv: { ms: Math.round(csvMs), cpu: csvCpu, lines: csvLines - 1, checkedAgainstJsonRulesEngine: JRE_N, mismatches },
    };
    console.log(JSON.stringify(result, null, 2));
    const ok =
      result.import.ms <= 15_000 &&
      slowest.ms <= TARGET_MS &&
      result.simulation.peakRssMiB <= 1024 &&
      (N !== 1_000_000 || result.speedup.median >= 100) &&
      mismatches === 0 &&
      result.resultsCsv.lines === N;
    if (N === 1_000_000 && !base && process.env.BENCH_NO_WRITE !== '1') writeSection(result, ok);
    if (!ok) process.exitCode = 1;
  } finally {
    await ctx.server.stop();
    await base?.server.stop();
    if (process.env.BENCH_KEEP_CSV !== '1') rmSync(file, { force: true });
  }
}

/**
 * BENCH_IMPORT_ONLY=1 with BENCH_BASELINE: BENCH_RUNS pairs of imports of the same file, this API's and the
 * baseline's, the order alternating (this first, then the baseline first, …), one server at a time.
 */
async function importAB(file, bytes, loadBefore, cpuRefBefore) {
  const runs = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const root of run % 2 === 0 ? [undefined, BASELINE] : [BASELINE, undefined]) {
        const load = loadavg();
        const ctx = await prepare(file, root);
        await ctx.server.stop();
        if (ctx.dataset.rowCount !== N) throw new Error(`${root ?? 'this'}: ${ctx.dataset.rowCount} rows imported`);
        runs.push({ api: root ? 'baseline' : 'this', load: [load, loadavg()], ...ctx.imported });
      }
    }
  } finally {
    if (process.env.BENCH_KEEP_CSV !== '1') rmSync(file, { force: true });
  }
  const median = (api, f) => {
    const xs = runs
      .filter((r) => r.api === api)
      .map(f)
      .sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)];
  };
  const summary = Object.fromEntries(
    ['this', 'baseline'].map((api) => [
      api,
      { ms: median(api, (r) => r.ms), nodeCpu: median(api, (r) => r.cpu.node), postgresCpu: median(api, (r) => r.cpu.postgres) },
    ]),
  );
  const result = {
    loadAverage: { before: loadBefore, after: loadavg() },
    cpuReferenceMs: { before: cpuRefBefore, after: cpuReferenceMs() },
    customers: N,
    csvBytes: bytes,
    baseline: BASELINE,
    medians: summary,
    runs,
  };
  console.log(JSON.stringify(result, null, 2));
}

function writeSection(r, ok) {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model;
  const f = (n) => n.toLocaleString('en-US');
  const section = `## Simulation

\`npm run bench -- simulation\` (in \`test/\`; or \`node test/bench/simulation.bench.mjs\` after a build) — ${new Date().toISOString().slice(0, 10)}, ${ok ? 'every target met' : '**a target was missed**'} (time and memory: every run; speed-up: the median of 3 runs — the first, cold run is shown beside it).
Machine: ${os.cpus().length} cores (nproc ${os.availableParallelism()}), ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; the API as \`npm start\` runs it (embedded PostgreSQL 18, 2 simulation threads). Load average before / after: ${r.loadAverage.before} / ${r.loadAverage.after} (other work was running on the machine).

| what | measured | target |
|---|---|---|
| CSV import, ${f(r.customers)} rows (${(r.csvBytes / 2 ** 20).toFixed(1)} MiB, UTF-8 BOM), POST → 201 | **${f(r.import.ms)} ms** (${f(r.import.rowsPerSec)} rows/s), API peak RSS ${r.import.peakRssMiB} MiB | ≤ 15,000 ms |
| simulation, ${f(r.customers)} customers, candidate vs baseline, groupBy district, POST → succeeded, 3 runs | median **${f(r.simulation.medianMs)} ms**, first (cold) ${f(r.simulation.firstMs)} ms, slowest ${f(r.simulation.slowestMs)} ms; API peak RSS (threads included) **${r.simulation.peakRssMiB} MiB** | ≤ 5,000 ms, ≤ 1 GiB |
| plain json-rules-engine, same two versions, ${f(r.jsonRulesEngine.customers)} customers, sequential | ${f(r.jsonRulesEngine.ms)} ms (${f(r.jsonRulesEngine.perSec)} customers/s) → ×${r.customers / r.jsonRulesEngine.customers} = ${f(r.jsonRulesEngine.scaledMs)} ms | |
| speed-up of the simulation over json-rules-engine | median **${r.speedup.median}×** (first run ${r.speedup.firstRun}×, slowest ${r.speedup.slowestRun}×) | ≥ 100× |
| results CSV, ${f(r.resultsCsv.lines)} lines, GET → end | ${f(r.resultsCsv.ms)} ms; first ${f(r.resultsCsv.checkedAgainstJsonRulesEngine)} rows vs json-rules-engine: ${r.resultsCsv.mismatches} mismatches | |

The run: ${f(r.simulation.movement.downgrades)} downgrades (PLATINUM → GOLD ${f(r.simulation.platinumToGold)}), ${f(r.simulation.movement.upgrades)} upgrades, ${f(r.simulation.movement.unchanged)} unchanged; benefit cost change ${r.simulation.costChange?.toLocaleString('en-US')} CNY; ${r.simulation.groups} districts. The json-rules-engine side runs in the benchmark process on in-memory facts (no database), so the ratio is conservative.
`;
  const file = path.join(here, 'RESULTS.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = text.indexOf('## Simulation\n');
  if (start === -1) {
    text = text.trimEnd() + '\n\n' + section;
  } else {
    const next = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start) + section + (next === -1 ? '' : text.slice(next + 1));
  }
  writeFileSync(file, text);
}

await main();
