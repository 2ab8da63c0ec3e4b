// How to write logged decisions (issue 17): the cost per row of the decision log's INSERT, on both sides —
// the PostgreSQL backend's CPU (its /proc stat) and the API side's (this process: encoding the batch and the
// pg client) — for the three ways of sending many rows in one statement:
//   json_to_recordset  one json text parameter, parsed by PostgreSQL into a record set (today's writer)
//   unnest             one typed array parameter per column: INSERT … SELECT * FROM unnest($1::uuid[], …)
//   COPY               COPY … FROM STDIN (text format) through pg-copy-streams
//   COPY binary        the log's own writer for flushes of ≥ COPY_MIN_ROWS (apps/api/dist/evaluation/decision-copy.js:
//                      encodeDecisions + copyDecisions, FORMAT binary); build the API first
// each with the row as it is now logged (no trace: re-derived on read) and, for json_to_recordset, with the
// trace stored too (the row before), at the two batch sizes the log sees: 10,000 (POST /api/evaluate/batch)
// and 20 (the group commit of concurrent single evaluations). Rows are real: cib-card and dealer-loyalty
// decisions from the policy engine. The table has the decision table's columns, primary key and indexes
// (customer, time), unpartitioned (routing costs the same for every method). Two rounds, the second in
// reverse order; CPU is what counts on a shared machine. Needs DATABASE_URL (a scratch schema, dropped).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { cardEval, dealer, dealerEval, synthetic } from './trace-fixtures.mjs';
import { treeCpu } from './cpu.mjs';
import { cpuReferenceMs } from './evaluate-load.mjs';
const require = createRequire(new URL('../../apps/api/package.json', import.meta.url));
const { Client } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');
const { COPY_SQL, encodeDecisions } = require('../../apps/api/dist/evaluation/decision-copy.js');
const { insertPayload } = require('../../apps/api/dist/evaluation/decision-log.service.js');

const ROWS_BIG = Number(process.env.BENCH_ROWS ?? 40_000);
const ROWS_SMALL = Math.round(ROWS_BIG / 10);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
// mostly ladder decisions (the bank's common case), one in ten a scorecard with its many components
const policies = [randomUUID(), randomUUID()];
const versions = [randomUUID(), randomUUID()];
const rows = [];
/** Each row as the log service is given it (a DecisionRow: camelCase, Dates), for the binary COPY writer. */
const DR = Symbol('DecisionRow');
const now = Date.now();
// 20 more than measured: the warm-up rows (each table's first write, which prepares the statement)
for (let i = 0; i < ROWS_BIG + 20; i++) {
  const scorecard = i % 10 === 9;
  const facts = scorecard
    ? synthetic(dealer.catalog.facts, i)
    : { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 };
  const r = await (scorecard ? dealerEval : cardEval).evaluate(facts);
  const at = new Date(now - (i % 1000)).toISOString();
  rows.push({
    id: randomUUID(),
    evaluated_at: at,
    as_of: at,
    policy_id: policies[+scorecard],
    policy_key: scorecard ? 'dealer-loyalty' : 'cib-card',
    version_id: versions[+scorecard],
    version_number: 1,
    customer_id: `C${(i * 7919) % 1_000_000}`,
    actor: 'svc-core-banking',
    facts,
    eligible: r.eligible,
    tier_key: r.tier?.key ?? null,
    tier_rank: r.tier?.rank ?? null,
    benefit_package_key: r.tier?.benefitPackage ?? null,
    scores: r.scores,
    rollout_step: null,
    cutoff_run_id: null,
    trace: r.trace,
  });
  const row = rows[rows.length - 1];
  row[DR] = {
    id: row.id,
    evaluatedAt: new Date(at),
    asOf: new Date(at),
    policyId: row.policy_id,
    policyKey: row.policy_key,
    versionId: row.version_id,
    versionNumber: row.version_number,
    customerId: row.customer_id,
    actor: row.actor,
    facts,
    eligible: row.eligible,
    tierKey: row.tier_key,
    tierRank: row.tier_rank,
    benefitPackageKey: row.benefit_package_key,
    scores: row.scores,
    trace: null,
    rolloutStep: null,
    cutoffRunId: null,
  };
}

