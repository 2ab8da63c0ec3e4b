/**
 * A rating run's unit of work, in a job thread of the API or a `npm run worker` process: one
 * snapshot chunk is evaluated with the run's compiled version AND compared with the ledger in the
 * same pass — the chunk's current tiers are loaded with its facts — so the matrix, the held counts
 * and the staging rows come out of one loop. The part (summary) and the staging rows (only the
 * customers whose ledger state changes: a new tier or a grace counter) are written in one
 * transaction, the rows by COPY; a chunk re-run after a crash writes the same rows, or nothing when
 * its part is already stored.
 */
import { once } from 'node:events';
import { compileFast, decideLifecycle } from '@tierwise/policy-engine';
import type { FastEvaluator, LifecycleDecision, LifecycleOutcome, LifecycleRules, PolicyDefinition, PopulationCutoffs } from '@tierwise/policy-engine';
import { RolloutResolver } from '../evaluation/rollout-version';
import type { VersionSnapshot } from '../simulation/simulation-spec';
import { ranksPopulation } from '../simulation/population-collect';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { decodeChunk, getterOf } from '../datasets/chunk-codec';
import { readChunk } from '../datasets/chunk-read';
import type { ChunkContext, ChunkDone, ChunkHandler } from '../jobs/chunk-handler';
import { pgSql } from '../jobs/sql';
import { factsReader, type SampleRow } from '../simulation/chunk-evaluator';
import { addHouseholdColumns, RunHouseholds } from '../simulation/households';
import { NOT_RATED, rankOf, stepper } from './lifecycle';
import { clampTier, loadChunkOverrides, modesOf } from './overrides-clamp';
import { ratingRunStore } from './rating-run.job';
import { RatingSpec, RolloutCandidate, RUN_SAMPLES_PER_CELL } from './rating-spec';

export { NOT_RATED };

export interface GroupCounts {
  values: unknown[];
  total: number;
  entered: number;
  upgrades: number;
  downgrades: number;
  unchanged: number;
  held: number;
  /** Customers per tier after the run. */
  after: Record<string, number>;
}

export interface RunSample {
  from: string;
  to: string;
  rated: string;
  kind: LifecycleOutcome['kind'];
  reason: string | null;
  belowRuns: number;
  /** During a regional rollout: the version (and step) the sample's customers were rated with. */
  version?: { id: string; number: number; rolloutStep: number | null };
  rows: SampleRow[];
}

/** What one chunk contributes; summed by rating-result.ts. Tier keys, `"null"` = none / not rated. */
export interface RatingPartSummary {
  rows: number;
  matrix: Record<string, Record<string, number>>;
  entered: number;
  upgrades: number;
  downgrades: number;
  unchanged: number;
  held: number;
  heldBy: Record<string, number>;
  /** Staging rows written (tier changes + counter-only changes). */
  staged: number;
  /** Customers whose official tier after the run an active override decided (issue 12), by mode. */
  overridden?: number;
  overriddenBy?: Record<string, number>;
  /** Customers kept by their last grace run: the next run that rates them below moves them down (pre-notice). */
  preNotice?: number;
  groups: GroupCounts[];
  samples: RunSample[];
  /** During a regional rollout: customers rated with each version, by `${versionId}|${rolloutStep ?? ''}`. */
  byVersion?: Record<string, number>;
  ms: { read: number; ledger: number; evaluate: number; stage: number };
}

/** One version as the chunk rates with it. */
interface CompiledVersion {
  /** Null for the run's one version; during a regional rollout, the candidate (its id and number). */
  candidate: RolloutCandidate | null;
  tiers: PolicyDefinition['tiers'];
  evaluate: FastEvaluator;
  /** Per tier index of the version: its `keepWhen` compiled, when it has one. */
  keep: (FastEvaluator | null)[];
  /** Index in the version of each of its tier keys. */
  indexOf: Map<string, number>;
  down: (from: number, steps: number) => number;
  lifecycle: LifecycleRules | null;
  /** Its position in the run's versions. */
  at: number;
  /** Ladder rank of each of its tiers by index; not rated (index -1) is `notRated`. */
  rankByIndex: number[];
  notRated: number;
  /** Its lifecycle decisions, decided once per distinct input (`decideLifecycle` is pure; they are only read). */
  decide: (curRank: number | null, known: boolean, ratedRank: number, below: number, keepHolds: boolean) => LifecycleDecision;
}

