// The apply's two heavy statements replayed on a kept bench database (BENCH_KEEP_DATA=1 rating.bench.mjs, then its
// data dir's pg/ started with pg_ctl and whatever settings are being compared): the close of N customers' open
// history rows and the insert of their new history + current rows, found as the apply finds them (through
// tier_current, index nested loops), in one transaction that is rolled back (or committed: 4th argument). Prints the
// backend's own CPU seconds (/proc/<pid>/stat), its read/write bytes (/proc/<pid>/io), the WAL each statement wrote
// (insert LSN) and the full-page images of both (pg_stat_wal), with the load average. N customers of the first run
// (the bulk of the ledger), every k-th in key order (or shuffled: `random`). VACUUM tier_history, tier_current and
// CHECKPOINT between replays, as the bench does before its measured run.
//   node test/bench/rating-apply-replay.mjs 'postgres://postgres:PW@localhost:PORT/postgres?host=SOCKETDIR' 50000 [key|random] [rollback|commit]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { treeCpu } from './cpu.mjs';
import { ROOT } from './server.mjs';

const require = createRequire(path.join(ROOT, 'apps/api/package.json'));
const { Client } = require('pg');
const [url, nArg, order = 'key', mode = 'rollback'] = process.argv.slice(2);
const n = Number(nArg);
const c = new Client({ connectionString: url });
await c.connect();
const q = async (sql, p) => (await c.query(sql, p)).rows;
const [{ pid }] = await q('SELECT pg_backend_pid() AS pid');
const cpu = () => treeCpu(pid).postgres; // a backend: its own CPU
const io = () =>
  Object.fromEntries(
    readFileSync(`/proc/${pid}/io`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(': '))
      .map(([k, v]) => [k, Number(v)]),
  );
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const [{ policy_id: policy, run_id: run }] = await q(`SELECT policy_id, run_id FROM tier_current GROUP BY policy_id, run_id ORDER BY count(*) DESC LIMIT 1`);
// customers whose open row is the fill's (the bulk of the ledger), every k-th in key order
const [{ cnt }] = await q('SELECT count(*)::int AS cnt FROM tier_current WHERE policy_id = $1 AND run_id = $2', [policy, run]);
const step = Math.max(1, Math.floor(cnt / n));
await q(
  `CREATE TEMP TABLE pick AS SELECT customer_id FROM (SELECT customer_id, row_number() OVER (ORDER BY customer_id) AS r FROM tier_current WHERE policy_id = $1 AND run_id = $2) x WHERE r % $3 = 0 ORDER BY ${order === 'random' ? 'random()' : 'customer_id'} LIMIT $4`,
  [policy, run, step, n],
);
await q('ANALYZE pick');
const settings = await q(
  `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('shared_buffers','max_wal_size','wal_compression','checkpoint_timeout','wal_buffers')`,
);
const walStat = async () => (await q("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint AS b"))[0];
const ckpt = async () => (await q(`SELECT num_timed + num_requested AS n, buffers_written AS w FROM pg_stat_checkpointer`))[0];
const out = { n, order, mode, settings: Object.fromEntries(settings.map((s) => [s.name, s.setting])), load0: load() };
out.wal0 = (await q('SELECT wal_records::bigint AS records, wal_fpi::bigint AS fpi FROM pg_stat_wal'))[0];
await q('BEGIN');
await q('SET LOCAL enable_hashjoin = off');
await q('SET LOCAL enable_mergejoin = off');
const measure = async (name, sql, p) => {
  const w0 = await walStat();
  const k0 = await ckpt();
  const c0 = cpu();
  const i0 = io();
  const t0 = performance.now();
  const r = await q(sql, p);
  const ms = performance.now() - t0;
  const c1 = cpu();
  const i1 = io();
  const w1 = await walStat();
  const k1 = await ckpt();
  out[name] = {
    ms: Math.round(ms),
    cpu: +(c1 - c0).toFixed(2),
    walMB: Math.round((Number(w1.b) - Number(w0.b)) / 2 ** 20),
    checkpoints: Number(k1.n) - Number(k0.n),
    readMB: Math.round((i1.read_bytes - i0.read_bytes) / 2 ** 20),
    writeMB: Math.round((i1.write_bytes - i0.write_bytes) / 2 ** 20),
    rows: r[0]?.n,
  };
};
await measure(
  'close',
  `WITH c AS (UPDATE tier_history h SET valid_to = now() FROM pick s JOIN tier_current cur ON cur.policy_id = $1 AND cur.customer_id = s.customer_id
  WHERE h.customer_id = cur.customer_id AND h.id = cur.history_id AND h.policy_id = $1 AND h.valid_to IS NULL RETURNING 1) SELECT count(*)::int AS n FROM c`,
  [policy],
);
await measure(
  'insert',
  `WITH ins AS (INSERT INTO tier_history (policy_id, customer_id, tier_key, tier_name, tier_name_en, tier_rank, previous_tier, change, reason, valid_from, run_id, version_id, snapshot_row, rollout_step)
   SELECT h.policy_id, h.customer_id, h.tier_key, h.tier_name, h.tier_name_en, h.tier_rank, h.tier_key, 'upgrade', h.reason, now(), h.run_id, h.version_id, h.snapshot_row, NULL
   FROM pick s JOIN tier_current cur ON cur.policy_id = $1 AND cur.customer_id = s.customer_id JOIN tier_history h ON h.customer_id = cur.customer_id AND h.id = cur.history_id
   RETURNING id, customer_id),
  moved AS (UPDATE tier_current c SET since = now(), history_id = i.id, below_runs = 0, updated_at = now() FROM ins i WHERE c.policy_id = $1 AND c.customer_id = i.customer_id RETURNING 1)
  SELECT (SELECT count(*) FROM moved)::int AS n`,
  [policy],
);
const t0 = performance.now();
await q(mode === 'commit' ? 'COMMIT' : 'ROLLBACK');
out.end = { ms: Math.round(performance.now() - t0) };
await new Promise((r) => setTimeout(r, 1200));
const wal1 = (await q('SELECT wal_records::bigint AS records, wal_fpi::bigint AS fpi FROM pg_stat_wal'))[0];
out.fpi = Number(wal1.fpi) - Number(out.wal0.fpi); // both statements (pg_stat_wal counts a backend's WAL at its transaction's end)
delete out.wal0;
out.load1 = load();
out.ledger = cnt;
console.log(JSON.stringify(out));
await c.end();
