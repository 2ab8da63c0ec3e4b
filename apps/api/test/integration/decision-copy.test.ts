/**
 * The decision log writes flushes of COPY_MIN_ROWS or more by binary COPY (issue 17). A row written by COPY must
 * read back exactly as the same row written by the multi-row INSERT (every column: odd strings, unicode, nulls,
 * numbers at the edges, timestamps), a value COPY cannot write as the INSERT would goes by INSERT, and COPY keeps
 * the log's guarantees: a batch stored whole or not at all, months created when missing, rows append-only.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { COPY_MIN_ROWS, encodeDecisions } from '../../src/evaluation/decision-copy';
import type { DecisionRow } from '../../src/evaluation/decision.entity';
import { DecisionLogService } from '../../src/evaluation/decision-log.service';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

const ODD = [
  '',
  'tab\there',
  'line\nbreak\r\nand cr\r',
  'back\\slash \\N \\. \\x41',
  `quotes ' " \` and , ; |`,
  'emoji 😀👩‍👩‍👧 and flags 🇹🇼',
  '中文 日本語 한국어',
  'مرحبا עברית',
  'e\u0301 combining, zero\u200bwidth, bom \ufeff',
  'x'.repeat(10_000),
  '\u0001\u001f\u007f control',
];
const TIMES = [
  '1970-01-01T00:00:00.000Z',
  '1999-12-31T23:59:59.999Z',
  '2000-01-01T00:00:00.000Z',
  '2000-01-01T00:00:00.001Z',
  '1900-03-01T12:34:56.789Z',
  '2024-02-29T23:59:59.999Z',
  '2038-01-19T03:14:08.000Z',
  '2100-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
].map((s) => new Date(s));
const NUMBERS = [0, -0, 1, -1, 0.1 + 0.2, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 123456789.12345679, -1.5e-7];
const INTS = [0, 1, -1, 2_147_483_647, -2_147_483_648];

/** The i-th of a set of rows covering the edges, with the given id and policy. */
function edgeRow(i: number, id: string, policyId: string): DecisionRow {
  const s = ODD[i % ODD.length];
  const nulls = i % 3 === 0;
  return {
    id,
    evaluatedAt: TIMES[i % TIMES.length],
    asOf: TIMES[(i + 3) % TIMES.length],
    policyId,
    policyKey: `policy ${s.slice(0, 40)}`,
    versionId: '00000000-0000-4000-8000-00000000000' + (i % 10),
    versionNumber: INTS[i % INTS.length],
    customerId: nulls ? null : s,
    actor: ODD[(i + 1) % ODD.length] || 'svc',
    facts: {
      n: NUMBERS[i % NUMBERS.length],
      s,
      [`ключ ${i % 5}`]: ODD[(i + 2) % ODD.length],
      nested: { a: [1, 'two', null, true, { deep: NUMBERS[(i + 1) % NUMBERS.length] }], empty: {}, none: [] },
      flag: i % 2 === 0,
      nothing: null,
    },
    eligible: i % 4 !== 0,
    tierKey: nulls ? null : `T${s.slice(0, 20)}`,
    tierRank: nulls ? null : INTS[(i + 2) % INTS.length],
    benefitPackageKey: nulls ? null : ODD[(i + 5) % ODD.length],
    scores: nulls ? {} : { total: NUMBERS[(i + 4) % NUMBERS.length], 'part ü': i },
    trace: null,
    rolloutStep: i % 5 === 0 ? null : INTS[(i + 3) % INTS.length],
    cutoffRunId: nulls ? null : randomUUID(),
  };
}

/** Every column but the id, as PostgreSQL's text (jsonb normalised by PostgreSQL). */
const READ = `SELECT evaluated_at::text, as_of::text, policy_id::text, policy_key, version_id::text, version_number, customer_id, actor, facts::text,
  eligible, tier_key, tier_rank, benefit_package_key, scores::text, trace::text, rollout_step, cutoff_run_id::text FROM decision WHERE id = $1`;