interface Compiled {
  spec: RatingSpec;
  /** The run's version first; during a regional rollout, one per candidate (same order as spec.rollout). */
  versions: CompiledVersion[];
  /** During a regional rollout: which version and step a customer's facts get at the run's instant. */
  pick: ((facts: Record<string, unknown>) => { version: CompiledVersion; rolloutStep: number | null }) | null;
  /** Ladder tier key by rank (index rank - 1); not rated → null. */
  keyByRank: Map<number, string | null>;
}

/** The condition of a tier's `keepWhen` as an evaluator: one tier that matches when it holds (same meaning as `when`). */
function keepEvaluator(
  def: PolicyDefinition,
  keepWhen: unknown,
  facts: Parameters<typeof compileFast>[1],
  asOf: string,
  cutoffs?: PopulationCutoffs,
): FastEvaluator {
  const probe = {
    schemaVersion: 1,
    ...(def.conditions ? { conditions: def.conditions } : {}),
    ...(def.scores ? { scores: def.scores } : {}),
    tiers: [
      { key: 'KEEP', name: 'keep', when: keepWhen },
      { key: 'NO', name: 'no' },
    ],
  } as PolicyDefinition;
  // the probe ranks only what keepWhen ranks: only those cut-offs are needed (the run's include them)
  return compileFast(probe, facts, { asOf, ...(cutoffs ? { cutoffs } : {}) });
}

/** The definition without the lifecycle parts the compiled evaluator does not read. */
export function ratingDefinition(def: PolicyDefinition): PolicyDefinition {
  const { lifecycle: _l, ...rest } = def as PolicyDefinition & { lifecycle?: unknown };
  return { ...rest, tiers: rest.tiers.map(({ keepWhen: _k, ...t }: PolicyDefinition['tiers'][number] & { keepWhen?: unknown }) => t) } as PolicyDefinition;
}

function compileVersion(
  spec: RatingSpec,
  v: VersionSnapshot,
  lifecycle: LifecycleRules | null,
  candidate: RolloutCandidate | null,
  at: number,
  cutoffs?: PopulationCutoffs,
): CompiledVersion {
  const def = v.definition;
  const options = { asOf: spec.asOf, ...(cutoffs ? { cutoffs } : {}) };
  const indexOf = new Map(def.tiers.map((t, i) => [t.key, i]));
  const down = candidate ? stepper(spec.ladder, (t) => indexOf.has(t.key)) : stepper(spec.ladder);
  return {
    candidate,
    tiers: def.tiers,
    evaluate: compileFast(ratingDefinition(def), v.facts, options),
    keep: def.tiers.map((t) => {
      const kw = (t as { keepWhen?: unknown }).keepWhen;
      return kw ? keepEvaluator(ratingDefinition(def), kw, v.facts, spec.asOf, cutoffs) : null;
    }),
    indexOf,
    down,
    lifecycle,
    at,
    rankByIndex: def.tiers.map((t) => rankOf(spec.ladder, t.key)),
    notRated: rankOf(spec.ladder, null),
    decide: lifecycleDecider(lifecycle, down),
  };
}

/**
 * `decideLifecycle` for one version's rules, remembered per distinct input: a chunk's customers fall
 * into a handful of (current rank, rated rank, counter, …) combinations, so the decision objects are
 * made once, not once per customer. Ranks are whole or half (a tier the ladder lacks), counters small;
 * anything outside the key's range is decided afresh.
 */
