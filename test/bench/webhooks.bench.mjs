// Tier events to a webhook (issue 12 acceptance 5), against the real API (apps/api/dist/main.js,
// embedded PostgreSQL), on this machine:
//   1. A local receiver in a process of its own (webhook-receiver.mjs: node:http, keep-alive, every
//      signature checked, every id remembered; at nice BENCH_RECEIVER_NICE, default 10 — it stands
//      for the card system on another machine) and a webhook to it, created inactive; a first rating
//      run over N synthetic cib-card customers (all "entered": N tier.changed events, written to the
//      outbox inside the apply transaction).
//   2. BENCH_ROUNDS rounds (default 4; alternately idle first and during first), each: POST /api/evaluate throughput (autocannon,
//      BENCH_SECONDS, BENCH_CONNECTIONS) with the webhook inactive (nothing delivered: "idle"), then
//      the webhook switched on (PATCH active) and evaluate loaded again while events flow ("during"),
//      then switched off until the receiver is quiet. Alternating idle and during windows in the same
//      run puts the machine's slow and busy spells on both sides.
//   3. The webhook on until the receiver has every event id.
// With BENCH_WEBHOOK_BULLMQ=1 the API runs with REDIS_URL (default redis://127.0.0.1:6379) and
// BENCH_WORKERS `npm run worker` processes (dist/worker.js, at nice BENCH_WORKER_NICE, default 10)
// deliver through BullMQ; otherwise the API's own delivery thread delivers (nice WEBHOOK_NICE).
// Reported: events/s (N / time the webhook was on until the last event arrived), duplicates, bad
// signatures, evaluate req/s idle vs during (medians of the rounds and each round's ratio).
// BENCH_NO_WRITE=1 prints only; else the "## Tier events" section of RESULTS.md is replaced.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ROOT, startServer } from './server.mjs';

const N = Number(process.env.BENCH_WEBHOOK_CHANGES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const BULLMQ = process.env.BENCH_WEBHOOK_BULLMQ === '1';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RECEIVER_NICE = Number(process.env.BENCH_RECEIVER_NICE ?? 10);
const WORKER_NICE = Number(process.env.BENCH_WORKER_NICE ?? 10);
const SECRET = 'bench-webhook-secret-0123456789';
const BATCH = process.env.WEBHOOK_BATCH ?? '1000';
const CONCURRENCY = process.env.WEBHOOK_CONCURRENCY ?? '32';
const here = path.dirname(fileURLToPath(import.meta.url));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const progress = (m) => process.stderr.write(`[webhooks bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

function evaluate(url, token) {
  let i = 0;
  const body = () =>
    JSON.stringify({
      policy: 'cib-card',
      facts: { avgDailyAssets: (i++ * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: true },
    });
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: `${url}/api/evaluate`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: [{ method: 'POST', setupRequest: (r) => ({ ...r, body: body() }) }],
      },
      (err, res) => (err ? reject(err) : resolve({ reqPerSec: Math.round(res.requests.average), p99ms: res.latency.p99, non2xx: res.non2xx })),
    ),
  );
}

function startReceiver() {
  const child = fork(path.join(here, 'webhook-receiver.mjs'), [], {
    env: { ...process.env, RECEIVER_SECRET: SECRET },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    if (RECEIVER_NICE) os.setPriority(child.pid, RECEIVER_NICE);
  } catch {
    /* stays at normal priority */
  }
  const waiting = [];
  let port = 0;
  const ready = new Promise((resolve) =>
    child.on('message', (m) => {
      if (m.ready) {
        port = m.port;
        resolve();
      }
      if (m.stats) waiting.shift()?.(m.stats);
    }),
  );
  return {
    ready,
    get port() {
      return port;
    },
    stats: () => new Promise((resolve) => (waiting.push(resolve), child.send('stats'))),
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.send('stop'))),
  };
}

/** The embedded PostgreSQL of a demo server (its data dir): a URL worker processes can use. */
function embeddedUrl(dataDir) {
  const pid = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  const [port, socketDir, listen] = [pid[3], pid[4], pid[5]];
  const auth = `postgres:${encodeURIComponent(password)}`;
  return socketDir && !listen?.trim()
    ? `postgres://${auth}@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`
    : `postgres://${auth}@127.0.0.1:${port}/postgres`;
}

function startWorker(env) {
  const child = spawn(process.execPath, [path.join(ROOT, 'apps/api/dist/worker.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    if (WORKER_NICE) os.setPriority(child.pid, WORKER_NICE);
  } catch {
    /* stays at normal priority */
  }
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d.toString()).slice(-4000)));
  return { child, output: () => err, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))) };
}

