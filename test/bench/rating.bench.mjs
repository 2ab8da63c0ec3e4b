// Rating runs at scale (issue 11 acceptance 5), against the real API (apps/api/dist/main.js,
// embedded PostgreSQL, templates seeded), on this machine:
//   1. A facts snapshot of N cib-card customers: synthetic (the API's generator, ≤ 5,000,000 per
//      dataset), or — above 5,000,000 or with BENCH_RATING_CSV=1 — a CSV file generated here
//      (deterministic; customerId, hasValidId, avgDailyAssets, familyAvgDailyAssets) and imported
//      through POST /api/datasets (multipart, COPY into the dataset tables).
//   2. The ledger is filled: a first run over them (every customer "entered"), approved, applied.
//   3. The measured run: a new version of the policy is published (PLATINUM personal threshold
//      300,000 → 500,000, so only the customers in between move: the change rate is reported),
//      then a run over the same snapshot against the ledger holding all N customers:
//      proposal = POST /api/rating-runs → proposed; apply = POST …/approve → applied (one transaction,
//      only the changes written).
//   4. BullMQ (unless BENCH_RATING_BULLMQ=0; Redis at REDIS_URL, default redis://127.0.0.1:6379): the
//      threads' proposal is cancelled, a second API process on the same database with REDIS_URL and
//      `npm run worker` processes propose the same run; matrix hash, counts and staged rows must be
//      identical. That proposal is the one approved and applied.
// Targets: 1,000,000 customers: proposal ≤ 8 s, apply ≤ 5 s; 10,000,000: ≤ 60 s (BENCH_RATING_CUSTOMERS).
// BENCH_NO_WRITE=1 prints the figures only; otherwise they replace the "## Rating runs" section of RESULTS.md
// for that size (1M and 10M keep their own lines).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createWriteStream, mkdtempSync, openAsBlob, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeCpu } from './cpu.mjs';
import { ROOT, startServer } from './server.mjs';

const N = Number(process.env.BENCH_RATING_CUSTOMERS ?? 1_000_000);
/** The new version's PLATINUM threshold of personal assets (the old one is 300,000): sets the measured run's change rate. */
const PLATINUM = Number(process.env.BENCH_RATING_PLATINUM ?? 500_000);
/** Node options for the API process, e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it. */
const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
const here = path.dirname(fileURLToPath(import.meta.url));
/** Progress on stderr (with the load average), so a long run shows where it is. */
const progress = (what) => process.stderr.write(`${new Date().toISOString()} ${what} · load ${loadavg()}\n`);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const PER_DATASET = 5_000_000;
const USE_CSV = N > PER_DATASET || process.env.BENCH_RATING_CSV === '1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE = `tierwise-bench-rating-${process.pid}`;
// One signing secret for both API processes of the BullMQ part.
const JWT_SECRET = `bench-jwt-secret-${process.pid}-0123456789abcdef0123456789`;

/** CPU seconds of the API's tree while `fn` runs, with the load average before and after. */
async function withCpu(rootPid, fn) {
  const load = loadavg();
  if (!rootPid) return { value: await fn(), cpu: null, load: [load, loadavg()] };
  const c0 = treeCpu(rootPid);
  const value = await fn();
  const c1 = treeCpu(rootPid);
  const cpu = { node: +(c1.node - c0.node).toFixed(1), postgres: +(c1.postgres - c0.postgres).toFixed(1) };
  return { value, cpu: { ...cpu, total: +(cpu.node + cpu.postgres).toFixed(1) }, load: [load, loadavg()] };
}

/** mulberry32: the same customers on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A CSV snapshot of n customers: 2 % without a valid id (not rated); personal assets 40 % below
 * 100,000, 30 % 100,000–300,000, 5 % 300,000–500,000 (the band the new version moves down),
 * 20 % 500,000–1,000,000, 5 % above; family assets 0 (only personal counts).
 */
