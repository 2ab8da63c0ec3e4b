import { createHash } from 'node:crypto';
import { createEvaluator, explain, lifecycleTexts, lifecycleTierLabel } from '@tierwise/policy-engine';
import type { FactDefinition, PolicyDefinition, PolicyEvaluator, PopulationCutoffs } from '@tierwise/policy-engine';
import type { SampleRow } from '../simulation/chunk-evaluator';
import { MAX_GROUPS, type VersionSnapshot } from '../simulation/simulation-spec';
import { GroupCounts, NOT_RATED, RatingPartSummary, RunSample } from './rating-chunk';
import { ratingDefinition } from './rating-chunk';
import type { RatingSpec } from './rating-spec';
import { overrideReasonText } from './overrides-reason';
import { tierNameOf } from './lifecycle';

/**
 * The version that rated a customer whose staging row or sample names `versionId`: during a regional rollout the
 * run's candidate of that id (its snapshot and lifecycle rules), else — or for no id — the run's version.
 */
export function ratedWith(spec: RatingSpec, versionId: string | null | undefined): { snapshot: VersionSnapshot; lifecycle: RatingSpec['lifecycle'] } {
  const candidate = versionId ? spec.rollout?.find((c) => c.id === versionId) : undefined;
  return candidate ? { snapshot: candidate.snapshot, lifecycle: candidate.lifecycle } : { snapshot: spec.version, lifecycle: spec.lifecycle };
}

/**
 * Why a customer ends where they do, in both locales (samples and ledger reasons use the same words):
 * the lifecycle rules' reasons are worded by the policy engine; an override's by overrides-reason.ts.
 */
export function reasonText(
  spec: RatingSpec,
  s: { reason: string | null; from: string; to: string; rated: string; belowRuns: number },
  /** The lifecycle rules of the version that rated the customer (during a regional rollout); default the run's. */
  rules: RatingSpec['lifecycle'] = spec.lifecycle,
) {
  const from = tierNameOf(spec.ladder, s.from);
  const to = tierNameOf(spec.ladder, s.to);
  const rated = tierNameOf(spec.ladder, s.rated);
  const reason = s.reason ?? 'rated';
  if (reason.startsWith('override-')) {
    const name = (t: typeof to, locale: 'zh-CN' | 'en') => lifecycleTierLabel(t, locale);
    return overrideReasonText(reason, name(to, 'zh-CN'), name(to, 'en'), name(rated, 'zh-CN'), name(rated, 'en'));
  }
  return lifecycleTexts({ reason, from, to, rated, belowRuns: s.belowRuns }, rules);
}

export interface ExplainedRunSample extends SampleRow {
  rated: string | null;
  explanation: { 'zh-CN': string[]; en: string[] };
  lifecycle: { 'zh-CN': string; en: string };
}

