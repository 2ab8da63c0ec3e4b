// Tier events to a webhook (issue 12 acceptance 5), against the real API (apps/api/dist/main.js,
// embedded PostgreSQL or DATABASE_URL), on this machine:
//   1. A webhook to a local receiver (node:http in this process, keep-alive, every signature
//      checked), created inactive; a first rating run over N synthetic cib-card customers (all
//      "entered": N tier.changed events, written to the outbox inside the apply transaction).
//   2. Idle: POST /api/evaluate throughput (autocannon, BENCH_SECONDS, BENCH_CONNECTIONS) with the
//      events waiting in the outbox and nothing being delivered.
//   3. The webhook is switched on (PATCH active): the delivery starts; evaluate is loaded again
//      while it runs; then the bench waits until the receiver has every event id.
// Reported: events/s (N / time from switching on to the last event received), duplicates, evaluate
// req/s idle vs during delivery. BENCH_NO_WRITE=1 prints only; else the "## Tier events" section of
// RESULTS.md is replaced.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startServer } from './server.mjs';

const N = Number(process.env.BENCH_WEBHOOK_CHANGES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECRET = 'bench-webhook-secret-0123456789';
const here = path.dirname(fileURLToPath(import.meta.url));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

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

async function main() {
  const loadBefore = loadavg();
  const seen = new Set();
  let posts = 0;
  let bad = 0;
  let last = 0;
  const receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (req.headers['x-tierwise-signature'] !== `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`) bad++;
      posts++;
      seen.add(JSON.parse(raw).id);
      last = performance.now();
      res.writeHead(204).end();
    });
  });
  receiver.keepAliveTimeout = 60_000;
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const port = receiver.address().port;
  const server = await startServer({
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_BATCH: process.env.WEBHOOK_BATCH ?? '1000',
    WEBHOOK_CONCURRENCY: process.env.WEBHOOK_CONCURRENCY ?? '32',
    DECISION_LOG: 'off',
  });
  try {
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
    const hook = await api('admin', 'POST', '/webhooks', { url: `http://127.0.0.1:${port}/tierwise`, events: ['tier.changed'], secret: SECRET, active: false });
    const dataset = await api('author', 'POST', '/datasets/synthetic', { template: 'cib-card', size: N, seed: 3, asOf: '2026-11-30' });
    const started = await api('author', 'POST', '/rating-runs', { policy: 'cib-card', datasetId: dataset.id });
    for (;;) {
      const r = await api('author', 'GET', `/rating-runs/${started.id}`);
      if (r.status === 'proposed') break;
      if (['failed', 'cancelled'].includes(r.status)) throw new Error(`run ${r.status}: ${r.error}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    const t0 = performance.now();
    const applied = await api('approver', 'POST', `/rating-runs/${started.id}/approve`, {});
    const applyMs = Math.round(performance.now() - t0);
    const changes = applied.result.entered + applied.result.upgrades + applied.result.downgrades;

    const idle = await evaluate(server.url, tokens.author);
    const loadIdle = loadavg();
    const start = performance.now();
    await api('admin', 'PATCH', `/webhooks/${hook.id}`, { active: true });
    const during = await evaluate(server.url, tokens.author);
    const receivedDuringLoad = seen.size;
    const loadDuring = loadavg();
    while (seen.size < changes) {
      await new Promise((r) => setTimeout(r, 200));
      if (performance.now() - last > 120_000 && last > 0) throw new Error(`delivery stalled at ${seen.size} of ${changes}`);
    }
    const seconds = (last - start) / 1000;
    const w = await api('admin', 'GET', `/webhooks/${hook.id}`);
    const figures = {
      changes,
      applyMs,
      delivery: {
        seconds: Math.round(seconds * 10) / 10,
        eventsPerSec: Math.round(changes / seconds),
        posts,
        duplicates: posts - seen.size,
        badSignatures: bad,
      },
      deliveries: w.deliveries,
      evaluate: { idle, duringDelivery: during, receivedWhileLoaded: receivedDuringLoad, ratio: Math.round((during.reqPerSec / idle.reqPerSec) * 100) / 100 },
      settings: {
        batch: process.env.WEBHOOK_BATCH ?? '1000',
        concurrency: process.env.WEBHOOK_CONCURRENCY ?? '32',
        connections: CONNECTIONS,
        seconds: SECONDS,
      },
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadBefore, loadIdle, loadDuring, loadAfter: loadavg() },
    };
    console.log(JSON.stringify({ bench: 'webhooks', ...figures }));
    if (!process.env.BENCH_NO_WRITE) {
      const file = path.join(here, 'RESULTS.md');
      const text = readFileSync(file, 'utf8');
      const e = figures.evaluate;
      const section = [
        '## Tier events: webhook delivery (issue 12, acceptance 5)',
        '',
        `Measured ${new Date().toISOString()} on ${figures.machine.cpu} (${figures.machine.cpus} cores) — a shared, busy machine (other engineers' builds and tests): \`uptime\` load ${loadBefore} before, ${loadIdle} after the idle load, ${loadDuring} during delivery, ${figures.machine.loadAfter} after; \`node test/bench/webhooks.bench.mjs\` (BENCH_WEBHOOK_CHANGES=${N}, WEBHOOK_BATCH ${figures.settings.batch}, WEBHOOK_CONCURRENCY ${figures.settings.concurrency}; receiver = node:http in the bench process, every signature checked).`,
        '',
        '| what | figure |',
        '|---|---|',
        `| tier.changed events of one run (all entered) | ${changes.toLocaleString('en')}, written to the outbox in the apply transaction (apply ${applyMs} ms) |`,
        `| delivery to the local receiver | ${figures.delivery.seconds} s, **${figures.delivery.eventsPerSec.toLocaleString('en')} events/s**, ${figures.delivery.duplicates} duplicates, ${figures.delivery.badSignatures} bad signatures |`,
        `| POST /api/evaluate, idle (${CONNECTIONS} connections, ${SECONDS} s) | ${e.idle.reqPerSec} req/s, p99 ${e.idle.p99ms} ms |`,
        `| POST /api/evaluate during delivery | ${e.duringDelivery.reqPerSec} req/s, p99 ${e.duringDelivery.p99ms} ms (${Math.round(e.ratio * 100)}% of idle; target ≥ 90%) |`,
        '',
        e.ratio >= 0.9
          ? 'Evaluate throughput during delivery is within 10% of idle.'
          : 'Evaluate throughput during delivery is NOT within 10% of idle on this run: the delivery loop shares the API process (its event loop and the 2 cores with PostgreSQL and the receiver); moving delivery to a worker process (BullMQ) is the next step.',
        '',
      ].join('\n');
      const re = /## Tier events: webhook delivery[^\n]*\n[\s\S]*?(?=\n## |$)/;
      writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`);
    }
  } finally {
    await server.stop();
    receiver.closeAllConnections();
    receiver.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