async function main() {
  const loadBefore = loadavg();
  const receiver = startReceiver();
  await receiver.ready;
  const queue = `tierwise-bench-webhooks-${randomUUID().slice(0, 8)}`;
  const webhookEnv = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_BATCH: BATCH, WEBHOOK_CONCURRENCY: CONCURRENCY };
  const server = await startServer({
    LOG_LEVEL: 'warn',
    DECISION_LOG: 'off',
    ...webhookEnv,
    ...(BULLMQ ? { REDIS_URL, SIMULATION_QUEUE: queue } : {}),
  });
  const workers = [];
  try {
    if (BULLMQ)
      for (let i = 0; i < WORKERS; i++)
        workers.push(startWorker({ DATABASE_URL: embeddedUrl(server.dataDir), REDIS_URL, SIMULATION_QUEUE: queue, LOG_LEVEL: 'warn', ...webhookEnv }));
    const tokens = { admin: await server.login('admin'), author: await server.login('author'), approver: await server.login('approver') };
    const api = async (who, method, url, body) => {
      const res = await fetch(`${server.url}/api${url}`, {
        method,
        headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${JSON.stringify(json).slice(0, 400)}`);
      return json;
    };
    const hook = await api('admin', 'POST', '/webhooks', {
      url: `http://127.0.0.1:${receiver.port}/tierwise`,
      events: ['tier.changed'],
      secret: SECRET,
      active: false,
    });
    const dataset = await api('author', 'POST', '/datasets/synthetic', { template: 'cib-card', size: N, seed: 3, asOf: '2026-11-30' });
    progress(`snapshot of ${N} customers`);
    const started = await api('author', 'POST', '/rating-runs', { policy: 'cib-card', datasetId: dataset.id });
    for (;;) {
      const r = await api('author', 'GET', `/rating-runs/${started.id}`).catch((e) => (/→ 503/.test(e.message) ? { status: 'busy' } : Promise.reject(e)));
      if (r.status === 'proposed') break;
      if (['failed', 'cancelled'].includes(r.status)) throw new Error(`run ${r.status}: ${r.error}`);
      await sleep(500);
    }
    progress('proposed; applying');
    const t0 = performance.now();
    const applied = await api('approver', 'POST', `/rating-runs/${started.id}/approve`, {});
    const applyMs = Math.round(performance.now() - t0);
    const changes = applied.result.entered + applied.result.upgrades + applied.result.downgrades;
    progress(`applied ${changes} changes in ${applyMs} ms`);

    let activeMs = 0;
    let activeSince = 0;
    const setActive = async (active) => {
      await api('admin', 'PATCH', `/webhooks/${hook.id}`, { active });
      if (active) activeSince = performance.now();
      else activeMs += performance.now() - activeSince;
    };
    const quiet = async () => {
      // Until nothing arrives for a second: the batches in flight when the webhook was switched off are done.
      let before = (await receiver.stats()).posts;
      for (;;) {
        await sleep(1000);
        const now = (await receiver.stats()).posts;
        if (now === before) return;
        before = now;
      }
    };
    await evaluate(server.url, tokens.author); // warm-up (JIT, connections), not counted
    const rounds = [];
    const idleWindow = async () => ({ idle: await evaluate(server.url, tokens.author), loadIdle: loadavg() });
    const duringWindow = async () => {
      const at = (await receiver.stats()).unique;
      await setActive(true);
      const flowing = performance.now();
      while ((await receiver.stats()).unique === at && performance.now() - flowing < 30_000) await sleep(50);
      const from = (await receiver.stats()).unique;
      const during = await evaluate(server.url, tokens.author);
      const to = (await receiver.stats()).unique;
      const loadDuring = loadavg();
      await setActive(false);
      await quiet();
      return { during, loadDuring, deliveredWhileLoaded: to - from, to };
    };
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which window comes first (idle, during | during, idle | …): an order effect (a
      // vacuum after a burst of updates, a slow spell) then falls on both sides.
      const first = r % 2 === 0 ? 'idle' : 'during';
      const a = first === 'idle' ? await idleWindow() : null;
      const d = await duringWindow();
      const i = a ?? (await idleWindow());
      rounds.push({
        first,
        idle: i.idle,
        during: d.during,
        ratio: Math.round((d.during.reqPerSec / i.idle.reqPerSec) * 100) / 100,
        deliveredWhileLoaded: d.deliveredWhileLoaded,
        loadIdle: i.loadIdle,
        loadDuring: d.loadDuring,
      });
      progress(
        `round ${r + 1} (${first} first): idle ${i.idle.reqPerSec} req/s, during ${d.during.reqPerSec} req/s, ${d.deliveredWhileLoaded} events delivered meanwhile`,
      );
      if (d.to >= changes) break;
    }
    await setActive(true);
    const finalFrom = (await receiver.stats()).unique;
    const finalAt = Date.now();
    for (let lastSeen = 0, lastChange = performance.now(); ;) {
      const s = await receiver.stats();
      if (s.unique >= changes) break;
      if (s.unique !== lastSeen) [lastSeen, lastChange] = [s.unique, performance.now()];
      if (performance.now() - lastChange > 120_000) throw new Error(`delivery stalled at ${s.unique} of ${changes}`);
      if (s.unique % 100_000 < 2_000) progress(`${s.unique} of ${changes} delivered`);
      await sleep(1000);
    }
    const end = await receiver.stats();
    // Active time: the on-windows, and the last one until the last event arrived.
    activeMs += Math.max(0, end.lastAt - (performance.timeOrigin + activeSince));
    const seconds = activeMs / 1000;
    const finalRate = end.lastAt > finalAt ? Math.round(((end.unique - finalFrom) * 1000) / (end.lastAt - finalAt)) : null;
    const w = await api('admin', 'GET', `/webhooks/${hook.id}`);
    const idles = rounds.map((r) => r.idle.reqPerSec);
    const durings = rounds.map((r) => r.during.reqPerSec);
    const figures = {
      changes,
      applyMs,
      mode: BULLMQ ? `BullMQ, ${WORKERS} worker process(es) at nice ${WORKER_NICE}` : 'the API’s delivery thread (nice 10)',
      delivery: {
        seconds: Math.round(seconds * 10) / 10,
        eventsPerSec: Math.round(changes / seconds),
        /** The last, uninterrupted phase (no evaluate load): events / s. */
        finalPhase: { events: end.unique - finalFrom, eventsPerSec: finalRate },
        posts: end.posts,
        duplicates: end.posts - end.unique,
        badSignatures: end.badSignatures,
      },
      deliveries: w.deliveries,
      evaluate: {
        rounds,
        idleMedian: median(idles),
        duringMedian: median(durings),
        /** The median of the rounds' own ratios (adjacent windows: the machine's drift mostly cancels). */
        ratio: median(rounds.map((r) => r.ratio)),
        ratioOfMedians: Math.round((median(durings) / median(idles)) * 100) / 100,
      },
      settings: { batch: BATCH, concurrency: CONCURRENCY, connections: CONNECTIONS, seconds: SECONDS, receiverNice: RECEIVER_NICE },
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadBefore, loadAfter: loadavg() },
    };
    console.log(JSON.stringify({ bench: 'webhooks', ...figures }));
    if (!process.env.BENCH_NO_WRITE) {
      const file = path.join(here, 'RESULTS.md');
      const text = readFileSync(file, 'utf8');
      const e = figures.evaluate;
      const title = `### ${changes.toLocaleString('en')} changes, ${BULLMQ ? 'BullMQ workers' : 'the API’s delivery thread'} (written by the script)`;
      const section = [
        title,
        '',
        `Measured ${new Date().toISOString()} on ${figures.machine.cpu} (${figures.machine.cpus} cores), shared with other engineers' builds and tests: \`uptime\` load ${loadBefore} before, ${figures.machine.loadAfter} after (per round below). Command: \`${BULLMQ ? `BENCH_WEBHOOK_BULLMQ=1 BENCH_WORKERS=${WORKERS} ` : ''}BENCH_WEBHOOK_CHANGES=${N} BENCH_ROUNDS=${ROUNDS} BENCH_SECONDS=${SECONDS} node test/bench/webhooks.bench.mjs\` (WEBHOOK_BATCH ${BATCH}, WEBHOOK_CONCURRENCY ${CONCURRENCY}; delivery by ${figures.mode}; receiver = node:http in a process of its own at nice ${RECEIVER_NICE}, every signature checked; embedded PostgreSQL).`,
        '',
        '| what | figure |',
        '|---|---|',
        `| tier.changed events of one run (all entered) | ${changes.toLocaleString('en')}, written to the outbox in the apply transaction (apply ${applyMs.toLocaleString('en')} ms) |`,
        `| delivery to the local receiver | ${figures.delivery.seconds} s with the webhook on, **${figures.delivery.eventsPerSec.toLocaleString('en')} events/s**, ${figures.delivery.duplicates} duplicates, ${figures.delivery.badSignatures} bad signatures |`,
        `| the last phase alone (webhook on, no evaluate load) | ${figures.delivery.finalPhase.events.toLocaleString('en')} events, ${figures.delivery.finalPhase.eventsPerSec?.toLocaleString('en') ?? '–'} events/s |`,
        `| POST /api/evaluate, idle (${CONNECTIONS} connections, ${SECONDS} s; median of ${rounds.length}) | ${e.idleMedian} req/s |`,
        `| POST /api/evaluate during delivery (median of ${rounds.length}) | ${e.duringMedian} req/s (${Math.round(e.ratioOfMedians * 100)}% of the idle median) |`,
        `| during / idle, median of the rounds' ratios | **${Math.round(e.ratio * 100)}%** (target ≥ 90%) |`,
        '',
        '| round | first | idle req/s (p99) | during req/s (p99) | during / idle | events delivered in the during window | load idle → during |',
        '|---|---|---|---|---|---|---|',
        ...rounds.map(
          (r, i) =>
            `| ${i + 1} | ${r.first} | ${r.idle.reqPerSec} (${r.idle.p99ms} ms) | ${r.during.reqPerSec} (${r.during.p99ms} ms) | ${Math.round(r.ratio * 100)}% | ${r.deliveredWhileLoaded.toLocaleString('en')} | ${r.loadIdle} → ${r.loadDuring} |`,
        ),
        '',
        e.ratio >= 0.9
          ? 'Evaluate throughput during delivery is within 10% of idle (median of the rounds’ ratios).'
          : 'Evaluate throughput during delivery is NOT within 10% of idle on this run (median of the rounds’ ratios).',
        '',
      ].join('\n');
      // Only this subsection (same size and mode) is replaced; the section's other runs and notes stay.
      const heading = '## Tier events: webhook delivery (issue 12, acceptance 5)';
      const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const sub = new RegExp(`${escaped}\\n[\\s\\S]*?(?=\\n### |\\n## |$)`);
      const sectionEnd = /## Tier events: webhook delivery[^\n]*\n[\s\S]*?(?=\n## |$)/;
      let next;
      if (sub.test(text)) next = text.replace(sub, section.trimEnd() + '\n');
      else if (sectionEnd.test(text)) next = text.replace(sectionEnd, (m) => `${m.trimEnd()}\n\n${section}`);
      else next = `${text.trimEnd()}\n\n${heading}\n\n${section}`;
      writeFileSync(file, next);
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
    await receiver.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