describe('decision log written by binary COPY', () => {
  let t: TestApp & { db: Client };
  let log: DecisionLogService;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    log = t.app.get(DecisionLogService);
  });
  afterAll(() => t.close());

  const count = async (policyId: string) => Number((await t.db.query('SELECT count(*) AS n FROM decision WHERE policy_id = $1', [policyId])).rows[0].n);

  it('rows written by COPY read back identical to the same rows written by INSERT, and as they were given', async () => {
    const n = 3 * 40;
    expect(n).toBeGreaterThanOrEqual(COPY_MIN_ROWS);
    const policyId = randomUUID();
    // the second half in runs of four rows equal but for the id: the encoder's per-column memo of the last value reused, then replaced
    const copied = Array.from({ length: n }, (_, i) => edgeRow(i < n / 2 ? i : (i / 4) | 0, randomUUID(), policyId));
    const inserted = copied.map((r) => ({ ...r, id: randomUUID() }));
    expect(encodeDecisions(copied)).not.toBeNull(); // the flush goes by COPY
    await log.append(copied);
    // the same rows in flushes below COPY_MIN_ROWS: the multi-row INSERT
    for (let i = 0; i < n; i += 40) await log.append(inserted.slice(i, i + 40));
    expect(await count(policyId)).toBe(2 * n);
    for (let i = 0; i < n; i++) {
      const [a] = (await t.db.query(READ, [copied[i].id])).rows;
      const [b] = (await t.db.query(READ, [inserted[i].id])).rows;
      expect(a).toEqual(b);
      const r = copied[i];
      expect(a).toMatchObject({
        policy_key: r.policyKey,
        customer_id: r.customerId,
        actor: r.actor,
        version_number: r.versionNumber,
        eligible: r.eligible,
        tier_key: r.tierKey,
        tier_rank: r.tierRank,
        benefit_package_key: r.benefitPackageKey,
        rollout_step: r.rolloutStep,
        cutoff_run_id: r.cutoffRunId,
        trace: null,
      });
      expect(JSON.parse(a.facts)).toEqual(JSON.parse(JSON.stringify(r.facts)));
      expect(JSON.parse(a.scores)).toEqual(JSON.parse(JSON.stringify(r.scores)));
    }
    // instants to the millisecond, both ways
    const times = await t.db.query<{ id: string; e: Date; a: Date }>('SELECT id, evaluated_at AS e, as_of AS a FROM decision WHERE policy_id = $1', [policyId]);
    const byId = new Map([...copied, ...inserted].map((r) => [r.id, r]));
    for (const row of times.rows) {
      expect(row.e.toISOString()).toBe(byId.get(row.id)?.evaluatedAt.toISOString());
      expect(row.a.toISOString()).toBe(byId.get(row.id)?.asOf.toISOString());
    }
  });

  it('a flush with a value COPY cannot write as the INSERT would goes by INSERT, stored the same', async () => {
    const policyId = randomUUID();
    const rows = Array.from({ length: COPY_MIN_ROWS + 10 }, (_, i) => edgeRow(i, randomUUID(), policyId));
    const hex = randomUUID().replace(/-/g, '');
    rows[7] = { ...rows[7], id: hex.toUpperCase() }; // PostgreSQL reads it; COPY binary takes only the canonical form
    expect(encodeDecisions(rows)).toBeNull();
    await log.append(rows);
    expect(await count(policyId)).toBe(rows.length);
    const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    expect((await t.db.query('SELECT actor FROM decision WHERE id = $1', [dashed])).rows).toEqual([{ actor: rows[7].actor }]);
    for (const bad of [{ versionNumber: 1.5 }, { tierRank: 2 ** 31 }, { actor: 'nul\u0000' }, { customerId: 'lone \ud800' }, { evaluatedAt: new Date(NaN) }])
      expect(encodeDecisions([{ ...rows[0], ...bad }])).toBeNull();
  });

  it('a batch PostgreSQL refuses one value of is stored not at all, and the log goes on writing', async () => {
    const policyId = randomUUID();
    const rows = Array.from({ length: COPY_MIN_ROWS + 10 }, (_, i) => edgeRow(i, randomUUID(), policyId));
    rows[50] = { ...rows[50], facts: { note: 'lone \ud800 in a fact' } }; // JSON escapes it; jsonb refuses it
    expect(encodeDecisions(rows)).not.toBeNull();
    await expect(log.append(rows)).rejects.toMatchObject({ code: expect.stringMatching(/^22/) });
    expect(await count(policyId)).toBe(0);
    const good = rows.map((r, i) => (i === 50 ? { ...r, facts: { note: 'fine' } } : r));
    await log.append(good);
    expect(await count(policyId)).toBe(good.length);
  });

  it('a month not yet created is created for a COPY, and copied rows are append-only', async () => {
    const policyId = randomUUID();
    const at = new Date('2031-05-17T10:00:00.000Z');
    const rows = Array.from({ length: COPY_MIN_ROWS }, (_, i) => ({ ...edgeRow(i, randomUUID(), policyId), evaluatedAt: at }));
    const leaf = `decision_${policyId.replace(/-/g, '')}_203105`;
    const tables = async () => (await t.db.query('SELECT relname FROM pg_class WHERE relname LIKE $1', [`decision_${policyId.replace(/-/g, '')}%`])).rows;
    expect(await tables()).toEqual([]);
    await log.append(rows);
    expect(await count(policyId)).toBe(rows.length);
    expect((await tables()).map((r: { relname: string }) => r.relname)).toContain(leaf);
    await expect(t.db.query('UPDATE decision SET actor = $2 WHERE id = $1', [rows[0].id, 'rewritten'])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM decision WHERE id = $1', [rows[0].id])).rejects.toThrow(/append-only/);
    expect(await count(policyId)).toBe(rows.length);
  });
});
