// Where PostgreSQL's share of a logged batch goes (issue 17 target 2): the decision log's binary COPY of 10,000 rows
// (the writer's own encoder, apps/api/dist/evaluation/decision-copy.js) into the real, partitioned `decision` table,
// against the same COPY straight into the month's partition and into twins of that partition (same columns) with
// fewer indexes, unlogged, or given random (v4) or time-ordered (v7, the API's decision-id.ts) ids. Per variant: the backend's CPU, the whole PostgreSQL
// tree's CPU (walwriter, checkpointer … included) and the WAL written, per row. Variants take turns round by round
// (each round every variant gets a fresh 10,000 rows), so every table grows alike and a slow spell hits all.
// The schema is the API's own: its migrations are run by starting the API on the database once.
// Embedded PostgreSQL (the API's, in a temp dir, as the batch bench's server has it).
// BENCH_ROUNDS (default 10) rounds; BENCH_CHECKPOINT=1 forces a CHECKPOINT before each round (full-page images
// as after every checkpoint of a long-running log). Build the API first.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { cpuReferenceMs } from './evaluate-load.mjs';
const require = createRequire(new URL('../../apps/api/package.json', import.meta.url));
const { Client } = require('pg');
const { createEvaluator } = require('@tierwise/policy-engine');
const { encodeDecisions, copyDecisions } = require('../../apps/api/dist/evaluation/decision-copy.js');
const { startEmbeddedPostgres } = require('../../apps/api/dist/database/embedded-postgres.js');
const { decisionId } = require('../../apps/api/dist/evaluation/decision-id.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SIZE = 10_000;
const CHECKPOINT = process.env.BENCH_CHECKPOINT === '1';

const ticks = (pid) => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
};
/** CPU ticks (10 ms) of the postmaster and all its children. */
function pgTreeTicks(postmaster) {
  let sum = 0;
  const kids = new Map();
  for (const name of os.platform() === 'linux' ? require('node:fs').readdirSync('/proc') : []) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const s = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      kids.set(Number(name), { ppid: Number(f[1]), t: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // gone
    }
  }
  for (const [pid, p] of kids) if (pid === postmaster || p.ppid === postmaster) sum += p.t;
  return sum;
}

