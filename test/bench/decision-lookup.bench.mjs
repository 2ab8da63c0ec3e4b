// Issue 17 target 4: a customer's decisions looked up in a big log. The real server runs on a
// scratch database of the machine's PostgreSQL (BENCH_DB_URL, default postgres://postgres@127.0.0.1:5432/
// perf_lookup — created, migrated and seeded by the server, dropped at the end unless BENCH_KEEP=1);
// BENCH_ROWS decisions (default 10,000,000) are generated in SQL with generate_series into the
// partitioned log — the seeded policies × the last 12 months, BENCH_CUSTOMERS distinct customers
// (default 2,000,000; ~5 decisions each), small facts and a minimal trace (the lookup reads the
// summary columns; trace size does not change the index path) — then 2,000 random customers are
// looked up one after another through GET /api/decisions?customerId=… (newest first, one page, with
// its count, as the console asks) and, for the database alone, the same SQL. p50/p99 reported.
import { createRequire } from 'node:module';
import os from 'node:os';
import { startServer } from './server.mjs';
const require = createRequire(import.meta.url);
const { Client } = require('pg');

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2_000_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 2000);
const dbUrl = new URL(process.env.BENCH_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/perf_lookup');
const dbName = dbUrl.pathname.slice(1);
const adminUrl = new URL(dbUrl);
adminUrl.pathname = '/postgres';

async function login(url) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-admin', password: 'Lookup-bench-Pw-9137!' }),
  });
  const body = await res.json();
  if (!body.accessToken) throw new Error(`login failed: ${JSON.stringify(body)}`);
  return body.accessToken;
}
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const stats = (xs) => ({ p50ms: +q(xs, 0.5).toFixed(2), p99ms: +q(xs, 0.99).toFixed(2), maxMs: +Math.max(...xs).toFixed(2) });

const admin = new Client({ connectionString: adminUrl.toString() });
await admin.connect();
const loadBefore = os.loadavg();
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${dbName}`);
process.env.DATABASE_URL = dbUrl.toString();
const server = await startServer({ LOG_LEVEL: 'warn', ADMIN_USERNAME: 'bench-admin', ADMIN_PASSWORD: 'Lookup-bench-Pw-9137!' });
const db = new Client({ connectionString: dbUrl.toString() });
await db.connect();
const out = { bench: 'decision-lookup', rows: ROWS, customers: CUSTOMERS, lookups: LOOKUPS };
try {
  // four policies of their own (the log records a version id as is; nothing refers to it here)
  const policies = (
    await db.query(
      `INSERT INTO policy (key, name, created_by) SELECT 'bench-' || i, 'bench policy ' || i, 'bench' FROM generate_series(1, 4) i RETURNING id, key`,
    )
  ).rows;
  const byPolicy = new Map(policies.map((p) => [p.id, { id: crypto.randomUUID(), number: 1 }]));
  const now = new Date();
  for (const p of policies)
    for (let m = 0; m < 12; m++)
      await db.query(`SELECT decision_partition_for($1, $2)`, [p.id, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 15))]);
  const g0 = performance.now();
  const per = Math.ceil(ROWS / policies.length);
  for (const p of policies) {
    const v = byPolicy.get(p.id);
    // in slices of 1M rows, one transaction each
    for (let from = 0; from < per; from += 1_000_000) {
      const to = Math.min(per, from + 1_000_000) - 1;
      await db.query(
        `INSERT INTO decision (id, evaluated_at, as_of, policy_id, policy_key, version_id, version_number, customer_id, actor, facts, eligible, tier_key, tier_rank, benefit_package_key, scores, trace)
         SELECT gen_random_uuid(), t, t, $1, $2, $3, $4, 'C' || ((i::bigint * 7919) % $5), 'service', jsonb_build_object('avgDailyAssets', i % 1500000), true, 'GOLD', 3, NULL, '{}'::jsonb, '[]'::json
           FROM generate_series($6::int, $7::int) AS i, LATERAL (SELECT now() - (i % 31536000) * interval '1 second' AS t) x`,
        [p.id, p.key, v.id, v.number, CUSTOMERS, from, to],
      );
    }
  }
  out.generateSeconds = Math.round((performance.now() - g0) / 1000);
  await db.query(`ANALYZE decision`);
  out.rowsStored = Number((await db.query(`SELECT count(*) AS n FROM decision`)).rows[0].n);
  out.logBytes = Number((await db.query(`SELECT sum(pg_total_relation_size(relid)) AS n FROM pg_partition_tree('decision')`)).rows[0].n);
  out.partitions = Number((await db.query(`SELECT count(*) AS n FROM pg_partition_tree('decision') WHERE isleaf`)).rows[0].n);

  const token = await login(server.url);
  const customer = (k) => `C${(k * 104_729) % CUSTOMERS}`;
  const api = [];
  const sql = [];
  for (let k = 0; k < 50; k++)
    await fetch(`${server.url}/api/decisions?filter=${encodeURIComponent(JSON.stringify({ customerId: customer(k) }))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  let found = 0;
  for (let k = 0; k < LOOKUPS; k++) {
    const c = customer(k + 100);
    let t = performance.now();
    const res = await fetch(`${server.url}/api/decisions?filter=${encodeURIComponent(JSON.stringify({ customerId: c }))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.json();
    api.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`lookup answered ${res.status}`);
    found += body.length;
    t = performance.now();
    await db.query({
      name: 'lookup',
      text: `SELECT id, evaluated_at, policy_key, tier_key FROM decision WHERE customer_id = $1 ORDER BY evaluated_at DESC LIMIT 25`,
      values: [c],
    });
    sql.push(performance.now() - t);
  }
  out.decisionsFoundPerLookup = +(found / LOOKUPS).toFixed(1);
  out.api = stats(api);
  out.sql = stats(sql);
  out.plan = (
    await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM decision WHERE customer_id = 'C42' ORDER BY evaluated_at DESC LIMIT 25`)
  ).rows
    .map((r) => r['QUERY PLAN'])
    .filter((l) => /Limit|Merge Append|Index|Execution|Planning/.test(l))
    .slice(0, 6);
} finally {
  await db.end();
  await server.stop();
  if (process.env.BENCH_KEEP !== '1') await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
out.loadAverage = { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) };
console.log(JSON.stringify(out, null, 1));