function lifecycleDecider(rules: LifecycleRules | null, down: (from: number, steps: number) => number): CompiledVersion['decide'] {
  const memo = new Map<number, LifecycleDecision>();
  return (curRank, known, ratedRank, below, keepHolds) => {
    const c2 = curRank === null ? 0 : curRank * 2 + 1;
    const r2 = ratedRank * 2;
    if (c2 >= 1024 || r2 >= 1024 || below >= 4096 || below < 0 || !Number.isInteger(below))
      return decideLifecycle(curRank, known, ratedRank, below, keepHolds, rules, down);
    const key = (((c2 * 1024 + r2) * 4096 + below) * 2 + (known ? 1 : 0)) * 2 + (keepHolds ? 1 : 0);
    let d = memo.get(key);
    if (d === undefined) {
      d = decideLifecycle(curRank, known, ratedRank, below, keepHolds, rules, down);
      memo.set(key, d);
    }
    return d;
  };
}

/** `cutoffs`: the run's frozen cut-offs, for a version with population conditions (issue 16). */
export function compileRating(spec: RatingSpec, cutoffs?: PopulationCutoffs): Compiled {
  const keyByRank = new Map<number, string | null>(spec.ladder.map((t) => [t.rank, t.key]));
  keyByRank.set(spec.ladder.length + 1, null);
  const candidates = spec.rollout ?? [];
  if (!candidates.length) return { spec, versions: [compileVersion(spec, spec.version, spec.lifecycle, null, 0, cutoffs)], pick: null, keyByRank };
  // a regional rollout part-way at the run's instant: the resolver evaluation uses picks each customer's version
  const versions = candidates.map((x, at) => compileVersion(spec, x.snapshot, x.lifecycle, x, at, cutoffs));
  const byId = new Map(versions.map((v) => [(v.candidate as RolloutCandidate).id, v]));
  const resolver = new RolloutResolver();
  const at = Date.parse(spec.asOf);
  const pick = (facts: Record<string, unknown>) => {
    const p = resolver.pick(candidates, at, facts);
    // the run was refused at creation unless a version is in effect for everyone at its instant
    if (!p) throw new Error(`no version of ${spec.policyKey} is in effect at ${spec.asOf} for a customer of the snapshot`);
    return { version: byId.get(p.version.id) as CompiledVersion, rolloutStep: p.rolloutStep };
  };
  return { spec, versions, pick, keyByRank };
}

/** One line of COPY text format. */
function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function copyRows(client: PoolClient, lines: string[]): Promise<void> {
  const stream = client.query(
    copyFrom(
      'COPY rating_run_change (run_id, customer_id, snapshot_row, from_tier, to_tier, rated_tier, change, reason, below_runs, base_tier, override_modes, version_id, rollout_step) FROM STDIN',
    ),
  );
  const done = Promise.race([once(stream, 'finish'), once(stream, 'error').then(([e]) => Promise.reject(e as Error))]);
  stream.end(lines.join(''));
  await done;
}

type CurrentRow = { customer_id: string; tier_key: string | null; below_runs: number };

/**
 * The chunk's current tiers from tier_current's primary key (policy_id, customer_id), read only
 * without parallel workers: with fresh statistics the planner prefers a parallel seq scan of all of
 * tier_current for a chunk's 20,000 ids (two more processes reading 1,000,000 rows, for every chunk:
 * +9.5 CPU-s of PostgreSQL for a 1M run, measured); chunks already run in parallel.
 *
 * - `range` (the ids' least and greatest): one index range scan between them, at most `limit` rows;
 *   null when more lie between them (the chunk's customers are not neighbours in the ledger). A snapshot
 *   exported in customer order has each chunk's customers side by side in the index: reading the range costs
 *   a fraction of looking up 20,000 ids one by one (parsing the list, sorting it, one index search each —
 *   measured ≈ 25 ms for the parse of a 20,000-id list alone, the whole range ≈ 9–23 ms, under load 25–30).
 *   The caller keeps only the rows of its own customers.
 * - otherwise one `= ANY` lookup of the ids, sent as one JSON list (`DecodedChunk.idsJson`): the driver does not
 *   quote 20,000 strings into an array literal.
 */
