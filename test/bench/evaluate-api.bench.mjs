// POST /api/evaluate on the cib-card template: autocannon against the real server
// (apps/api/dist/main.js) on real (embedded) PostgreSQL, every decision logged — and, for the
// ratio, the same server started with DECISION_LOG=off (identical path; the decision is just not
// written). Both servers run side by side and are loaded in turn, round after round, so a slow
// spell of this shared machine affects both alike.
//
// For each number of connections in BENCH_CONNECTIONS (closed loop: each connection sends its next
// request when the previous one is answered), BENCH_ROUNDS runs of BENCH_SECONDS per server;
// medians are reported. The logged server's decision count (GET /api/decisions) must grow by the
// number of 200 answers (plus at most the requests in flight when a run stops), or the run fails.
// A fixed CPU loop is timed before and after, so results can be read against the machine's speed.
//
// Issue 17: a third contender, loaded in turn with the two (BENCH_BARE=0 leaves it out) — the bare
// Fastify + json-rules-engine service a team would write by hand (bare-service.mjs: no auth, no log,
// same ladder); logged ÷ bare is the "at least what a team would write" ratio. BENCH_CPU_PROF=<dir>
// runs the logged server under node --cpu-prof (the profile is written when it stops).
//
// BENCH_BASELINE=<another checkout, built> (e.g. the session's starting build): that build's logged server as a
// fourth contender, loaded in turn with the others, for old vs new in one run; BENCH_NODE_ARGS /
// BENCH_BASELINE_NODE_ARGS: node flags for this build's logged server / the baseline's (space-separated; the same
// checkout as baseline then compares node flags); BENCH_ENV / BENCH_BASELINE_ENV: extra environment for either
// (JSON, e.g. '{"DECISION_LOG_BATCH":"64"}'). For every contender, the CPU seconds its process tree spent
// during each run (cpu.mjs treeCpu: the API process and, apart, its embedded PostgreSQL) per answered request —
// the figure that survives a noisy machine, where req/s does not.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { cpuSpent, treeCpu } from './cpu.mjs';
import { cpuReferenceMs, decisionCount, digest, load, median, run } from './evaluate-load.mjs';
import { ROOT, startServer } from './server.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '16,24,32').split(',').map(Number);
const WEB_CONCURRENCY = process.env.WEB_CONCURRENCY ?? '1';
const TARGET = { reqPerSec: 8000, p99ms: 10, loggedOverUnlogged: 0.85, loggedOverBare: 1 };
const BARE = process.env.BENCH_BARE !== '0';
const CPU_PROF = process.env.BENCH_CPU_PROF;
const BASELINE = process.env.BENCH_BASELINE || null;
const flags = (x) => (x ? x.split(' ').filter(Boolean) : []);
const envOf = (x) => (x ? JSON.parse(x) : {});