const COLS = [
  ['id', 'uuid'],
  ['evaluated_at', 'timestamptz'],
  ['as_of', 'timestamptz'],
  ['policy_id', 'uuid'],
  ['policy_key', 'text'],
  ['version_id', 'uuid'],
  ['version_number', 'int'],
  ['customer_id', 'text'],
  ['actor', 'text'],
  ['facts', 'jsonb'],
  ['eligible', 'boolean'],
  ['tier_key', 'text'],
  ['tier_rank', 'int'],
  ['benefit_package_key', 'text'],
  ['scores', 'jsonb'],
  ['rollout_step', 'int'],
  ['cutoff_run_id', 'uuid'],
];
const JSON_COLS = new Set(['facts', 'scores', 'trace']);
const colsOf = (withTrace) => (withTrace ? [...COLS, ['trace', 'json']] : COLS);
const names = (cols) => cols.map(([n]) => n).join(', ');

/** Today's writer: the batch as one json text, parsed by PostgreSQL. */
const viaRecordset = (withTrace) => {
  const cols = colsOf(withTrace);
  const text = (table) =>
    `INSERT INTO ${table} (${names(cols)}) SELECT ${names(cols)} FROM json_to_recordset($1::json) AS x(${cols.map((c) => c.join(' ')).join(', ')})`;
  return (db, table, batch) =>
    db.query({
      name: `rs-${table}`,
      text: text(table),
      values: [JSON.stringify(withTrace ? batch : batch.map(({ trace: _t, ...r }) => r))],
    });
};

/** The log service's INSERT as it sends it: its payload built by the service's own insertPayload (decision-log.service.ts). */
const viaServiceInsert = () => {
  const text = (table) =>
    `INSERT INTO ${table} (${names(COLS)}) SELECT ${names(COLS)} FROM json_to_recordset($1::json) AS x(${COLS.map((c) => c.join(' ')).join(', ')})`;
  return (db, table, batch) => {
    return db.query({ name: `si-${table}`, text: text(table), values: [insertPayload(batch.map(({ [DR]: r }) => r))] });
  };
};

/** One typed array per column; json columns go as their text. */
const viaUnnest = () => {
  const text = (table) => `INSERT INTO ${table} (${names(COLS)}) SELECT * FROM unnest(${COLS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})`;
  return (db, table, batch) =>
    db.query({
      name: `un-${table}`,
      text: text(table),
      values: COLS.map(([n]) => (JSON_COLS.has(n) ? batch.map((r) => JSON.stringify(r[n])) : batch.map((r) => r[n]))),
    });
};

/** COPY text format: tab-separated, \N for null, backslash, tab, newline and carriage return escaped. */
const esc = (s) => s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
const copyLine = (r) =>
  COLS.map(([n]) => {
    const v = r[n];
    if (v === null || v === undefined) return '\\N';
    if (JSON_COLS.has(n)) return esc(JSON.stringify(v));
    if (typeof v === 'string') return esc(v);
    return String(v);
  }).join('\t') + '\n';
const viaCopy = () => (db, table, batch) =>
  pipeline(Readable.from([batch.map(copyLine).join('')]), db.query(copyFrom(`COPY ${table} (${names(COLS)}) FROM STDIN`)));

/** The log's binary COPY (decision-copy.ts): the same encoder and statement, into the bench's table. */
const viaCopyBinary = () => (db, table, batch) => {
  const data = encodeDecisions(batch.map((r) => r[DR]));
  if (!data) throw new Error('a bench row is not encodable');
  return pipeline(Readable.from([data]), db.query(copyFrom(COPY_SQL.replace('COPY decision ', `COPY ${table} `))));
};