async function writeCsv(file, n) {
  const rnd = random(11);
  const out = createWriteStream(file);
  const band = (u) =>
    u < 0.4 ? [0, 100_000] : u < 0.7 ? [100_000, 300_000] : u < 0.75 ? [300_000, 500_000] : u < 0.95 ? [500_000, 1_000_000] : [1_000_000, 5_000_000];
  let buf = 'customerId,hasValidId,avgDailyAssets,familyAvgDailyAssets\n';
  for (let i = 1; i <= n; i++) {
    const [lo, hi] = band(rnd());
    buf += `C${String(i).padStart(9, '0')},${rnd() < 0.98 ? 'true' : 'false'},${Math.floor(lo + rnd() * (hi - lo))},0\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((r, j) => out.once('finish', r).once('error', j));
}

const redisReachable = () =>
  new Promise((resolve) => {
    const u = new URL(REDIS_URL);
    const s = net.connect(Number(u.port || 6379), u.hostname, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

/** The embedded PostgreSQL of a demo server (its data dir): a URL other processes can use (postmaster.pid: port, socket dir, listen address). */
function embeddedUrl(dataDir) {
  const pid = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  const [port, socketDir, listen] = [pid[3], pid[4], pid[5]];
  const auth = `postgres:${encodeURIComponent(password)}`;
  return socketDir && !listen?.trim()
    ? `postgres://${auth}@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`
    : `postgres://${auth}@127.0.0.1:${port}/postgres`;
}

/** VACUUM (ANALYZE) the ledger's tables and CHECKPOINT, through the API's pg client. */
async function settle(url) {
  const { Client } = createRequire(path.join(ROOT, 'apps/api/package.json'))('pg');
  const db = new Client({ connectionString: url });
  const t0 = performance.now();
  await db.connect();
  try {
    for (const table of ['tier_history', 'tier_current', 'rating_run_change', 'tier_event']) await db.query(`VACUUM (ANALYZE) ${table}`);
    await db.query('CHECKPOINT');
  } finally {
    await db.end();
  }
  return Math.round(performance.now() - t0);
}

function startWorker(env) {
  const child = spawn(process.execPath, [path.join(ROOT, 'apps/api/dist/worker.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d.toString()).slice(-4000)));
  return {
    child,
    output: () => err,
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))),
  };
}

async function main() {
  const loadBefore = loadavg();
  const uptimeBefore = readFileSync('/proc/uptime', 'utf8');
  const useBullmq = process.env.BENCH_RATING_BULLMQ !== '0' && (await redisReachable());
  const server = await startServer({ LOG_LEVEL: 'warn', MAX_UPLOAD_MB: '4096', JWT_SECRET }, nodeArgs);
  const extra = [];
  try {
    const tokens = { author: await server.login('author'), approver: await server.login('approver') };
    // Each API process signs its own tokens (its data dir holds the secret): log in to each.
    const tokensOf = new Map([[server.url, tokens]]);
    const call = async (base, who, method, url, body) => {
      const res = await fetch(`${base}/api${url}`, {
        method,
        headers: { authorization: `Bearer ${tokensOf.get(base)[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${JSON.stringify(json).slice(0, 400)}`);
      return json;
    };
    const api = (who, method, url, body) => call(server.url, who, method, url, body);
    const until = async (base, id, wanted) => {
      for (;;) {
        // A long apply can keep the pool busy: a 503 while polling is waited out.
        const r = await call(base, 'author', 'GET', `/rating-runs/${id}`).catch((e) => {
          if (String(e.message).includes('→ 503')) return { status: 'busy' };
          throw e;
        });
        if (wanted.includes(r.status)) return r;
        if (['failed', 'cancelled', 'rejected'].includes(r.status)) throw new Error(`run ${id} ${r.status}: ${r.error}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    // CPU of the first API's process tree (API + its threads + the embedded PostgreSQL every process uses) during each
    // step. A proposal on BullMQ workers is not counted (its node work is in the worker processes).
    const rootOf = () => server.child.pid;
    const propose = async (base = server.url) => {
      const t0 = performance.now();
      const m = await withCpu(base === server.url ? rootOf() : null, async () => {
        const started = await call(base, 'author', 'POST', '/rating-runs', { policy: 'bench-card', datasetId: dataset.id });
        return { started, proposed: await until(base, started.id, ['proposed']) };
      });
      const { started, proposed } = m.value;
      progress(
        `proposed ${started.id} in ${Math.round(performance.now() - t0)} ms, cpu ${JSON.stringify(m.cpu)} (${proposed.result.entered + proposed.result.upgrades + proposed.result.downgrades} changes)`,
      );
      return { id: started.id, proposeMs: performance.now() - t0, result: proposed.result, proposeCpu: m.cpu, proposeLoad: m.load };
    };
    const apply = async (p, base = server.url) => {
      const t1 = performance.now();
      // A very large apply can outlast fetch's 300 s header timeout: then the run's status tells when it is applied.
      const m = await withCpu(rootOf(), () =>
        call(base, 'approver', 'POST', `/rating-runs/${p.id}/approve`, {}).catch((e) => {
          if (e?.cause?.code !== 'UND_ERR_HEADERS_TIMEOUT') throw e;
          return until(base, p.id, ['applied']);
        }),
      );
      const applied = m.value;
      const applyMs = performance.now() - t1;
      if (applied.status !== 'applied') throw new Error(`not applied: ${applied.status}`);
      progress(`applied ${p.id} in ${Math.round(applyMs)} ms, cpu ${JSON.stringify(m.cpu)}`);
      const [event] = await api('author', 'GET', `/audit-events?entityType=rating_run&entityId=${p.id}&action=rating_run.apply`);
      return { ...p, applyMs, written: event?.after?.written, applyCpu: m.cpu, applyLoad: m.load };
    };
    const run = async () => apply(await propose());

    // A policy of the bench's own with cib-card's definition (the shipped one has test cases a raised threshold would fail).
    const [card] = (await api('author', 'GET', `/policies?filter=${encodeURIComponent('{"q":"cib-card"}')}`)).filter((p) => p.key === 'cib-card');
    const active = await api('author', 'GET', `/policy-versions/${card.activeVersionId}`);
    const policy = await api('author', 'POST', '/policies', { key: 'bench-card', name: 'bench card tiers' });
    const publish = async (definition, changeNote) => {
      const draft = await api('author', 'POST', `/policies/${policy.id}/versions`, { definition, changeNote });
      await api('author', 'POST', `/policy-versions/${draft.id}/submit`, {});
      await api('approver', 'POST', `/policy-versions/${draft.id}/approve`, {});
      await api('approver', 'POST', `/policy-versions/${draft.id}/publish`, {});
      await new Promise((r) => setTimeout(r, 1100)); // the evaluation timeline cache (1 s)
    };
    await publish(active.definition, 'bench: cib-card as shipped');

    let dataset;
    let snapshot;
    const t = performance.now();
    if (USE_CSV) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tierwise-bench-csv-'));
      extra.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'snapshot.csv');
      await writeCsv(file, N);
      const generateMs = performance.now() - t;
      const bytes = statSync(file).size;
      const t2 = performance.now();
      const form = new FormData();
      form.append('file', await openAsBlob(file, { type: 'text/csv' }), 'snapshot.csv');
      const query = new URLSearchParams({ name: `bench ${N}`, asOf: '2026-11-30', policy: 'bench-card', idColumn: 'customerId' });
      const res = await fetch(`${server.url}/api/datasets?${query}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.author}` }, body: form });
      dataset = await res.json();
      if (res.status !== 201) throw new Error(`CSV import → ${res.status}: ${JSON.stringify(dataset).slice(0, 400)}`);
      snapshot = { kind: 'CSV by COPY', generateMs: Math.round(generateMs), importMs: Math.round(performance.now() - t2), mib: Math.round(bytes / 2 ** 20) };
    } else {
      dataset = await api('author', 'POST', '/datasets/synthetic', { template: 'cib-card', size: N, seed: 1, asOf: '2026-11-30', policy: 'bench-card' });
      snapshot = { kind: 'synthetic', importMs: Math.round(performance.now() - t) };
    }
    progress(`snapshot of ${dataset.rowCount} customers: ${JSON.stringify(snapshot)}`);
    if (dataset.rowCount !== N) throw new Error(`the snapshot holds ${dataset.rowCount} customers, not ${N}`);
    const fill = await run();
    // Steady state: a ledger filled by last period's run has long been vacuumed, analysed and
    // checkpointed; without this the measured run would also pay for autovacuum of the rows just
    // written (it runs in the same PostgreSQL, inside the CPU figures).
    const settleMs = await settle(process.env.DATABASE_URL ?? embeddedUrl(server.dataDir));
    progress(`ledger vacuumed, analysed and checkpointed in ${settleMs} ms`);

    // A new version: PLATINUM personal 300,000 → 500,000 (BENCH_RATING_PLATINUM: another threshold, hence another
    // change rate — in the CSV snapshot 340,000 moves ≈ 1 %), through the four-eyes workflow.
    const definition = structuredClone(active.definition);
    definition.conditions.platinumAssets.any.find((l) => l.fact === 'avgDailyAssets').value = PLATINUM;
    await publish(definition, `bench: PLATINUM 300,000 → ${PLATINUM.toLocaleString('en')}`);

    const threads = await propose();
    let measured;
    let bullmq = null;
    if (useBullmq) {
      // The same run on BullMQ workers: a second API process on the same database, with REDIS_URL, and two worker processes.
      await api('author', 'POST', `/rating-runs/${threads.id}/cancel`, {});
      const dbUrl = embeddedUrl(server.dataDir);
      const shared = {
        DATABASE_URL: dbUrl,
        REDIS_URL,
        SIMULATION_QUEUE: QUEUE,
        AUDIT_KEY_FILE: path.join(server.dataDir, 'audit.key'),
        JWT_SECRET,
        LOG_LEVEL: 'warn',
      };
      const workers = [startWorker({ ...shared, WORKER_CONCURRENCY: '1' }), startWorker({ ...shared, WORKER_CONCURRENCY: '1' })];
      extra.push(async () => Promise.all(workers.map((w) => w.stop())));
      const second = await startServer(shared);
      extra.push(() => second.stop());
      tokensOf.set(second.url, { author: await second.login('author'), approver: await second.login('approver') });
      const distributed = await propose(second.url);
      const same = ['matrixHash', 'total', 'entered', 'upgrades', 'downgrades', 'unchanged', 'held', 'staged'].filter(
        (k) => JSON.stringify(distributed.result[k]) !== JSON.stringify(threads.result[k]),
      );
      if (JSON.stringify(distributed.result.groups) !== JSON.stringify(threads.result.groups)) same.push('groups');
      if (same.length) throw new Error(`BullMQ workers and threads differ in ${same.join(', ')}`);
      bullmq = { proposeMs: Math.round(distributed.proposeMs), matrixHash: distributed.result.matrixHash, identical: true, workers: workers.length };
      measured = await apply({ ...distributed, proposeMs: threads.proposeMs, proposeCpu: threads.proposeCpu, proposeLoad: threads.proposeLoad }, second.url);
    } else {
      measured = await apply(threads);
    }
    const r = measured.result;
    const changes = r.entered + r.upgrades + r.downgrades;
    const figures = {
      customers: N,
      snapshot,
      fill: {
        proposeMs: Math.round(fill.proposeMs),
        applyMs: Math.round(fill.applyMs),
        entered: fill.result.entered,
        written: fill.written,
        cpu: { propose: fill.proposeCpu, apply: fill.applyCpu },
        load: { propose: fill.proposeLoad, apply: fill.applyLoad },
      },
      run: {
        proposeMs: Math.round(measured.proposeMs),
        cpu: { propose: measured.proposeCpu, apply: measured.applyCpu },
        load: { propose: measured.proposeLoad, apply: measured.applyLoad },
        applyMs: Math.round(measured.applyMs),
        written: measured.written,
        changes,
        changeRatePct: Math.round((changes / N) * 10000) / 100,
        staged: r.staged,
        upgrades: r.upgrades,
        downgrades: r.downgrades,
        unchanged: r.unchanged,
        held: r.held,
        matrixHash: r.matrixHash,
      },
      bullmq,
      targets: N === 1_000_000 ? { proposeMs: 8000, applyMs: 5000 } : N === 10_000_000 ? { totalMs: 60_000 } : null,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadBefore, loadAfter: loadavg(), uptimeBefore: uptimeBefore.trim() },
    };
    console.log(JSON.stringify({ bench: 'rating', ...figures }));
    if (!process.env.BENCH_NO_WRITE) writeResults(figures, fill, r, changes);
    // BENCH_KEEP_SECONDS=N: keep the API and its database up that long (to EXPLAIN ANALYZE on the data).
    if (process.env.BENCH_KEEP_SECONDS) {
      progress(`keeping the server up: ${server.url}, database ${embeddedUrl(server.dataDir)}`);
      await new Promise((res) => setTimeout(res, Number(process.env.BENCH_KEEP_SECONDS) * 1000));
    }
  } finally {
    for (const stop of extra.reverse()) await stop();
    await server.stop();
  }
}

/** "1234 ms · cpu 1.2 s (node 0.4 + pg 0.8) · load 3.1 → 3.4" */
function step(ms, cpu, load) {
  const l = load ? ` · load ${load[0].split(' ')[0]} → ${load[1].split(' ')[0]}` : '';
  return `**${ms} ms** · cpu ${cpu ? `${cpu.total} s (node ${cpu.node} + pg ${cpu.postgres})` : 'n/a'}${l}`;
}

function writeResults(figures, fill, r, changes) {
  const file = path.join(here, 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const n = figures.customers.toLocaleString('en');
  const f = figures.run;
  const total = f.proposeMs + f.applyMs;
  const line = [
    `### ${n} customers`,
    '',
    `Measured ${new Date().toISOString()} on ${figures.machine.cpu} (${figures.machine.cpus} cores), load average ${figures.machine.loadBefore} before → ${figures.machine.loadAfter} after; ` +
      `\`BENCH_RATING_CUSTOMERS=${figures.customers}${PLATINUM === 500_000 ? '' : ` BENCH_RATING_PLATINUM=${PLATINUM}`} node test/bench/rating.bench.mjs\`. Snapshot: ${figures.snapshot.kind}` +
      (figures.snapshot.mib
        ? ` (${figures.snapshot.mib} MiB generated in ${figures.snapshot.generateMs} ms, imported in ${figures.snapshot.importMs} ms)`
        : ` (${figures.snapshot.importMs} ms)`) +
      '.',
    '',
    'Each step: wall time; CPU seconds of the API process tree (node = API + its job threads, pg = the embedded PostgreSQL and its backends); load average (1 min) at its start → end.',
    '',
    '| step | proposal | apply | proposal + apply | rows written |',
    '|---|---|---|---|---|',
    `| fill the ledger (all entered) | ${step(figures.fill.proposeMs, figures.fill.cpu.propose, figures.fill.load.propose)} | ${step(figures.fill.applyMs, figures.fill.cpu.apply, figures.fill.load.apply)} | ${figures.fill.proposeMs + figures.fill.applyMs} ms | ${fill.result.entered.toLocaleString('en')} history |`,
    `| new version against the full ledger (change rate ${f.changeRatePct} %) | ${step(f.proposeMs, f.cpu.propose, f.load.propose)} | ${step(f.applyMs, f.cpu.apply, f.load.apply)} | ${total} ms | ${changes.toLocaleString('en')} history, ${r.staged.toLocaleString('en')} staged |`,
    '',
    figures.bullmq
      ? `BullMQ (${figures.bullmq.workers} \`npm run worker\` processes, Redis): proposal ${figures.bullmq.proposeMs} ms, identical to the threads' (matrix hash ${figures.bullmq.matrixHash.slice(0, 12)}…, counts, groups, staged rows); that proposal was the one applied.`
      : 'BullMQ: not measured in this run (BENCH_RATING_BULLMQ=0 or no Redis).',
    '',
  ].join('\n');
  const heading = `### ${n} customers`;
  const re = new RegExp(`${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n### |\\n## |$)`);
  let next;
  if (re.test(text)) next = text.replace(re, line);
  else if (text.includes('## Rating runs')) next = text.replace(/## Rating runs\n[\s\S]*?(?=\n## |$)/, (section) => `${section.trimEnd()}\n\n${line}`);
  else next = `${text.trimEnd()}\n\n## Rating runs\n\n${line}`;
  writeFileSync(file, next);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
