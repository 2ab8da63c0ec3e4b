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
import { spawn } from 'node:child_process';
import os from 'node:os';
import { cpuReferenceMs, decisionCount, digest, load, run } from './evaluate-load.mjs';
import { ROOT, startServer } from './server.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '16,24,32').split(',').map(Number);
const WEB_CONCURRENCY = process.env.WEB_CONCURRENCY ?? '1';
const TARGET = { reqPerSec: 8000, p99ms: 10, loggedOverUnlogged: 0.85, loggedOverBare: 1 };
const BARE = process.env.BENCH_BARE !== '0';
const CPU_PROF = process.env.BENCH_CPU_PROF;

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
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function start(decisionLog) {
  const nodeArgs = decisionLog && CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const server = await startServer({ WEB_CONCURRENCY, DECISION_LOG: decisionLog ? 'on' : 'off' }, nodeArgs);
  const token = await server.login('service');
  return { server, token, auditor: await server.login('compliance'), runs: new Map(CONNECTIONS.map((c) => [c, []])) };
}

export async function benchEvaluateApi() {
  const calibrationBefore = cpuReferenceMs();
  const loadBefore = os.loadavg();
  const logged = await start(true);
  const unlogged = await start(false);
  const bare = BARE ? { server: await startBare(), token: 'none', runs: new Map(CONNECTIONS.map((c) => [c, []])) } : null;
  const contenders = [logged, unlogged, ...(bare ? [bare] : [])];
  try {
    for (const s of contenders) await load(s.server.url, s.token, 32, 5); // JIT and pools warm
    const before = await decisionCount(logged.server.url, logged.auditor);
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CONNECTIONS) {
        // in turn, the order rotating each round, so a slow spell of the shared machine hits each alike
        const order = contenders.map((_, k) => contenders[(k + round) % contenders.length]);
        for (const s of order) s.runs.get(c).push(run(await load(s.server.url, s.token, c, SECONDS)));
      }
    }
    const all = (s) => [...s.runs.values()].flat();
    const failed = contenders.flatMap(all).reduce((n, r) => n + r.failed, 0);
    if (failed) throw new Error(`${failed} requests failed`);
    const answered = all(logged).reduce((n, r) => n + r.ok, 0);
    const stored = (await decisionCount(logged.server.url, logged.auditor)) - before;
    const inFlight = ROUNDS * CONNECTIONS.reduce((a, b) => a + b, 0);
    if (stored < answered || stored > answered + inFlight) throw new Error(`${answered} decisions answered but ${stored} logged`);

    const byConnections = CONNECTIONS.map((c) => {
      const l = digest(logged.runs.get(c));
      const u = digest(unlogged.runs.get(c));
      const b = bare ? digest(bare.runs.get(c)) : undefined;
      return {
        connections: c,
        logged: l,
        unlogged: u,
        ...(b ? { bare: b, loggedOverBare: +(l.reqPerSec / b.reqPerSec).toFixed(2) } : {}),
        throughputRatio: +(l.reqPerSec / u.reqPerSec).toFixed(2),
        meetsTarget: l.reqPerSec >= TARGET.reqPerSec && l.p99ms <= TARGET.p99ms,
      };
    });
    return {
      settings: { webConcurrency: Number(WEB_CONCURRENCY), seconds: SECONDS, rounds: ROUNDS },
      cpuReferenceMs: { before: calibrationBefore, after: cpuReferenceMs() },
      loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
      target: { ...TARGET, metAt: byConnections.filter((b) => b.meetsTarget).map((b) => b.connections) },
      decisions: { answered, stored },
      byConnections,
    };
  } finally {
    await logged.server.stop();
    await unlogged.server.stop();
    await bare?.server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchEvaluateApi(), null, 2));
}