/** Sum the chunks' summaries into the proposal (contract §8), samples explained through json-rules-engine. */
export async function buildRatingResult(spec: RatingSpec, parts: RatingPartSummary[], effectiveAt: Date | null, cutoffs?: PopulationCutoffs) {
  const keys = [...spec.ladder.map((t) => t.key), NOT_RATED];
  const matrix: Record<string, Record<string, number>> = {};
  const from = new Set(keys);
  for (const p of parts) for (const f of Object.keys(p.matrix)) from.add(f);
  for (const f of from) matrix[f] = Object.fromEntries(keys.map((k) => [k, 0]));
  const totals = { total: 0, entered: 0, upgrades: 0, downgrades: 0, unchanged: 0, held: 0, staged: 0 };
  const heldBy: Record<string, number> = {};
  const overrides = { overridden: 0, overriddenBy: {} as Record<string, number>, preNotice: 0 };
  const groups = new Map<string, GroupCounts>();
  const samples = new Map<string, RunSample>();
  const byVersion: Record<string, number> = {};
  for (const p of parts) {
    for (const [k, n] of Object.entries(p.byVersion ?? {})) byVersion[k] = (byVersion[k] ?? 0) + n;
    for (const [f, row] of Object.entries(p.matrix)) for (const [t, n] of Object.entries(row)) matrix[f][t] = (matrix[f][t] ?? 0) + n;
    totals.total += p.rows;
    totals.entered += p.entered;
    totals.upgrades += p.upgrades;
    totals.downgrades += p.downgrades;
    totals.unchanged += p.unchanged;
    totals.held += p.held;
    totals.staged += p.staged;
    for (const [k, n] of Object.entries(p.heldBy)) heldBy[k] = (heldBy[k] ?? 0) + n;
    overrides.overridden += p.overridden ?? 0;
    overrides.preNotice += p.preNotice ?? 0;
    for (const [k, n] of Object.entries(p.overriddenBy ?? {})) overrides.overriddenBy[k] = (overrides.overriddenBy[k] ?? 0) + n;
    for (const g of p.groups) {
      const key = JSON.stringify(g.values);
      const m = groups.get(key);
      if (!m) {
        if (groups.size >= MAX_GROUPS)
          throw new Error(`groupBy ${spec.groupBy.join(', ')} gives more than ${MAX_GROUPS} groups; group by facts with fewer distinct values`);
        groups.set(key, { ...g, after: { ...g.after } });
        continue;
      }
      m.total += g.total;
      m.entered += g.entered;
      m.upgrades += g.upgrades;
      m.downgrades += g.downgrades;
      m.unchanged += g.unchanged;
      m.held += g.held;
      for (const [k, n] of Object.entries(g.after)) m.after[k] = (m.after[k] ?? 0) + n;
    }
    for (const s of p.samples) {
      const key = `${s.from}|${s.to}|${s.kind}|${s.reason}${s.version ? `|${s.version.id}|${s.version.rolloutStep ?? ''}` : ''}`;
      const m = samples.get(key);
      if (!m) samples.set(key, { ...s, rows: [...s.rows] });
      else for (const r of s.rows) if (m.rows.length < 10) m.rows.push(r);
    }
  }
  // samples are explained with the version their customers were rated with (during a regional rollout, per sample)
  const explainers = new Map<string, { definition: PolicyDefinition; facts: FactDefinition[]; evaluator: PolicyEvaluator }>();
  const explainer = (v: VersionSnapshot) => {
    let x = explainers.get(v.id);
    if (!x) {
      const definition = ratingDefinition(v.definition);
      x = {
        definition,
        facts: v.facts,
        evaluator: createEvaluator(definition, v.facts, { asOf: spec.asOf, maxConcurrency: 4, ...(cutoffs ? { cutoffs } : {}) }),
      };
      explainers.set(v.id, x);
    }
    return x;
  };
  const explained: {
    from: string;
    to: string;
    rated: string;
    change: RunSample['kind'];
    rule: string | null;
    lifecycle: { 'zh-CN': string; en: string };
    version?: RunSample['version'];
    customers: ExplainedRunSample[];
  }[] = [];
  for (const s of samples.values()) {
    const version = ratedWith(spec, s.version?.id);
    const lifecycle = reasonText(spec, s, version.lifecycle);
    const { definition, facts, evaluator } = explainer(version.snapshot);
    const rows: ExplainedRunSample[] = [];
    for (const r of s.rows.sort((a, b) => a.row - b.row)) {
      const e = await evaluator.evaluate(r.facts);
      rows.push({
        ...r,
        rated: e.tier?.key ?? null,
        explanation: {
          'zh-CN': explain(e, definition, facts, 'zh-CN'),
          en: explain(e, definition, facts, 'en'),
        },
        lifecycle,
      });
    }
    explained.push({
      from: s.from,
      to: s.to,
      rated: s.rated,
      change: s.kind,
      rule: s.reason,
      lifecycle,
      ...(s.version ? { version: s.version } : {}),
      customers: rows,
    });
  }
  const order = (x: (typeof explained)[number]) => `${x.from}${x.to}${x.change}${x.version ? `|${x.version.number}|${x.version.rolloutStep ?? ''}` : ''}`;
  explained.sort((a, b) => order(a).localeCompare(order(b)));
  // during a regional rollout: how many customers each version (and step) rated, oldest version first
  const rollout = spec.rollout?.length
    ? Object.entries(byVersion)
        .map(([k, customers]) => {
          const [id, step] = k.split('|');
          const c = spec.rollout?.find((x) => x.id === id);
          return { versionId: id, number: c?.number ?? 0, rolloutStep: step === '' ? null : Number(step), customers };
        })
        .sort((a, b) => a.number - b.number || (a.rolloutStep ?? -1) - (b.rolloutStep ?? -1))
    : null;
  // The matrix in a fixed order (from keys sorted, then each row's to keys), so equal proposals hash equally.
  const canonical = [...from].sort().map((f) => [f, keys.map((t) => matrix[f][t] ?? 0)]);
  const matrixHash = createHash('sha256')
    .update(JSON.stringify([keys, canonical]))
    .digest('hex');
  return {
    ...totals,
    ...overrides,
    matrix,
    matrixHash,
    heldBy,
    notRatedKey: NOT_RATED,
    tiers: spec.ladder,
    groupBy: spec.groupBy,
    groups: [...groups.values()]
      .sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)))
      .map(({ values, ...g }) => ({ group: Object.fromEntries(spec.groupBy.map((k, i) => [k, values[i]])), ...g })),
    samples: explained,
    version: { id: spec.version.id, number: spec.version.number },
    /** Null: one version rated everyone. During a regional rollout: customers per version and step (null: the version's own effectiveFrom). */
    rollout,
    lifecycle: spec.lifecycle,
    effectiveAt,
  };
}

export type RatingResult = Awaited<ReturnType<typeof buildRatingResult>>;

/** The run's summary as audit events carry it (so the hash chain covers it). */
export function runSummary(r: RatingResult) {
  const { total, entered, upgrades, downgrades, unchanged, held, staged, matrixHash } = r;
  return { total, entered, upgrades, downgrades, unchanged, held, changes: entered + upgrades + downgrades, staged, matrixHash };
}
