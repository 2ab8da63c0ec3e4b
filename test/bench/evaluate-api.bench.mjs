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
//
// Every round starts fresh processes for all contenders (BENCH_FRESH=0: one process each for the whole bench), in an
// order rotating with the round, warms them A B C D D C B A (BENCH_WARM_SECONDS, 2.5 s each), then loads them in turn:
// one process of a build can cost 10–25 % more CPU a request than its twin for its whole life (session 13, aa), so
// a contender's medians are over BENCH_ROUNDS processes, not one. The paired ratios (paired…) are the median over the
// rounds of that round's ratio.
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
const FRESH = process.env.BENCH_FRESH !== '0';
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 2.5);
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
  return { name, server, token, auditor: await server.login('compliance') };
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

/** Median over the rounds of each round's x ÷ y (of `value`). */
const pairedRatio = (xs, ys, value) => +median(xs.map((x, i) => value(x) / value(ys[i]))).toFixed(2);

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
  // Each contender's runs and CPU, kept across the rounds' fresh processes.
  const contenders = [
    { name: 'logged', runs: new Map(CONNECTIONS.map((c) => [c, []])), cpu: new Map(CONNECTIONS.map((c) => [c, []])) },
    { name: 'unlogged', runs: new Map(CONNECTIONS.map((c) => [c, []])), cpu: new Map(CONNECTIONS.map((c) => [c, []])) },
    ...(BASELINE ? [{ name: 'baseline', runs: new Map(CONNECTIONS.map((c) => [c, []])), cpu: new Map(CONNECTIONS.map((c) => [c, []])) }] : []),
    ...(BARE ? [{ name: 'bare', runs: new Map(CONNECTIONS.map((c) => [c, []])), cpu: new Map(CONNECTIONS.map((c) => [c, []])) }] : []),
  ];
  const [logged, unlogged] = contenders;
  const baseline = contenders.find((s) => s.name === 'baseline') ?? null;
  const bare = contenders.find((s) => s.name === 'bare') ?? null;
  const starters = {
    logged: () => start('logged', true, [...prof, ...flags(process.env.BENCH_NODE_ARGS)], undefined, envOf(process.env.BENCH_ENV)),
    unlogged: () => start('unlogged', false),
    baseline: () => start('baseline', true, flags(process.env.BENCH_BASELINE_NODE_ARGS), BASELINE, envOf(process.env.BENCH_BASELINE_ENV)),
    bare: async () => ({ server: await startBare(), token: 'none' }),
  };
  let answered = 0;
  let stored = 0;
  let baselineAnswered = 0;
  let baselineStored = 0;
  const inFlight = CONNECTIONS.reduce((a, b) => a + b, 0);
  const up = [];
  const stopAll = async () => {
    while (up.length) await up.pop().server.stop();
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // One process of a build can cost 10–25 % more CPU a request than its twin for its whole life (session 13, aa:
      // the process lottery), so with FRESH (the default) every round starts new processes, in a rotating order, and
      // the contenders' medians are over several processes each. The warm-up runs A B C D D C B A.
      const order = contenders.map((_, k) => contenders[(k + round) % contenders.length]);
      if (round === 0 || FRESH) {
        await stopAll();
        for (const s of order) {
          Object.assign(s, await starters[s.name]());
          up.push(s);
        }
        for (const s of [...order, ...[...order].reverse()]) await load(s.server.url, s.token, 32, WARM_SECONDS); // JIT and pools warm
      }
      const before = await decisionCount(logged.server.url, logged.auditor);
      const baselineBefore = baseline ? await decisionCount(baseline.server.url, baseline.auditor) : 0;
      for (const c of CONNECTIONS) {
        // in turn, the order rotating each round, so a slow spell of the shared machine hits each alike
        for (const s of order) s.runs.get(c).push(await measured(s, c));
      }
      const failed = contenders.reduce((n, s) => n + [...s.runs.values()].flat().reduce((m, r) => m + r.failed, 0), 0);
      if (failed) throw new Error(`${failed} requests failed`);
      // every answered decision logged (plus at most the requests in flight when a run stopped), per process
      const roundOk = (s) => CONNECTIONS.reduce((n, c) => n + s.runs.get(c)[round].ok, 0);
      const roundStored = (await decisionCount(logged.server.url, logged.auditor)) - before;
      if (roundStored < roundOk(logged) || roundStored > roundOk(logged) + inFlight)
        throw new Error(`round ${round}: ${roundOk(logged)} decisions answered but ${roundStored} logged`);
      answered += roundOk(logged);
      stored += roundStored;
      if (baseline) {
        const bStored = (await decisionCount(baseline.server.url, baseline.auditor)) - baselineBefore;
        if (bStored < roundOk(baseline) || bStored > roundOk(baseline) + inFlight)
          throw new Error(`baseline, round ${round}: ${roundOk(baseline)} decisions answered but ${bStored} logged`);
        baselineAnswered += roundOk(baseline);
        baselineStored += bStored;
      }
    }

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
        // each round's ratio (the contenders ran back to back in it), median over the rounds
        pairedThroughputRatio: pairedRatio(logged.runs.get(c), unlogged.runs.get(c), (r) => r.reqPerSec),
        ...(b ? { pairedLoggedOverBare: pairedRatio(logged.runs.get(c), bare.runs.get(c), (r) => r.reqPerSec) } : {}),
        ...(a ? { pairedLoggedOverBaseline: pairedRatio(logged.runs.get(c), baseline.runs.get(c), (r) => r.reqPerSec) } : {}),
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
        freshProcessesEachRound: FRESH,
        warmSeconds: WARM_SECONDS,
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
    await stopAll();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchEvaluateApi(), null, 2));
}
