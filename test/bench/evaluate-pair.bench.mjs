// POST /api/evaluate, every decision logged: two servers — this checkout's and BENCH_BASELINE's (another built checkout;
// this one by default, to compare node flags or settings) — loaded in turn in short rounds at BENCH_CONNECTIONS (32),
// so that each round's pair ran back to back and a slow spell of the shared machine hits both. Reported per server:
// medians of req/s, p99, CPU µs per answered request (cpu.mjs treeCpu: node, and apart its embedded PostgreSQL), GC
// pause µs per request (both run with --trace-gc: scavenges and mark-compacts, wall milliseconds as V8 reports them)
// and the bench process's own CPU µs per request (the load generator, which also reads the server's stdout); and the
// median over rounds of each round's this ÷ baseline ratio — on a loaded machine that paired ratio is the figure to
// read, the absolutes move by ±30 % between rounds.
//
// Several fresh pairs of processes (BENCH_PAIRS, 3), each started, warmed and loaded alike. Session 13 (aa) found a
// *process lottery*: with the same build on both sides one process of a pair can cost 10–25 % more node CPU (and
// several times the GC pause) than its twin in every round of its life, and which one it is changes from pair to pair
// — one pair's ratio is a coin, not a measurement. So: each pair's start order alternates (this first, then baseline
// first), the warm-up is A B B A, each round's order alternates and the pair's first round swaps leader too; reported
// are each pair's median ratio (their spread is the lottery's size) and the median over every round of every pair.
// BENCH_NODE_ARGS / BENCH_BASELINE_NODE_ARGS: node flags (after the checkout's start flags, so they override);
// BENCH_ENV / BENCH_BASELINE_ENV: extra environment (JSON). BENCH_PAIRS × BENCH_ROUNDS (4) × BENCH_SECONDS (4) each.
import os from 'node:os';
import { cpuSpent, treeCpu } from './cpu.mjs';
import { cpuReferenceMs, load, median, run } from './evaluate-load.mjs';
import { startServer } from './server.mjs';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 2);
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
    // only the chunks with a GC line are split (the rest is the access log, ~230 bytes a request)
    const text = d.toString();
    if (!text.includes(' ms: ')) return;
    for (const line of text.split('\n')) {
      const m = /(Scavenge|Mark-Compact)\b.*?([\d.]+) \/ [\d.]+ ms/.exec(line);
      if (m) {
        gc.pauses += 1;
        gc.ms += Number(m[2]);
      }
    }
  });
  return { name, server, gc, token: await server.login('service') };
}

/** One measured run of a server: its CPU, GC and the client's CPU per answered request. */
async function measure(s, seconds) {
  const cpu0 = treeCpu(s.server.child.pid);
  const gc0 = { ...s.gc };
  const client0 = process.cpuUsage();
  const r = run(await load(s.server.url, s.token, CONNECTIONS, seconds));
  const client = process.cpuUsage(client0);
  if (r.failed) throw new Error(`${s.name}: ${r.failed} requests failed`);
  const spent = cpuSpent(cpu0, treeCpu(s.server.child.pid));
  return {
    reqPerSec: r.reqPerSec,
    p99ms: r.p99ms,
    node: (spent.node * 1e6) / r.ok,
    postgres: (spent.postgres * 1e6) / r.ok,
    gcUs: ((s.gc.ms - gc0.ms) * 1000) / r.ok,
    gcPausesPer1000: ((s.gc.pauses - gc0.pauses) * 1000) / r.ok,
    clientUs: (client.user + client.system) / r.ok,
  };
}

const referenceBefore = cpuReferenceMs();
const loadBefore = os.loadavg();
const rounds = { this: [], baseline: [] };
const pairs = [];
for (let pair = 0; pair < PAIRS; pair++) {
  const names = pair % 2 ? ['baseline', 'this'] : ['this', 'baseline'];
  const started = [];
  try {
    for (const name of names) started.push(await start(name));
    const [x, y] = started;
    for (const s of [x, y, y, x]) await load(s.server.url, s.token, CONNECTIONS, WARM_SECONDS); // JIT and pools warm, A B B A
    const byName = { [x.name]: x, [y.name]: y };
    const mine = { this: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = (round + pair) % 2 ? ['baseline', 'this'] : ['this', 'baseline'];
      for (const name of order) mine[name].push(await measure(byName[name], SECONDS));
    }
    rounds.this.push(...mine.this);
    rounds.baseline.push(...mine.baseline);
    pairs.push({
      started: names.join(' then '),
      node: +median(mine.this.map((t, i) => t.node / mine.baseline[i].node)).toFixed(3),
      gcUs: +median(mine.this.map((t, i) => t.gcUs / mine.baseline[i].gcUs)).toFixed(3),
      reqPerSec: +median(mine.this.map((t, i) => t.reqPerSec / mine.baseline[i].reqPerSec)).toFixed(3),
    });
  } finally {
    for (const s of started) await s.server.stop();
  }
}
const keys = ['reqPerSec', 'p99ms', 'node', 'postgres', 'gcUs', 'gcPausesPer1000', 'clientUs'];
const digest = (xs) => ({
  ...Object.fromEntries(keys.map((k) => [k, +median(xs.map((x) => x[k])).toFixed(1)])),
  rounds: xs.map((x) => `${x.reqPerSec} req/s, ${Math.round(x.node)} + ${Math.round(x.postgres)} µs, GC ${Math.round(x.gcUs)} µs`),
});
const paired = (k) => +median(rounds.this.map((x, i) => x[k] / rounds.baseline[i][k])).toFixed(3);
console.log(
  JSON.stringify(
    {
      bench: 'evaluate-pair',
      settings: { connections: CONNECTIONS, pairs: PAIRS, rounds: ROUNDS, seconds: SECONDS, this: specs.this, baseline: specs.baseline },
      cpuReferenceMs: { before: referenceBefore, after: cpuReferenceMs() },
      loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
      this: digest(rounds.this),
      baseline: digest(rounds.baseline),
      // each pair of processes' median this ÷ baseline: their spread is what one pair alone could have shown
      pairs,
      pairedThisOverBaseline: Object.fromEntries(['reqPerSec', 'node', 'postgres', 'gcUs', 'clientUs'].map((k) => [k, paired(k)])),
    },
    null,
    1,
  ),
);
