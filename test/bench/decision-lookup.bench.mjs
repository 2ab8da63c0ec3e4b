// Issue 17 target 4: a customer's decisions looked up in a big log, and evaluate throughput with that
// log against an empty one. The real server runs on a scratch database of the machine's PostgreSQL
// (BENCH_DB_URL, default postgres://postgres@127.0.0.1:5432/perf_lookup — created and migrated by the
// server, dropped at the end unless BENCH_KEEP=1; BENCH_REUSE=1 measures a database kept before,
// without generating it again).
//
// Setup through the API as a bank would do it: an admin (ADMIN_USERNAME), an author, an approver and
// a service account; four shipped templates as policies (cib-card first), each published four-eyes.
// BENCH_ROWS decisions (default 10,000,000) are generated in SQL into the partitioned log: the four
// policies × the last 12 months (48 months-tables, BENCH_ROWS / 48 rows each, evaluated_at rising
// with insertion order over the month — up to now for the current one), BENCH_CUSTOMERS distinct
// customers (default BENCH_ROWS / 5: five decisions each, spread over policies and months), cib-card's
// three facts, an outcome, and an empty trace `[]` (the trace's size does not change the lookup's
// index path). Fast path (a month at a time, BENCH_SESSIONS sessions in parallel, default 2): the
// month-table decision_partition_for created is detached, loaded with INSERT … SELECT
// generate_series while it has no index, vacuumed and analysed, its indexes built again from the
// definitions it had (so they are exactly those the log gives a month), given a CHECK equal to its
// partition constraint (so the attach skips its scan) and attached back; the CHECK is then dropped.
// Session settings only (synchronous_commit off, maintenance_work_mem): the server's config is
// shared and not touched.
//
// Measured: BENCH_LOOKUPS random customers (default 2,000) looked up one after another through
// GET /api/decisions?filter={"customerId":…} (newest first, one page, with its count, as the console
// asks) and, for the database alone, the same SQL; p50/p99/max. Then (BENCH_EVAL_ROUNDS > 0, default
// 3) logged POST /api/evaluate for BENCH_EVAL_SECONDS (default 5) at BENCH_EVAL_CONNECTIONS (32)
// against this server and a second one on an empty scratch database (<name>_empty, same setup,
// dropped at the end), loaded in turn, the order alternating each round, customers from the
// generated population; ratio of the medians (big ÷ empty).
// BENCH_LOOKUP_FROM (default 100): the first customer of the sequence looked up — a re-run with another
// value looks up customers no earlier run read (their heap pages not in the OS cache). BENCH_PREWARM=1:
// before the lookups, every month-table's customer index is read into the OS cache (pg_prewarm 'read'):
// the steady state of a log that answers lookups all day, whose indexes (4.3 GB at 100M) stay cached
// while the heap (26 GB) does not. For a cold start, drop the OS cache first (as root:
// sync; echo 3 > /proc/sys/vm/drop_caches).
//
// Drop a kept database: psql postgres://postgres@127.0.0.1:5432/postgres -c 'DROP DATABASE perf_lookup WITH (FORCE)'
import { createRequire } from 'node:module';
import os from 'node:os';
import { cpuReferenceMs, digest, load, median, run } from './evaluate-load.mjs';
import { startServer } from './server.mjs';
const require = createRequire(import.meta.url);
const { Client } = require('pg');

const REUSE = process.env.BENCH_REUSE === '1';
const KEEP = REUSE || process.env.BENCH_KEEP === '1';
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 2000);
const LOOKUP_FROM = Number(process.env.BENCH_LOOKUP_FROM ?? 100);
const PREWARM = process.env.BENCH_PREWARM === '1';
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 2);
const EVAL_ROUNDS = Number(process.env.BENCH_EVAL_ROUNDS ?? 3);
const EVAL_SECONDS = Number(process.env.BENCH_EVAL_SECONDS ?? 5);
const EVAL_CONNECTIONS = Number(process.env.BENCH_EVAL_CONNECTIONS ?? 32);
const MONTHS = 12;
const POLICIES = 4;
const dbUrl = new URL(process.env.BENCH_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/perf_lookup');
const dbName = dbUrl.pathname.slice(1);
const emptyUrl = new URL(dbUrl);
emptyUrl.pathname = `/${dbName}_empty`;
const adminUrl = new URL(dbUrl);
adminUrl.pathname = '/postgres';
const PASSWORD = 'Lookup-bench-Pw-9137!';
const USERS = { author: ['author'], approver: ['approver'], service: ['service'], compliance: ['compliance'] };

const progress = (m) => process.stderr.write(`${new Date().toISOString()} ${m} (load ${os.loadavg()[0].toFixed(1)})\n`);
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const stats = (xs) => ({ p50ms: +q(xs, 0.5).toFixed(2), p99ms: +q(xs, 0.99).toFixed(2), maxMs: +Math.max(...xs).toFixed(2) });

async function login(url, username, password = PASSWORD) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `bench-${username}`, password }),
  });
  const body = await res.json();
  if (!body.accessToken) throw new Error(`login of bench-${username} failed: ${JSON.stringify(body)}`);
  return body.accessToken;
}