const loadBefore = os.loadavg();
const refBefore = cpuReferenceMs();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tierwise-copy-pg-'));
let embedded;
try {
  // the API's schema, seed policies and this month's partitions, in a data dir of ours; then its PostgreSQL on its own
  const api = await startServer({ TIERWISE_DATA_DIR: tmp, DECISION_UPKEEP_CRON: 'off' });
  await api.stop();
  embedded = await startEmbeddedPostgres(tmp, () => undefined);
  const url = embedded.url;

  const db = new Client({ connectionString: url, application_name: 'bench-copy-pg' });
  db.on('error', () => undefined); // the server stopping after a failure below: that failure is the one reported
  await db.connect();
  const [{ id: policyId }] = (await db.query(`SELECT id FROM policy WHERE key = 'cib-card'`)).rows;
  const [{ id: versionId, number }] = (
    await db.query(`SELECT id, number FROM policy_version WHERE policy_id = $1 AND status = 'published' ORDER BY number DESC LIMIT 1`, [policyId])
  ).rows;
  const now = new Date();
  // the API creates the months ahead at start (before the seed made the policy here) and on a write that finds none
  await db.query('SELECT decision_partition_for($1, $2)', [policyId, now]);
  const leaf = `decision_${policyId.replaceAll('-', '')}_${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const [{ postmaster }] = (await db.query(`SELECT (SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer') AS postmaster`)).rows;
  // the checkpointer's parent is the postmaster
  const pm = Number(readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  const [{ pid: backend }] = (await db.query('SELECT pg_backend_pid() AS pid')).rows;

  const file = JSON.parse(readFileSync(new URL('../../apps/api/templates/cib-card.policy.json', import.meta.url), 'utf8'));
  const ev = createEvaluator(file.definition, file.catalog.facts);
  const outcomes = [];
  for (let i = 0; i < SIZE; i++) {
    const facts = { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 };
    outcomes.push({ facts, r: await ev.evaluate(facts) });
  }
  /** A batch as the API logs it (evaluation.service.ts decision()): the bench's customers, ids fresh. */
  // BENCH_POPULATION=<n>: each batch's customers drawn from n customers (a bank's, each seen again and again) instead
  // of the same 10,000 (`batch-<i>`) every round
  const POPULATION = Number(process.env.BENCH_POPULATION ?? 0);
  let drawn = 0;
  const customer = (i, population) => (population ? `C${String((Math.imul(++drawn, 2_654_435_761) >>> 0) % population).padStart(9, '0')}` : `batch-${i}`);
  /** `population`: the variant's own (0: the same 10,000 each round), else BENCH_POPULATION */
  const batch = (v7, population = POPULATION) => {
    const t = Date.now();
    return outcomes.map(({ facts, r }, i) => {
      const at = new Date(t + Math.floor(i / 2000)); // new Date() per decision: a batch spans a few ms
      return {
        id: v7 ? decisionId(at.getTime()) : randomUUID(),
        evaluatedAt: at,
        asOf: new Date(t),
        policyId,
        policyKey: 'cib-card',
        versionId,
        versionNumber: number,
        customerId: customer(i, population),
        actor: 'service',
        facts,
        eligible: r.eligible,
        tierKey: r.tier?.key ?? null,
        tierRank: r.tier?.rank ?? null,
        benefitPackageKey: r.tier?.benefitPackage ?? null,
        scores: r.scores,
        trace: null,
        rolloutStep: null,
        cutoffRunId: null,
      };
    });
  };

  const PK = (t) => `ALTER TABLE ${t} ADD PRIMARY KEY (id, policy_id, evaluated_at)`;
  const CUSTOMER = (t) => `CREATE INDEX ON ${t} (customer_id, evaluated_at DESC)`;
  const AT = (t) => `CREATE INDEX ON ${t} (evaluated_at DESC)`;
  const CUSTOMER_C = (t) => `CREATE INDEX ON ${t} (customer_id COLLATE "C", evaluated_at DESC)`;
  const ID = (t) => `CREATE INDEX ON ${t} (id)`;
  const CUSTOMER_ONLY = (t) => `CREATE INDEX ON ${t} (customer_id)`;
  const CUSTOMER_HASH = (t) => `CREATE INDEX ON ${t} USING hash (customer_id)`;
  const AT_BRIN = (t) => `CREATE INDEX ON ${t} USING brin (evaluated_at)`;
  const AT_NODEDUP = (t) => `CREATE INDEX ON ${t} (evaluated_at DESC) WITH (deduplicate_items = off)`;
  const allVariants = [
    { name: 'parent, v4 ids (before decision-id.ts)', table: 'decision' },
    { name: 'parent, v7 ids (decision-id.ts)', table: 'decision', v7: true },
    { name: 'the month partition directly', table: leaf },
    { name: 'twin: pk + customer + at', twin: [PK, CUSTOMER, AT] },
    { name: 'twin: pk + customer + at, v7 ids', twin: [PK, CUSTOMER, AT], v7: true },
    { name: 'twin: pk + customer', twin: [PK, CUSTOMER] },
    { name: 'twin: pk + at', twin: [PK, AT] },
    { name: 'twin: pk', twin: [PK] },
    { name: 'twin: pk, v7 ids', twin: [PK], v7: true },
    { name: 'twin: no index', twin: [] },
    { name: 'twin: pk + customer + at, unlogged', twin: [PK, CUSTOMER, AT], unlogged: true },
    { name: 'twin: pk + customer + at (again, last)', twin: [PK, CUSTOMER, AT] },
    { name: 'twin: pk + customer COLLATE "C" + at, v7 ids', twin: [PK, CUSTOMER_C, AT], v7: true },
    { name: 'twin: pk + customer, v7 ids', twin: [PK, CUSTOMER], v7: true },
    { name: 'twin: pk + customer hash + at, v7 ids', twin: [PK, CUSTOMER_HASH, AT], v7: true },
    { name: 'twin: pk + customer_id alone + at, v7 ids', twin: [PK, CUSTOMER_ONLY, AT], v7: true },
    { name: 'twin: pk + customer + at, v7 ids, rows in customer order', twin: [PK, CUSTOMER, AT], v7: true, sorted: true },
    { name: 'parent, v7 ids, rows in customer order', table: 'decision', v7: true, sorted: true },
    { name: 'twin: pk + customer + at, v7 ids, the same 10,000 customers each round', twin: [PK, CUSTOMER, AT], v7: true, population: 0 },
    { name: 'twin: pk + customer + BRIN at, v7 ids', twin: [PK, CUSTOMER, AT_BRIN], v7: true },
    { name: 'twin: pk + customer + at (no dedup), v7 ids', twin: [PK, CUSTOMER, AT_NODEDUP], v7: true },
    { name: 'twin: customer + at, v7 ids', twin: [CUSTOMER, AT], v7: true },
    { name: 'twin: no index, v7 ids', twin: [], v7: true },
    { name: 'twin: id (not unique), v7 ids', twin: [ID], v7: true },
    { name: 'twin: id (not unique) + customer + at, v7 ids', twin: [ID, CUSTOMER, AT], v7: true },
  ];
  // BENCH_VARIANTS=<regex>: only the variants whose name matches (e.g. 'v7'); all by default
  const only = process.env.BENCH_VARIANTS ? new RegExp(process.env.BENCH_VARIANTS) : null;
  const variants = only ? allVariants.filter((v) => only.test(v.name)) : allVariants;
  for (const [i, v] of allVariants.entries()) {
    if (!variants.includes(v)) continue;
    if (!v.twin) continue;
    v.table = `copy_twin_${i}`;
    await db.query(`CREATE ${v.unlogged ? 'UNLOGGED ' : ''}TABLE ${v.table} (LIKE ${leaf} INCLUDING DEFAULTS)`);
    for (const ddl of v.twin) await db.query(ddl(v.table));
    v.sql = `COPY ${v.table} (id, evaluated_at, as_of, policy_id, policy_key, version_id, version_number, customer_id, actor, facts, eligible, tier_key, tier_rank, benefit_package_key, scores, rollout_step, cutoff_run_id) FROM STDIN (FORMAT binary)`;
  }
  const { from: copyFrom } = require('pg-copy-streams');
  const { once } = require('node:events');
  const copyInto = async (sql, data) => {
    const stream = db.query(copyFrom(sql));
    const done = Promise.race([once(stream, 'finish'), once(stream, 'error').then(([e]) => Promise.reject(e))]);
    stream.end(data);
    await done;
  };
  for (const v of variants) Object.assign(v, { backend: 0, tree: 0, wal: 0, ms: 0, rows: 0 });
  const lsn = async () => (await db.query('SELECT pg_current_wal_insert_lsn() AS l')).rows[0].l;
  // BENCH_PERF=<file>: `perf record -g` of the backend over the counted rounds (e.g. with BENCH_VARIANTS naming one)
  let perf;
  const { spawn } = require('node:child_process');
  // one warm-up round (first COPY of each table: relcache, catalogue), not counted
  for (let round = -1; round < ROUNDS; round++) {
    if (round === 0 && process.env.BENCH_PERF) {
      perf = spawn('perf', ['record', '-q', '-F', '1999', '-g', '-p', String(backend), '-o', process.env.BENCH_PERF], { stdio: 'inherit' });
      await new Promise((r) => setTimeout(r, 500));
    }
    if (CHECKPOINT && round >= 0) await db.query('CHECKPOINT');
    for (const v of round % 2 ? [...variants].reverse() : variants) {
      const rows = batch(Boolean(v.v7), v.population);
      // `sorted`: the batch's rows in customer order (the customer index's inserts walk its leaves in order)
      if (v.sorted) rows.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
      const data = encodeDecisions(rows);
      const w0 = await lsn();
      const b0 = ticks(backend);
      const p0 = pgTreeTicks(pm);
      const t0 = performance.now();
      if (v.table === 'decision') await copyDecisions(db, data);
      else
        await copyInto(
          v.sql ??
            `COPY ${v.table} (id, evaluated_at, as_of, policy_id, policy_key, version_id, version_number, customer_id, actor, facts, eligible, tier_key, tier_rank, benefit_package_key, scores, rollout_step, cutoff_run_id) FROM STDIN (FORMAT binary)`,
          data,
        );
      const ms = performance.now() - t0;
      const b1 = ticks(backend);
      const p1 = pgTreeTicks(pm);
      const w1 = await lsn();
      if (round < 0) continue;
      v.backend += b1 - b0;
      v.tree += p1 - p0;
      v.wal += Number((await db.query('SELECT pg_wal_lsn_diff($1, $2) AS d', [w1, w0])).rows[0].d);
      v.ms += ms;
      v.rows += SIZE;
    }
  }
  if (perf) {
    perf.kill('SIGINT');
    await once(perf, 'exit');
  }
  const sizes = {};
  for (const v of variants) {
    const [{ b }] = (await db.query(`SELECT pg_total_relation_size($1::regclass) AS b`, [v.table])).rows;
    sizes[v.name] = Number(b);
  }
  await db.end();
  const perRow = (ticksN, rows) => +((ticksN * 10_000) / rows).toFixed(2); // µs per row (a tick is 10 ms)
  console.log(
    JSON.stringify(
      {
        bench: 'decision-copy-pg',
        rowsPerCopy: SIZE,
        rounds: ROUNDS,
        population: POPULATION || 'the same 10,000 each round',
        checkpointEachRound: CHECKPOINT,
        variants: variants.map((v) => ({
          name: v.name,
          backendUsPerRow: perRow(v.backend, v.rows),
          pgTreeUsPerRow: perRow(v.tree, v.rows),
          walBytesPerRow: Math.round(v.wal / v.rows),
          wallMsPerCopy: Math.round(v.ms / ROUNDS),
          tableBytes: v.table === 'decision' ? undefined : sizes[v.name],
        })),
        cpuReferenceMs: { before: refBefore, after: cpuReferenceMs() },
        loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
      },
      null,
      1,
    ),
  );
} finally {
  await embedded?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