async function currentTiers(db: Pool, policyId: string, ids: { json: string } | { range: [string, string]; limit: number }): Promise<CurrentRow[] | null> {
  const client = await db.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const r =
      'json' in ids
        ? await client.query<CurrentRow>(
            `SELECT customer_id, tier_key, below_runs FROM tier_current
              WHERE policy_id = $1 AND customer_id = ANY (ARRAY(SELECT json_array_elements_text($2::json)))`,
            [policyId, ids.json],
          )
        : await client.query<CurrentRow>(
            'SELECT customer_id, tier_key, below_runs FROM tier_current WHERE policy_id = $1 AND customer_id BETWEEN $2 AND $3 LIMIT $4',
            [policyId, ids.range[0], ids.range[1], ids.limit + 1],
          );
    await client.query('COMMIT');
    return 'range' in ids && r.rows.length > ids.limit ? null : r.rows;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Whether tier_current.customer_id sorts by code point — collation C, POSIX or C.UTF-8 (libc), or the builtin
 * provider — so that a chunk's ids all lie between their least and greatest as JavaScript compares them (for
 * ids without characters from U+D800 on, where UTF-16 and code point order part). Other collations: no ranges.
 */
async function sortsByCodePoint(db: Pool): Promise<boolean> {
  const r = await db.query<{ ok: boolean | null }>(
    `SELECT CASE WHEN a.attcollation = 100
                 THEN d.datlocprovider = 'b' OR (d.datlocprovider = 'c' AND d.datcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8'))
                 ELSE c.collprovider = 'b' OR (c.collprovider = 'c' AND c.collcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8')) END AS ok
       FROM pg_attribute a JOIN pg_database d ON d.datname = current_database() LEFT JOIN pg_collation c ON c.oid = a.attcollation
      WHERE a.attrelid = 'tier_current'::regclass AND a.attname = 'customer_id'`,
  );
  return r.rows[0]?.ok === true;
}

/** The least and greatest of the ids by code point, or null when an id has a character from U+D800 on. */
function idRange(ids: readonly string[]): [string, string] | null {
  if (!ids.length || /[\uD800-\uFFFF]/.test(ids.join(''))) return null;
  let lo = ids[0];
  let hi = ids[0];
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i];
    if (id < lo) lo = id;
    else if (id > hi) hi = id;
  }
  return [lo, hi];
}

export class RatingChunkHandler implements ChunkHandler {
  private readonly compiled = new Map<string, Compiled>();
  /** Whether the ledger's customer ids sort by code point (asked once). */
  private codePointOrder: boolean | undefined;
  /** Runs with a chunk whose customers were not neighbours in the ledger: their other chunks look ids up one by one. */
  private readonly scattered = new Set<string>();
  private readonly households: RunHouseholds;

  constructor(private readonly ctx: ChunkContext) {
    this.households = new RunHouseholds(ctx.db);
  }

  private async prepare(runId: string, chunkNo: number): Promise<Compiled | null> {
    const cached = this.compiled.get(runId);
    const state = await ratingRunStore.chunkState<RatingSpec>(pgSql(this.ctx.db), runId, chunkNo, cached === undefined);
    if (!state || !ratingRunStore.isOpen(state.status) || state.done) return null;
    if (cached) return cached;
    const spec = state.spec as RatingSpec;
    // the cut-offs the population pass froze on the run before any chunk was dispatched
    const cutoffs = ranksPopulation(spec.version.definition)
      ? ((await this.ctx.db.query<{ cutoffs: PopulationCutoffs | null }>('SELECT cutoffs FROM rating_run WHERE id = $1', [runId])).rows[0]?.cutoffs ??
        undefined)
      : undefined;
    const c = compileRating(spec, cutoffs);
    if (this.compiled.size >= 8) this.compiled.delete(this.compiled.keys().next().value as string);
    this.compiled.set(runId, c);
    return c;
  }