async function call(url, token, method, path, body) {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 400)}`);
  return text ? JSON.parse(text) : undefined;
}

/** A fresh database with the server on it: users, and four shipped templates published four-eyes. Returns the server and the policies. */
async function prepare(admin, url) {
  const name = url.pathname.slice(1);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const server = await serve(url);
  const root = await login(server.url, 'admin');
  for (const [username, roles] of Object.entries(USERS)) {
    // an account an administrator created must choose its own password before anything else
    await call(server.url, root, 'POST', '/users', { username: `bench-${username}`, password: `${PASSWORD}-first`, roles });
    const first = await login(server.url, username, `${PASSWORD}-first`);
    await call(server.url, first, 'POST', '/auth/password', { currentPassword: `${PASSWORD}-first`, newPassword: PASSWORD });
  }
  const author = await login(server.url, 'author');
  const approver = await login(server.url, 'approver');
  const keys = (await call(server.url, author, 'GET', '/templates')).map((t) => t.key);
  const chosen = ['cib-card', ...keys.filter((k) => k !== 'cib-card')].slice(0, POLICIES);
  const policies = [];
  for (const key of chosen) {
    const { policy, version } = await call(server.url, author, 'POST', `/templates/${key}/policy`, {});
    await call(server.url, author, 'POST', `/policy-versions/${version.id}/submit`, {});
    await call(server.url, approver, 'POST', `/policy-versions/${version.id}/approve`, {});
    const published = await call(server.url, approver, 'POST', `/policy-versions/${version.id}/publish`, {});
    policies.push({ id: policy.id, key: policy.key, versionId: version.id, versionNumber: published.number ?? version.number });
  }
  await new Promise((r) => setTimeout(r, 1100)); // the evaluation timeline cache (1 s)
  return { server, policies };
}

function serve(url) {
  // a fixed audit key: a kept database is served again (BENCH_REUSE=1) under the key its events were sealed with
  return startServer({
    DATABASE_URL: url.toString(),
    AUDIT_KEY: 'lookup-bench-audit-key-0123456789abcdef',
    LOG_LEVEL: 'warn',
    ADMIN_USERNAME: 'bench-admin',
    ADMIN_PASSWORD: PASSWORD,
  });
}

/**
 * One month-table filled (see the header): detached, loaded without indexes, vacuumed and analysed,
 * its own indexes rebuilt, a CHECK equal to its partition constraint, attached, the CHECK dropped.
 */
async function fillMonth(db, m) {
  const { leaf, parent, bound, constraint, indexes, policy, from, to, first, rows, customers } = m;
  await db.query(`ALTER TABLE ${parent} DETACH PARTITION ${leaf}`);
  for (const i of indexes) {
    if (i.conname) await db.query(`ALTER TABLE ${leaf} DROP CONSTRAINT ${i.conname}`);
    else await db.query(`DROP INDEX ${i.name}`);
  }
  // evaluated_at rises with i over [from, to); facts like the API's for cib-card; outcome columns set
  await db.query(
    `INSERT INTO ${leaf} (id, evaluated_at, as_of, policy_id, policy_key, version_id, version_number, customer_id, actor, facts, eligible, tier_key, tier_rank, benefit_package_key, scores, trace, rollout_step)
     SELECT gen_random_uuid(), t, t, $1, $2, $3, $4, 'C' || ((i * 7919) % $5::bigint), 'service',
            jsonb_build_object('avgDailyAssets', a, 'familyAvgDailyAssets', (i * 11311) % 900000, 'hasValidId', i % 17 <> 0),
            i % 17 <> 0, CASE WHEN i % 17 = 0 THEN NULL WHEN a >= 800000 THEN 'PLATINUM' WHEN a >= 300000 THEN 'GOLD' ELSE 'STANDARD' END,
            CASE WHEN i % 17 = 0 THEN NULL WHEN a >= 800000 THEN 3 WHEN a >= 300000 THEN 2 ELSE 1 END, NULL, '{}'::jsonb, '[]'::json, NULL
       FROM generate_series($6::bigint, $7::bigint) AS i,
            LATERAL (SELECT $8::timestamptz + ($9::timestamptz - $8::timestamptz) * ((i - $6)::float8 / $10) AS t, (i * 37123) % 1500000 AS a) x`,
    [policy.id, policy.key, policy.versionId, policy.versionNumber, customers, first, first + rows - 1, from, to, rows],
  );
  await db.query(`VACUUM (ANALYZE) ${leaf}`);
  for (const i of indexes) {
    if (i.conname) await db.query(`ALTER TABLE ${leaf} ADD CONSTRAINT ${i.conname} ${i.condef}`);
    else await db.query(i.def);
  }
  await db.query(`ALTER TABLE ${leaf} ADD CONSTRAINT bench_bound CHECK (${constraint})`);
  await db.query(`ALTER TABLE ${parent} ATTACH PARTITION ${leaf} ${bound}`);
  await db.query(`ALTER TABLE ${leaf} DROP CONSTRAINT bench_bound`);
}

async function generate(db, policies, rowsWanted, customers) {
  const now = new Date();
  const months = [];
  for (const p of policies)
    for (let k = 0; k < MONTHS; k++) {
      const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k + 1, 1));
      const leaf = (await db.query(`SELECT decision_partition_for($1, $2) AS leaf`, [p.id, from])).rows[0].leaf;
      months.push({ policy: p, leaf, from, to: end > now ? now : end });
    }
  const per = Math.ceil(rowsWanted / months.length);
  for (const [k, m] of months.entries()) {
    const meta = (
      await db.query(
        `SELECT i.inhparent::regclass::text AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound, pg_get_partition_constraintdef(c.oid) AS constraint,
                (SELECT json_agg(json_build_object('name', x.indexrelid::regclass::text, 'def', pg_get_indexdef(x.indexrelid), 'conname', k.conname, 'condef', pg_get_constraintdef(k.oid)))
                   FROM pg_index x LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid WHERE x.indrelid = c.oid) AS indexes
           FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE c.oid = $1::regclass`,
        [m.leaf],
      )
    ).rows[0];
    Object.assign(m, meta, { first: k * per, rows: per, customers });
  }
  const queue = [...months];
  let done = 0;
  const worker = async () => {
    const db = new Client({ connectionString: dbUrl.toString(), application_name: 'bench-decision-generate' });
    await db.connect();
    try {
      await db.query(`SET synchronous_commit = off`);
      await db.query(`SET maintenance_work_mem = '512MB'`);
      await db.query(`SET max_parallel_maintenance_workers = 0`);
      for (let m = queue.shift(); m; m = queue.shift()) {
        await fillMonth(db, m);
        progress(`${++done}/${months.length} months generated (${m.leaf})`);
      }
    } finally {
      await db.end();
    }
  };
  await Promise.all(Array.from({ length: SESSIONS }, worker));
  return per * months.length;
}

const admin = new Client({ connectionString: adminUrl.toString() });
await admin.connect();
const loadBefore = os.loadavg();
const out = { bench: 'decision-lookup', startedAt: new Date().toISOString() };
let server;
let db;
let empty;
try {
  if (REUSE) {
    // what the generating run left in the database's comment
    const comment = (await admin.query(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [dbName])).rows[0]?.c;
    if (!comment) throw new Error(`BENCH_REUSE=1: no generated database ${dbName}`);
    out.reused = true;
    out.generated = JSON.parse(comment);
    server = await serve(dbUrl);
    db = new Client({ connectionString: dbUrl.toString() });
    await db.connect();
  } else {
    const rows = Number(process.env.BENCH_ROWS ?? 10_000_000);
    const customers = Number(process.env.BENCH_CUSTOMERS ?? Math.max(1, Math.round(rows / 5)));
    const prepared = await prepare(admin, dbUrl);
    server = prepared.server;
    db = new Client({ connectionString: dbUrl.toString() });
    await db.connect();
    progress(`generating ${rows} decisions of ${customers} customers`);
    const g0 = performance.now();
    const generated = await generate(db, prepared.policies, rows, customers);
    const generateSeconds = Math.round((performance.now() - g0) / 1000);
    await db.query(`ANALYZE decision`);
    await db.query(`CHECKPOINT`);
    out.generated = {
      rows: generated,
      customers,
      generateSeconds,
      at: out.startedAt,
      sessions: SESSIONS,
      loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
    };
    await admin.query(`COMMENT ON DATABASE ${dbName} IS '${JSON.stringify(out.generated)}'`);
    progress(`generated in ${generateSeconds} s`);
  }
  out.rowsStored = Number(
    (await db.query(`SELECT sum(reltuples)::bigint AS n FROM pg_class WHERE oid IN (SELECT relid FROM pg_partition_tree('decision') WHERE isleaf)`)).rows[0].n,
  );
  out.logBytes = Number((await db.query(`SELECT sum(pg_total_relation_size(relid)) AS n FROM pg_partition_tree('decision')`)).rows[0].n);
  out.heapBytes = Number((await db.query(`SELECT sum(pg_relation_size(relid)) AS n FROM pg_partition_tree('decision')`)).rows[0].n);
  out.partitions = Number((await db.query(`SELECT count(*) AS n FROM pg_partition_tree('decision') WHERE isleaf`)).rows[0].n);
  const CUSTOMERS = out.generated.customers;

  const auditor = await login(server.url, 'compliance');
  const customer = (k) => `C${(k * 104_729) % CUSTOMERS}`;
  const lookup = (c) =>
    fetch(`${server.url}/api/decisions?filter=${encodeURIComponent(JSON.stringify({ customerId: c }))}`, { headers: { authorization: `Bearer ${auditor}` } });
  for (let k = 0; k < 50; k++) await (await lookup(customer(k))).arrayBuffer();
  if (PREWARM) {
    const t = performance.now();
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const blocks = (
      await db.query(
        `SELECT sum(pg_prewarm(i.indexrelid, 'read'))::bigint AS n FROM pg_index i
           JOIN pg_partition_tree('decision') p ON p.relid = i.indrelid AND p.isleaf
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] AND a.attname = 'customer_id'`,
      )
    ).rows[0].n;
    out.prewarm = { indexBlocks: Number(blocks), seconds: +((performance.now() - t) / 1000).toFixed(1) };
    progress(`customer indexes read into the OS cache: ${blocks} blocks`);
  }
  out.lookupFrom = LOOKUP_FROM;
  progress(`looking up ${LOOKUPS} customers from #${LOOKUP_FROM}`);
  const loadLookups = os.loadavg();
  const api = [];
  const sql = [];
  let found = 0;
  let total = 0;
  for (let k = 0; k < LOOKUPS; k++) {
    const c = customer(k + LOOKUP_FROM);
    let t = performance.now();
    const res = await lookup(c);
    const body = await res.json();
    api.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`lookup answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    found += body.length;
    total += Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
    t = performance.now();
    await db.query({
      name: 'lookup',
      text: `SELECT id, evaluated_at, policy_key, tier_key FROM decision WHERE customer_id = $1 ORDER BY evaluated_at DESC LIMIT 25`,
      values: [c],
    });
    sql.push(performance.now() - t);
  }
  out.lookups = {
    count: LOOKUPS,
    decisionsPerLookup: +(found / LOOKUPS).toFixed(1),
    totalPerLookup: +(total / LOOKUPS).toFixed(1),
    api: stats(api),
    sql: stats(sql),
    loadAverage: { before: loadLookups.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
  };
  out.lookups.plan = (
    await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM decision WHERE customer_id = $1 ORDER BY evaluated_at DESC LIMIT 25`, [customer(7)])
  ).rows
    .map((r) => r['QUERY PLAN'])
    .filter((l) => /Limit|Merge Append|Execution|Planning/.test(l));

  if (EVAL_ROUNDS > 0) {
    progress(`evaluate: ${dbName} against an empty log`);
    empty = (await prepare(admin, emptyUrl)).server;
    const big = { name: 'log', server, token: await login(server.url, 'service'), runs: [] };
    const none = { name: 'empty', server: empty, token: await login(empty.url, 'service'), runs: [] };
    const population = (i) => `C${(i * 7919) % CUSTOMERS}`;
    const cpuBefore = cpuReferenceMs();
    const loadEval = os.loadavg();
    for (const s of [big, none]) await load(s.server.url, s.token, EVAL_CONNECTIONS, 3, population); // JIT and pools warm
    for (let round = 0; round < EVAL_ROUNDS; round++)
      for (const s of round % 2 ? [none, big] : [big, none]) s.runs.push(run(await load(s.server.url, s.token, EVAL_CONNECTIONS, EVAL_SECONDS, population)));
    const failed = [...big.runs, ...none.runs].reduce((n, r) => n + r.failed, 0);
    if (failed) throw new Error(`${failed} evaluate requests failed`);
    const l = digest(big.runs);
    const e = digest(none.runs);
    out.evaluate = {
      connections: EVAL_CONNECTIONS,
      seconds: EVAL_SECONDS,
      rounds: EVAL_ROUNDS,
      log: l,
      empty: e,
      logOverEmpty: +(l.reqPerSec / e.reqPerSec).toFixed(3),
      // the same ratio round by round (each pair loaded back to back)
      roundRatios: big.runs.map((r, k) => +(r.reqPerSec / none.runs[k].reqPerSec).toFixed(3)),
      medianRoundRatio: +median(big.runs.map((r, k) => r.reqPerSec / none.runs[k].reqPerSec)).toFixed(3),
      cpuReferenceMs: { before: cpuBefore, after: cpuReferenceMs() },
      loadAverage: { before: loadEval.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
    };
  }
} finally {
  await db?.end();
  await server?.stop();
  await empty?.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${emptyUrl.pathname.slice(1)} WITH (FORCE)`);
  if (!KEEP) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
out.kept = KEEP ? dbName : null;
out.loadAverage = { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) };
console.log(JSON.stringify(out, null, 1));