/** The hand-written reference service (bare-service.mjs), with the same start/stop shape as startServer. */
async function startBare() {
  const child = spawn(process.execPath, [`${ROOT}/test/bench/bare-service.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /bare service at (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`bare service exited ${code}`)));
  });
  return {
    url,
    child,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function start(name, decisionLog, nodeArgs = [], root = undefined, env = {}) {
  const server = await startServer({ WEB_CONCURRENCY, DECISION_LOG: decisionLog ? 'on' : 'off', ...env }, nodeArgs, root);
  const token = await server.login('service');
  return {
    name,
    server,
    token,
    auditor: await server.login('compliance'),
    runs: new Map(CONNECTIONS.map((c) => [c, []])),
    cpu: new Map(CONNECTIONS.map((c) => [c, []])),
  };
}

/** One run of a contender, with the CPU its process tree spent meanwhile (µs per answered request: node, postgres). */
async function measured(s, c) {
  const pid = s.server.child.pid;
  const before = treeCpu(pid);
  const r = run(await load(s.server.url, s.token, c, SECONDS));
  const spent = cpuSpent(before, treeCpu(pid));
  const per = (x) => Math.round((x * 1e6) / Math.max(1, r.ok));
  s.cpu.get(c).push({ node: per(spent.node), postgres: per(spent.postgres), total: per(spent.total) });
  return r;
}

/** CPU µs per request of a contender's runs: medians, and each run's node + postgres. */
const cpuDigest = (xs) => ({
  node: median(xs.map((x) => x.node)),
  postgres: median(xs.map((x) => x.postgres)),
  total: median(xs.map((x) => x.total)),
  runs: xs.map((x) => `${x.node} + ${x.postgres}`),
});

export async function benchEvaluateApi() {
  const calibrationBefore = cpuReferenceMs();
  const loadBefore = os.loadavg();
  const prof = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const logged = await start('logged', true, [...prof, ...flags(process.env.BENCH_NODE_ARGS)], undefined, envOf(process.env.BENCH_ENV));
  const unlogged = await start('unlogged', false);
  const baseline = BASELINE
    ? await start('baseline', true, flags(process.env.BENCH_BASELINE_NODE_ARGS), BASELINE, envOf(process.env.BENCH_BASELINE_ENV))
    : null;
  const bare = BARE
    ? { name: 'bare', server: await startBare(), token: 'none', runs: new Map(CONNECTIONS.map((c) => [c, []])), cpu: new Map(CONNECTIONS.map((c) => [c, []])) }
    : null;
  const contenders = [logged, unlogged, ...(baseline ? [baseline] : []), ...(bare ? [bare] : [])];
  try {
    for (const s of contenders) await load(s.server.url, s.token, 32, 5); // JIT and pools warm
    const before = await decisionCount(logged.server.url, logged.auditor);
    const baselineBefore = baseline ? await decisionCount(baseline.server.url, baseline.auditor) : 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CONNECTIONS) {
        // in turn, the order rotating each round, so a slow spell of the shared machine hits each alike
        const order = contenders.map((_, k) => contenders[(k + round) % contenders.length]);
        for (const s of order) s.runs.get(c).push(await measured(s, c));
      }
    }
    const all = (s) => [...s.runs.values()].flat();
    const failed = contenders.flatMap(all).reduce((n, r) => n + r.failed, 0);
    if (failed) throw new Error(`${failed} requests failed`);
    const answered = all(logged).reduce((n, r) => n + r.ok, 0);
    const stored = (await decisionCount(logged.server.url, logged.auditor)) - before;
    const inFlight = ROUNDS * CONNECTIONS.reduce((a, b) => a + b, 0);
    if (stored < answered || stored > answered + inFlight) throw new Error(`${answered} decisions answered but ${stored} logged`);
    const baselineAnswered = baseline ? all(baseline).reduce((n, r) => n + r.ok, 0) : 0;
    const baselineStored = baseline ? (await decisionCount(baseline.server.url, baseline.auditor)) - baselineBefore : 0;
    if (baseline && (baselineStored < baselineAnswered || baselineStored > baselineAnswered + inFlight))
      throw new Error(`baseline: ${baselineAnswered} decisions answered but ${baselineStored} logged`);

    const byConnections = CONNECTIONS.map((c) => {
      const l = digest(logged.runs.get(c));
      const u = digest(unlogged.runs.get(c));
      const b = bare ? digest(bare.runs.get(c)) : undefined;
      const a = baseline ? digest(baseline.runs.get(c)) : undefined;
      const cpu = Object.fromEntries(contenders.map((s) => [s.name, cpuDigest(s.cpu.get(c))]));
      return {
        connections: c,
        logged: l,
        unlogged: u,
        ...(a ? { baseline: a, loggedOverBaseline: +(l.reqPerSec / a.reqPerSec).toFixed(2) } : {}),
        ...(b ? { bare: b, loggedOverBare: +(l.reqPerSec / b.reqPerSec).toFixed(2) } : {}),
        throughputRatio: +(l.reqPerSec / u.reqPerSec).toFixed(2),
        // server CPU µs per answered request (median of the runs): node (the API process, its threads) and postgres
        cpuMicrosPerRequest: cpu,
        ...(baseline
          ? {
              loggedCpuOverBaseline: +(cpu.logged.total / cpu.baseline.total).toFixed(2),
              // each round's ratio (the two ran back to back, so a slow spell hits both), median over the rounds
              pairedCpuOverBaseline: +median(logged.cpu.get(c).map((x, i) => x.total / baseline.cpu.get(c)[i].total)).toFixed(2),
              pairedNodeCpuOverBaseline: +median(logged.cpu.get(c).map((x, i) => x.node / baseline.cpu.get(c)[i].node)).toFixed(2),
            }
          : {}),
        meetsTarget: l.reqPerSec >= TARGET.reqPerSec && l.p99ms <= TARGET.p99ms,
      };
    });
    return {
      settings: {
        webConcurrency: Number(WEB_CONCURRENCY),
        seconds: SECONDS,
        rounds: ROUNDS,
        ...(BASELINE ? { baseline: BASELINE } : {}),
        ...(process.env.BENCH_NODE_ARGS ? { nodeArgs: process.env.BENCH_NODE_ARGS } : {}),
        ...(process.env.BENCH_BASELINE_NODE_ARGS ? { baselineNodeArgs: process.env.BENCH_BASELINE_NODE_ARGS } : {}),
        ...(process.env.BENCH_ENV ? { env: envOf(process.env.BENCH_ENV) } : {}),
        ...(process.env.BENCH_BASELINE_ENV ? { baselineEnv: envOf(process.env.BENCH_BASELINE_ENV) } : {}),
      },
      cpuReferenceMs: { before: calibrationBefore, after: cpuReferenceMs() },
      loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
      target: { ...TARGET, metAt: byConnections.filter((b) => b.meetsTarget).map((b) => b.connections) },
      decisions: { answered, stored, ...(baseline ? { baseline: { answered: baselineAnswered, stored: baselineStored } } : {}) },
      byConnections,
    };
  } finally {
    await logged.server.stop();
    await unlogged.server.stop();
    await baseline?.server.stop();
    await bare?.server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchEvaluateApi(), null, 2));
}
