// POST /api/evaluate, every decision logged: two servers — this checkout's and BENCH_BASELINE's (another built checkout;
// this one by default, to compare node flags or settings) — loaded in turn in short rounds at BENCH_CONNECTIONS (32),
// the order swapping each round, so that each round's pair ran back to back and a slow spell of the shared machine hits
// both. Reported per server: medians of req/s, p99, CPU µs per answered request (cpu.mjs treeCpu: node, and apart its
// embedded PostgreSQL) and GC pause µs per request (both run with --trace-gc: scavenges and mark-compacts, wall
// milliseconds as V8 reports them); and the median over rounds of each round's this ÷ baseline ratio — on a loaded
// machine that paired ratio is the figure to read, the absolutes move by ±30 % between rounds.
// BENCH_NODE_ARGS / BENCH_BASELINE_NODE_ARGS: node flags (after the checkout's start flags, so they override);
// BENCH_ENV / BENCH_BASELINE_ENV: extra environment (JSON). BENCH_ROUNDS (10) × BENCH_SECONDS (4) each.
import os from 'node:os';
import { cpuSpent, treeCpu } from './cpu.mjs';
import { cpuReferenceMs, load, median, run } from './evaluate-load.mjs';
import { startServer } from './server.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const flags = (x) => (x ? x.split(' ').filter(Boolean) : []);
const specs = {
  this: { root: undefined, args: flags(process.env.BENCH_NODE_ARGS), env: JSON.parse(process.env.BENCH_ENV || '{}') },
  baseline: {
    root: process.env.BENCH_BASELINE || undefined,
    args: flags(process.env.BENCH_BASELINE_NODE_ARGS),
    env: JSON.parse(process.env.BENCH_BASELINE_ENV || '{}'),
  },
};

async function start(name) {
  const spec = specs[name];
  const server = await startServer({ DECISION_LOG: 'on', ...spec.env }, ['--trace-gc', ...spec.args], spec.root);
  const gc = { pauses: 0, ms: 0 };
  server.child.stdout.on('data', (d) => {
    for (const line of d.toString().split('\n')) {
      const m = /(Scavenge|Mark-Compact)\b.*?([\d.]+) \/ [\d.]+ ms/.exec(line);
      if (m) {
        gc.pauses += 1;
        gc.ms += Number(m[2]);
      }
    }
  });
  return { name, server, gc, token: await server.login('service'), rounds: [] };
}

const referenceBefore = cpuReferenceMs();
const loadBefore = os.loadavg();
const a = await start('this');
const b = await start('baseline');
try {
  for (const s of [a, b]) await load(s.server.url, s.token, CONNECTIONS, 4); // JIT and pools warm
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 ? [b, a] : [a, b]) {
      const cpu0 = treeCpu(s.server.child.pid);
      const gc0 = { ...s.gc };
      const r = run(await load(s.server.url, s.token, CONNECTIONS, SECONDS));
      if (r.failed) throw new Error(`${s.name}: ${r.failed} requests failed`);
      const spent = cpuSpent(cpu0, treeCpu(s.server.child.pid));
      s.rounds.push({
        reqPerSec: r.reqPerSec,
        p99ms: r.p99ms,
        node: (spent.node * 1e6) / r.ok,
        postgres: (spent.postgres * 1e6) / r.ok,
        gcUs: ((s.gc.ms - gc0.ms) * 1000) / r.ok,
        gcPausesPer1000: ((s.gc.pauses - gc0.pauses) * 1000) / r.ok,
      });
    }
  }
} finally {
  await a.server.stop();
  await b.server.stop();
}
const keys = ['reqPerSec', 'p99ms', 'node', 'postgres', 'gcUs', 'gcPausesPer1000'];
const digest = (s) => ({
  ...Object.fromEntries(keys.map((k) => [k, +median(s.rounds.map((x) => x[k])).toFixed(1)])),
  rounds: s.rounds.map((x) => `${x.reqPerSec} req/s, ${Math.round(x.node)} + ${Math.round(x.postgres)} µs, GC ${Math.round(x.gcUs)} µs`),
});
const paired = (k) => +median(a.rounds.map((x, i) => x[k] / b.rounds[i][k])).toFixed(3);
console.log(
  JSON.stringify(
    {
      bench: 'evaluate-pair',
      settings: { connections: CONNECTIONS, rounds: ROUNDS, seconds: SECONDS, this: specs.this, baseline: specs.baseline },
      cpuReferenceMs: { before: referenceBefore, after: cpuReferenceMs() },
      loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
      this: digest(a),
      baseline: digest(b),
      pairedThisOverBaseline: Object.fromEntries(['reqPerSec', 'node', 'postgres', 'gcUs'].map((k) => [k, paired(k)])),
    },
    null,
    1,
  ),
);