const methods = [
  { name: 'json_to_recordset, trace stored (before)', withTrace: true, write: viaRecordset(true) },
  { name: 'json_to_recordset, no trace (derived)', withTrace: false, write: viaRecordset(false) },
  { name: 'json_to_recordset from DecisionRow (the log INSERT)', withTrace: false, write: viaServiceInsert() },
  { name: 'unnest typed arrays, no trace', withTrace: false, write: viaUnnest() },
  { name: 'COPY text, no trace', withTrace: false, write: viaCopy() },
  { name: 'COPY binary (decision-copy.ts), no trace', withTrace: false, write: viaCopyBinary() },
];
const sizes = [
  { batch: 10_000, rows: ROWS_BIG },
  { batch: 20, rows: ROWS_SMALL },
];

const db = new Client({ connectionString: url });
await db.connect();
const [{ pid }] = (await db.query('SELECT pg_backend_pid() AS pid')).rows;
const schema = `bench_dwrite_${process.pid}`;
await db.query(`CREATE SCHEMA ${schema}`);
await db.query(`SET search_path = ${schema}`);
const loadBefore = os.loadavg();
const cpuBefore = cpuReferenceMs();
const started = new Date().toISOString();
const results = [];
let seq = 0;
try {
  const cases = methods.flatMap((m) => sizes.map((s) => ({ ...m, ...s })));
  for (const [round, order] of [
    [1, cases],
    [2, [...cases].reverse()],
  ])
    for (const c of order) {
      const table = `d${seq++}`;
      const cols = colsOf(c.withTrace);
      await db.query(`CREATE TABLE ${table} (${cols.map(([n, t]) => `${n} ${t}`).join(', ')}, PRIMARY KEY (id, policy_id, evaluated_at))`);
      await db.query(`CREATE INDEX ON ${table} (customer_id, evaluated_at DESC)`);
      await db.query(`CREATE INDEX ON ${table} (evaluated_at DESC)`);
      await c.write(db, table, rows.slice(ROWS_BIG, ROWS_BIG + (c.batch === 20 ? 20 : 1))); // prepare the named statement outside the measure
      const data = rows.slice(0, c.rows);
      const pg0 = treeCpu(pid).postgres;
      const api0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < data.length; i += c.batch) await c.write(db, table, data.slice(i, i + c.batch));
      const wall = (performance.now() - t0) / 1000;
      const api = process.cpuUsage(api0);
      const pg = treeCpu(pid).postgres - pg0;
      const n = data.length + (c.batch === 20 ? 20 : 1);
      const [{ count }] = (await db.query(`SELECT count(*)::int AS count FROM ${table}`)).rows;
      if (count !== n) throw new Error(`${c.name}: ${count} rows stored, ${n} written`);
      await db.query(`VACUUM ANALYZE ${table}`);
      const bytes = Number((await db.query(`SELECT pg_total_relation_size($1) AS n`, [`${schema}.${table}`])).rows[0].n);
      await db.query(`DROP TABLE ${table}`);
      if (round === 1) {
        c.round1 = { pgUsPerRow: +((pg * 1e6) / data.length).toFixed(1), apiUsPerRow: +((api.user + api.system) / data.length).toFixed(1) };
        continue;
      }
      results.push({
        method: c.name,
        batch: c.batch,
        rows: data.length,
        bytesPerRow: Math.round(bytes / n),
        pgCpuUsPerRow: +((pg * 1e6) / data.length).toFixed(1),
        apiCpuUsPerRow: +((api.user + api.system) / data.length).toFixed(1),
        rowsPerSecWall: Math.round(data.length / wall),
        round1: c.round1,
      });
    }
} finally {
  await db.query(`DROP SCHEMA ${schema} CASCADE`);
  await db.end();
}
results.sort((a, b) => a.batch - b.batch || methods.findIndex((m) => m.name === a.method) - methods.findIndex((m) => m.name === b.method));
console.log(
  JSON.stringify(
    {
      bench: 'decision-write',
      started,
      finished: new Date().toISOString(),
      loadavgBefore: loadBefore,
      loadavgAfter: os.loadavg(),
      cpuReferenceMs: { before: cpuBefore, after: cpuReferenceMs() },
      results,
    },
    null,
    1,
  ),
);
