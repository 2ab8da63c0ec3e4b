// How to store a decision's trace (issue 17): jsonb (pglz TOAST, today), jsonb with lz4 TOAST, json
// (text, kept as sent), and gzip'd JSON in bytea (compressed by the API). For each: bytes per
// decision (table + TOAST + indexes), rows written per second (multi-row INSERT of 500, as the group
// commit does), and reading one decision's trace back as JSON by id (what GET /api/decisions/:id does).
// Needs DATABASE_URL (a scratch schema is created and dropped). Traces are real: the cib-card and
// gov-mms templates evaluated by the policy engine over varied customers.
import { createRequire } from 'node:module';
import os from 'node:os';
import { cardEval, dealer, dealerEval, synthetic } from './trace-fixtures.mjs';
import { gzipSync, gunzipSync } from 'node:zlib';
const require = createRequire(import.meta.url);
const { Client } = require('pg');

const N = Number(process.env.BENCH_TRACES ?? 40_000);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const traces = [];
for (let i = 0; i < N; i++) {
  if (i % 2 === 0) {
    const facts = { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 };
    traces.push((await cardEval.evaluate(facts)).trace);
  } else traces.push((await dealerEval.evaluate(synthetic(dealer.catalog.facts, i))).trace);
}
const jsonOf = traces.map((t) => JSON.stringify(t));
const meanJson = jsonOf.reduce((n, s) => n + Buffer.byteLength(s), 0) / N;

const db = new Client({ connectionString: url });
await db.connect();
const schema = `bench_trace_${process.pid}`;
await db.query(`CREATE SCHEMA ${schema}`);
await db.query(`SET search_path = ${schema}`);
const lz4 = (await db.query(`SELECT count(*) > 0 AS ok FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`)).rows[0].ok;
const variants = [
  { name: 'jsonb (pglz TOAST, today)', type: 'jsonb', compression: 'pglz', encode: (s) => s },
  ...(lz4 ? [{ name: 'jsonb, lz4 TOAST', type: 'jsonb', compression: 'lz4', encode: (s) => s }] : []),
  { name: 'json (text as sent, pglz)', type: 'json', compression: 'pglz', encode: (s) => s },
  { name: 'bytea gzip by the API', type: 'bytea', compression: 'pglz', encode: (s) => gzipSync(s, { level: 6 }) },
];
const results = [];
try {
  // two rounds (the second in reverse order) so that warm-up and a slow spell do not favour one variant; the second round is reported
  for (const [round, order] of [
    [1, variants],
    [2, [...variants].reverse()],
  ])
    for (const v of order) {
      const table = `t_${v.type}_${v.compression}_${round}`;
      await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, trace ${v.type} COMPRESSION ${v.compression} NOT NULL)`);
      const t0 = performance.now();
      let encodeMs = 0;
      for (let i = 0; i < N; i += 500) {
        const e0 = performance.now();
        const rows = jsonOf.slice(i, i + 500).map((s) => v.encode(s));
        encodeMs += performance.now() - e0;
        const params = rows.flatMap((r, k) => [i + k, r]);
        const values = rows.map((_r, k) => `($${2 * k + 1}, $${2 * k + 2}${v.type === 'bytea' ? '' : `::${v.type}`})`).join(',');
        await db.query(`INSERT INTO ${table} VALUES ${values}`, params);
      }
      const writeS = (performance.now() - t0) / 1000;
      await db.query(`VACUUM ANALYZE ${table}`);
      const bytes = Number((await db.query(`SELECT pg_total_relation_size($1) AS n`, [`${schema}.${table}`])).rows[0].n);
      // read 2,000 traces back by id, decoded to the JSON the API sends
      const ids = Array.from({ length: 2000 }, (_, k) => (k * 7919) % N);
      const r0 = performance.now();
      for (const id of ids) {
        const { rows } = await db.query(`SELECT trace${v.type === 'bytea' ? '' : '::text'} AS t FROM ${table} WHERE id = $1`, [id]);
        const text = v.type === 'bytea' ? gunzipSync(rows[0].t).toString() : rows[0].t;
        JSON.parse(text);
      }
      const readUs = ((performance.now() - r0) * 1000) / ids.length;
      if (round === 1) {
        v.firstWritesPerSec = Math.round(N / writeS);
        continue;
      }
      results.push({
        storage: v.name,
        writesPerSecRound1: v.firstWritesPerSec,
        bytesPerDecision: Math.round(bytes / N),
        writesPerSec: Math.round(N / writeS),
        apiEncodeUsPerRow: +((encodeMs * 1000) / N).toFixed(1),
        readTraceUs: Math.round(readUs),
        queryable: v.type === 'jsonb' ? 'yes (jsonb operators, GIN)' : v.type === 'json' ? 'yes (parsed per row)' : 'no (opaque)',
      });
    }
} finally {
  await db.query(`DROP SCHEMA ${schema} CASCADE`);
  await db.end();
}
console.log(JSON.stringify({ bench: 'trace-storage', traces: N, meanTraceJsonBytes: Math.round(meanJson), loadavg: os.loadavg(), results }, null, 1));