  async process(runId: string, chunkNo: number): Promise<ChunkDone> {
    const c = await this.prepare(runId, chunkNo);
    if (!c) return { rows: 0, skipped: true };
    const { spec } = c;
    const t0 = performance.now();
    const households = await this.households.get(
      runId,
      spec.datasetId,
      spec.chunkCount,
      spec.rollout?.length ? spec.rollout.map((x) => x.snapshot.definition) : [spec.version.definition],
    );
    const { rowStart, data } = await readChunk(this.ctx.db, spec.datasetId, chunkNo);
    const chunk = decodeChunk(data);
    addHouseholdColumns(chunk, households);
    const ids = chunk.ids;
    if (!ids) throw new Error('the snapshot has no customer id column');
    const t1 = performance.now();
    const seen = new Map<string, number>();
    for (let i = 0; i < chunk.rows; i++) {
      const id = ids[i];
      if (id === null || id === '') throw new Error(`row ${rowStart + i + 1} of the snapshot has no customer id`);
      const twice = seen.get(id);
      if (twice !== undefined) throw new Error(`customer ${id} appears twice in the snapshot (rows ${rowStart + twice + 1} and ${rowStart + i + 1})`);
      seen.set(id, i);
    }
    // the ledger state of row i: its official tier (undefined = not in the ledger, null = not rated) and grace counter
    const officialTier = new Array<string | null | undefined>(chunk.rows).fill(undefined);
    const officialBelow = new Int32Array(chunk.rows);
    // the ids as a JSON list only for a query that sends them all (a chunk of the current format makes it)
    const idsJson = () => chunk.idsJson as string;
    // a range of the index when the chunk's customers are neighbours in it (until a chunk of the run's shows they are not)
    this.codePointOrder ??= await sortsByCodePoint(this.ctx.db);
    const range = this.codePointOrder && !this.scattered.has(runId) ? idRange(ids as string[]) : null;
    let rows = range ? await currentTiers(this.ctx.db, spec.policyId, { range, limit: 2 * chunk.rows }) : null;
    if (range && !rows) {
      if (this.scattered.size >= 64) this.scattered.clear();
      this.scattered.add(runId);
    }
    rows ??= (await currentTiers(this.ctx.db, spec.policyId, { json: idsJson() })) as CurrentRow[];
    for (const r of rows) {
      const i = seen.get(r.customer_id);
      if (i === undefined) continue; // in the range, not in the chunk
      officialTier[i] = r.tier_key;
      officialBelow[i] = r.below_runs;
    }
    const overrides = await loadChunkOverrides(this.ctx.db, spec.policyId, idsJson);
    const t2 = performance.now();

    const factsOf = factsReader(spec.inputFacts, chunk);
    const summary: RatingPartSummary = {
      rows: chunk.rows,
      matrix: {},
      entered: 0,
      upgrades: 0,
      downgrades: 0,
      unchanged: 0,
      held: 0,
      heldBy: {},
      staged: 0,
      overridden: 0,
      overriddenBy: {},
      preNotice: 0,
      groups: [],
      samples: [],
      ms: { read: 0, ledger: 0, evaluate: 0, stage: 0 },
    };
    const groupCols = spec.groupBy.map((k) => {
      const col = chunk.columns.get(k);
      return col ? getterOf(col) : () => undefined;
    });
    const groups = new Map<string, GroupCounts>();
    const sampleGetters = spec.sampleFacts.map((k) => {
      const col = chunk.columns.get(k);
      return col ? getterOf(col) : () => undefined;
    });
    // Matrix cells and sample cells by number, not by string: tier keys and reasons get a code on first sight
    // (the matrix's and the samples' order stays the order in which the chunk first met them).
    const codes = new Map<string, number>();
    const keyOfCode: string[] = [];
    const codeOf = (key: string): number => {
      let k = codes.get(key);
      if (k === undefined) {
        k = keyOfCode.length;
        codes.set(key, k);
        keyOfCode.push(key);
      }
      return k;
    };
    const counts: number[][] = [];
    const fromOrder: number[] = [];
    const toOrder: number[][] = [];
    const samples = new Map<number | string, RunSample>();
    const lines: string[] = [];
    const byVersion: Record<string, number> = {};
    const ladder = spec.ladder;
    for (let i = 0; i < chunk.rows; i++) {
      const facts = factsOf(i);
      // the version this customer is rated with: the run's, or (regional rollout) the one their segment has at the run's instant
      const picked = c.pick ? c.pick(facts) : null;
      const cv = picked ? picked.version : c.versions[0];
      const rolloutStep = picked ? picked.rolloutStep : null;
      const versionId = cv.candidate ? cv.candidate.id : null;
      if (versionId !== null) {
        const vk = `${versionId}|${rolloutStep ?? ''}`;
        byVersion[vk] = (byVersion[vk] ?? 0) + 1;
      }
      const rules = cv.lifecycle;
      const r = cv.evaluate(facts);
      const ratedIndex = r.eligible ? r.tierIndex : -1;
      const ratedKey = ratedIndex >= 0 ? cv.tiers[ratedIndex].key : null;
      // A customer under an override: the lifecycle rules run from the tier their last rating gave
      // (the base), and the overrides then clamp the outcome into the official tier.
      const inLedger = officialTier[i] !== undefined;
      const offTier = inLedger ? (officialTier[i] as string | null) : null;
      const offBelow = officialBelow[i];
      const ov = overrides.size ? overrides.get(ids[i] as string) : undefined;
      const curTier = ov?.hasBase && inLedger ? ov.base : offTier;
      const ratedRank = ratedIndex >= 0 ? cv.rankByIndex[ratedIndex] : cv.notRated;
      const curRank = inLedger ? rankOf(ladder, curTier) : null;
      const curIndex = inLedger && curTier ? cv.indexOf.get(curTier) : undefined;
      const known = inLedger ? curTier === null || curIndex !== undefined : false;
      let keepHolds = false;
      if (curIndex !== undefined && curRank !== null && ratedRank > curRank) {
        const k = cv.keep[curIndex];
        keepHolds = k ? k(facts).tierIndex === 0 : false;
      }
      const d = cv.decide(curRank, known, ratedRank, inLedger ? offBelow : 0, keepHolds);
      const o = d.outcome;
      const baseKey = o.kind === 'held' || o.kind === 'unchanged' ? (inLedger ? curTier : null) : (c.keyByRank.get(o.to) ?? null);
      let toKey = baseKey;
      let kind: LifecycleOutcome['kind'] = o.kind;
      let reason: string = o.kind === 'held' || o.kind === 'downgrade' ? o.reason : o.kind === 'enter' ? 'first' : 'rated';
      if (ov && inLedger) {
        const clamped = clampTier(baseKey, ov.overrides, (k) => rankOf(ladder, k));
        toKey = clamped.tier;
        const before = offTier;
        if (toKey !== before) kind = rankOf(ladder, toKey) < rankOf(ladder, before) ? 'upgrade' : 'downgrade';
        else if (!(o.kind === 'held' && clamped.by === null)) kind = 'unchanged';
        if (clamped.by) {
          reason = `override-${clamped.by}`;
          summary.overridden = (summary.overridden ?? 0) + 1;
          const by = (summary.overriddenBy ??= {});
          by[clamped.by] = (by[clamped.by] ?? 0) + 1;
        }
      }
      if (kind === 'held' && reason === 'grace' && rules && d.belowRuns >= rules.downgradeGraceRuns) summary.preNotice = (summary.preNotice ?? 0) + 1;
      const fromKey = offTier ?? NOT_RATED;
      const toCell = toKey ?? NOT_RATED;
      const fromCode = codeOf(fromKey);
      const toCode = codeOf(toCell);
      let row = counts[fromCode];
      if (row === undefined) {
        row = counts[fromCode] = [];
        toOrder[fromCode] = [];
        fromOrder.push(fromCode);
      }
      if (row[toCode] === undefined) {
        row[toCode] = 1;
        toOrder[fromCode].push(toCode);
      } else row[toCode]++;
      let kindCode: number;
      switch (kind) {
        case 'enter':
          summary.entered++;
          kindCode = 0;
          break;
        case 'upgrade':
          summary.upgrades++;
          kindCode = 1;
          break;
        case 'downgrade':
          summary.downgrades++;
          kindCode = 2;
          break;
        case 'unchanged':
          summary.unchanged++;
          kindCode = 3;
          break;
        case 'held':
          summary.held++;
          summary.heldBy[reason] = (summary.heldBy[reason] ?? 0) + 1;
          kindCode = 4;
          break;
      }
      const tierChanges = kind === 'enter' || kind === 'upgrade' || kind === 'downgrade';
      if (tierChanges || d.belowRuns !== (inLedger ? offBelow : 0) || ov) {
        const change = tierChanges ? kind : null;
        lines.push(
          [
            runId,
            ids[i] as string,
            rowStart + i + 1,
            offTier,
            toKey,
            ratedKey,
            change,
            tierChanges || d.belowRuns > 0 || kind === 'held' || ov ? reason : 'qualifies',
            d.belowRuns,
            ov ? baseKey : null,
            ov ? modesOf(ov.overrides) : null,
            versionId,
            rolloutStep,
          ]
            .map(copyField)
            .join('\t') + '\n',
        );
      }
      if (groupCols.length) {
        const values = groupCols.map((g) => g(i) ?? null);
        const key = JSON.stringify(values);
        let g = groups.get(key);
        if (!g) {
          g = { values, total: 0, entered: 0, upgrades: 0, downgrades: 0, unchanged: 0, held: 0, after: {} };
          groups.set(key, g);
        }
        g.total++;
        g.after[toCell] = (g.after[toCell] ?? 0) + 1;
        if (kind === 'enter') g.entered++;
        else if (kind === 'upgrade') g.upgrades++;
        else if (kind === 'downgrade') g.downgrades++;
        else if (kind === 'held') g.held++;
        else g.unchanged++;
      }
      // one sample cell per from → to → kind → reason (→ version and step): a number made of their codes
      const reasonCode = codeOf(reason);
      const step = rolloutStep === null ? 0 : rolloutStep + 1;
      const sampleKey =
        fromCode < 1024 && toCode < 1024 && reasonCode < 1024 && cv.at < 64 && step < 1024
          ? ((((fromCode * 1024 + toCode) * 8 + kindCode) * 1024 + reasonCode) * 64 + cv.at) * 1024 + step
          : `${fromKey}|${toCell}|${kind}|${reason}|${cv.at}|${step}`;
      let sc = samples.get(sampleKey);
      if (!sc) {
        sc = { from: fromKey, to: toCell, rated: ratedKey ?? NOT_RATED, kind, reason, belowRuns: d.belowRuns, rows: [] };
        if (cv.candidate) sc.version = { id: cv.candidate.id, number: cv.candidate.number, rolloutStep };
        samples.set(sampleKey, sc);
      }
      if (sc.rows.length < RUN_SAMPLES_PER_CELL) {
        const f: Record<string, unknown> = {};
        spec.sampleFacts.forEach((k, j) => {
          const v = sampleGetters[j](i);
          if (v !== undefined) f[k] = v;
        });
        sc.rows.push({ row: rowStart + i + 1, customerId: ids[i] as string, facts: f });
      }
    }
    for (const f of fromOrder) {
      const row: Record<string, number> = (summary.matrix[keyOfCode[f]] = {});
      for (const t of toOrder[f]) row[keyOfCode[t]] = counts[f][t];
    }
    summary.groups = [...groups.values()];
    summary.samples = [...samples.values()];
    if (c.pick) summary.byVersion = byVersion;
    summary.staged = lines.length;
    const t3 = performance.now();
    if (this.ctx.delayMs) await new Promise((resolve) => setTimeout(resolve, this.ctx.delayMs));
    const client = await this.ctx.db.connect();
    let stored = false;
    try {
      await client.query('BEGIN');
      summary.ms = { read: Math.round(t1 - t0), ledger: Math.round(t2 - t1), evaluate: Math.round(t3 - t2), stage: 0 };
      stored = await ratingRunStore.storePart(pgSql(client), runId, chunkNo, summary.rows, summary, this.ctx.who);
      if (stored && lines.length) await copyRows(client, lines);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    return { rows: summary.rows, skipped: !stored };
  }
}

export function createChunkHandler(ctx: ChunkContext): ChunkHandler {
  return new RatingChunkHandler(ctx);
}
