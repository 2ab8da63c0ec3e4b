/**
 * The per-tier diff of two definitions (contract §3, `GET /api/policy-versions/:id/diff`): what
 * changed, where, and which tiers each change affects. A tier counts as changed when anything it
 * uses changed: its own conditions, a named condition it references (transitively), a score it
 * reads (and what that score reads), eligibility, its benefit package, its name or its position.
 * Every change reads as text in zh-CN and en ("白金: platinumAssets · 日均综合金融资产 ≥ 300,000 → 500,000").
 * Tolerates half-edited drafts: anything missing counts as absent.
 */
import { definitionUses, type DefinitionUses } from './dependencies';
import { formatNumber, makeLabeller, type FactLabeller } from './format';
import { isPlainObject } from './keys';
import { conditionText, fmt, operatorPhrase, thresholdText } from './phrases';
import { expressionText } from './expressions';
import type { ComputedFact, Condition, FactDefinition, LeafCondition, Locale, PolicyDefinition, Scorecard, TierDefinition } from './types';
import { isFactReference, Site, walkCondition } from './walk';

export type Change = 'added' | 'removed' | 'changed';
export type LocalizedText = Record<Locale, string>;

/** One comparison (or named-condition reference) that differs, by its path inside its condition tree. */
export interface LeafDiff {
  /** Where it sits inside the tree, e.g. `any[1]` (`condition` for a tree that is only a reference). */
  path: string;
  /** The fact (`@name` for a reference; `a → b` when the fact changed). */
  fact: string;
  change: Change;
  before?: { operator: string; value: unknown; params?: unknown };
  after?: { operator: string; value: unknown; params?: unknown };
}

export type ChangeAspect =
  /** a tier, named condition or scorecard added or removed as a whole */
  | 'presence'
  /** a comparison or reference in a condition tree */
  | 'condition'
  | 'package'
  | 'name'
  | 'position'
  /** a scorecard's component, multiplier, rounding or label */
  | 'component'
  | 'multiplier'
  | 'round'
  | 'label'
  /** a rule note (where a rule comes from): documentation, affects no tier */
  | 'note'
  /** `lifecycle.downgradeGraceRuns` / `lifecycle.maxDowngradeSteps`: how official tiers move between rating runs */
  | 'lifecycle'
  /** a computed fact's expression, unit or label */
  | 'expression';

export interface DefinitionChange {
  section: 'tier' | 'eligibility' | 'condition' | 'score' | 'lifecycle' | 'computed';
  /** The tier key, named condition or score key that holds the change (absent for eligibility). */
  owner?: string;
  aspect: ChangeAspect;
  change: Change;
  /** Where in the definition (the after version's place; the before version's for removals). */
  path: string;
  before?: unknown;
  after?: unknown;
  /** Keys of every tier this change affects, in ladder order (the after version's, then removed ones). */
  tiers: string[];
  /** The change, readable: "platinumAssets · 日均综合金融资产 ≥ 300,000 → 500,000". */
  text: LocalizedText;
}

export interface TierDiff {
  key: string;
  change: Change | 'unchanged';
  name: { before?: string; after?: string };
  /** The tier's name to show, per language (the after version's; the before version's for a removed tier). */
  title: LocalizedText;
  rank: { before?: number; after?: number };
  moved: boolean;
  benefitPackage?: { before?: string; after?: string };
  /** The tier's own conditions (its `when`) that differ. */
  conditions: LeafDiff[];
  /** Indexes into `PolicyDiff.changes` of every change that affects this tier. */
  changes: number[];
  /** Those changes as lines naming the tier: "主要客户（白金卡）: platinumAssets · … ≥ 300,000 → 500,000". */
  text: LocalizedText[];
}

export interface PolicyDiff {
  tiers: TierDiff[];
  eligibility: LeafDiff[];
  namedConditions: { name: string; change: Change; conditions: LeafDiff[]; tiers: string[] }[];
  scores: { key: string; change: Change; before?: unknown; after?: unknown; tiers: string[] }[];
  /** Every change, in definition order: eligibility, named conditions, scores, tiers. */
  changes: DefinitionChange[];
  summary: { added: number; removed: number; changed: number; moved: number; unchanged: number };
}

export interface DiffOptions {
  /** The fact catalog, for labels in the texts (keys are used without it). */
  facts?: readonly FactDefinition[];
  /** Benefit packages, for their names in the texts. */
  packages?: readonly { key: string; name: string; nameEn?: string }[];
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
}

interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
  params?: unknown;
  /** Set for a named-condition reference. */
  reference?: string;
}

/** Every leaf and reference of a tree by its path inside the tree. */
function leaves(c: unknown): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  if (c === undefined) return out;
  walkCondition(c, {
    leaf: (l, site) => {
      const leaf: Leaf = { fact: l.fact, operator: l.operator, value: l.value };
      if (l.params !== undefined) leaf.params = l.params;
      out.set(site.path, leaf);
    },
    reference: (r, site) =>
      void out.set(site.path || 'condition', { fact: `@${r.condition}`, operator: 'condition', value: r.condition, reference: r.condition }),
  });
  return out;
}

const shown = (l: Leaf): NonNullable<LeafDiff['before']> =>
  l.params === undefined ? { operator: l.operator, value: l.value } : { operator: l.operator, value: l.value, params: l.params };

/** The comparisons and references that differ between two condition trees, matched by path. */
export function diffConditions(a: Condition | undefined, b: Condition | undefined): LeafDiff[] {
  const before = leaves(a);
  const after = leaves(b);
  const out: LeafDiff[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(path);
    const y = after.get(path);
    if (x && !y) out.push({ path, fact: x.fact, change: 'removed', before: shown(x) });
    else if (!x && y) out.push({ path, fact: y.fact, change: 'added', after: shown(y) });
    else if (x && y && !jsonEqual(x, y)) {
      out.push({ path, fact: y.fact === x.fact ? y.fact : `${x.fact} → ${y.fact}`, change: 'changed', before: shown(x), after: shown(y) });
    }
  }
  return out;
}

// ---------- texts ----------

const localized = (f: (locale: Locale) => string): LocalizedText => ({ 'zh-CN': f('zh-CN'), en: f('en') });
const zhOr = (locale: Locale, zh: string, en: string) => (locale === 'en' ? en : zh);
const colon = (locale: Locale) => (locale === 'en' ? ': ' : '：');

function leafOf(d: NonNullable<LeafDiff['before']>, fact: string): LeafCondition {
  return { fact, operator: d.operator, value: d.value };
}

function referenceText(name: unknown, locale: Locale): string {
  return zhOr(locale, `命名条件 ${String(name)}`, `named condition ${String(name)}`);
}

function sideText(d: NonNullable<LeafDiff['before']>, fact: string, label: FactLabeller, locale: Locale): string {
  return d.operator === 'condition' ? referenceText(d.value, locale) : conditionText(leafOf(d, fact), label, locale);
}

/** "日均综合金融资产 ≥ 300,000 → 500,000"; "新增条件：…"; "删除条件：…". */
function leafDiffText(d: LeafDiff, label: FactLabeller, locale: Locale): string {
  const [factBefore, factAfter] = d.fact.includes(' → ') ? d.fact.split(' → ') : [d.fact, d.fact];
  if (d.change === 'added') return `${zhOr(locale, '新增条件', 'added')}${colon(locale)}${sideText(d.after!, factAfter, label, locale)}`;
  if (d.change === 'removed') return `${zhOr(locale, '删除条件', 'removed')}${colon(locale)}${sideText(d.before!, factBefore, label, locale)}`;
  const x = d.before!;
  const y = d.after!;
  if (factBefore === factAfter && x.operator === y.operator && x.operator !== 'condition' && jsonEqual(x.params, y.params)) {
    const ref = (v: unknown) => (isFactReference(v) ? v.fact : undefined);
    const thr = (v: unknown) => thresholdText(x.operator, v, ref(v), label, locale, false);
    return `${label(factAfter, locale)} ${operatorPhrase(x.operator, locale).held} ${thr(x.value)} → ${thr(y.value)}`;
  }
  return `${sideText(x, factBefore, label, locale)} → ${sideText(y, factAfter, label, locale)}`;
}

const tierName = (t: TierDefinition, locale: Locale) => (locale === 'en' ? (t.nameEn ?? t.name) : t.name) ?? t.key;
const scoreName = (s: Scorecard, locale: Locale) => (locale === 'en' ? (s.labelEn ?? s.label) : s.label) ?? s.key;

// ---------- the diff ----------

const listOf = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v.filter((x) => isPlainObject(x)) : []);

interface Side {
  def: PolicyDefinition;
  tiers: TierDefinition[];
  tierByKey: Map<string, { tier: TierDefinition; index: number }>;
  scoreByKey: Map<string, { score: Scorecard; index: number }>;
  uses: DefinitionUses;
}

function side(def: PolicyDefinition): Side {
  const d = isPlainObject(def) ? def : ({ schemaVersion: 1, tiers: [] } as PolicyDefinition);
  const tiers = listOf(d.tiers);
  const safe: PolicyDefinition = {
    ...d,
    tiers,
    scores: listOf(d.scores),
    conditions: isPlainObject(d.conditions) ? d.conditions : undefined,
    computed: isPlainObject(d.computed) ? d.computed : undefined,
  };
  return {
    def: safe,
    tiers,
    tierByKey: new Map(tiers.map((tier, index) => [tier.key, { tier, index }])),
    scoreByKey: new Map((safe.scores ?? []).map((score, index) => [score.key, { score, index }])),
    uses: definitionUses(safe),
  };
}

/** A structured, per-tier diff from `before` to `after`, each change with the tiers it affects and readable texts. */
export function diffPolicies(beforeDef: PolicyDefinition, afterDef: PolicyDefinition, options: DiffOptions = {}): PolicyDiff {
  const a = side(beforeDef);
  const b = side(afterDef);
  const label = makeLabeller(options.facts ?? [], [...(b.def.scores ?? []), ...(a.def.scores ?? [])], { ...a.def.computed, ...b.def.computed });
  const packages = new Map((options.packages ?? []).map((p) => [p.key, p]));
  const packageName = (key: string | undefined, locale: Locale) => {
    if (key === undefined) return zhOr(locale, '（无）', '(none)');
    const p = packages.get(key);
    return p ? (locale === 'en' ? (p.nameEn ?? p.name) : p.name) : key;
  };

  // tier keys in ladder order: the after version's, then the removed ones
  const tierKeys = [...b.tiers.map((t) => t.key), ...a.tiers.map((t) => t.key).filter((k) => !b.tierByKey.has(k))];
  const usersOf = (pick: (s: Side, index: number) => boolean): string[] =>
    tierKeys.filter((k) => {
      const x = a.tierByKey.get(k);
      const y = b.tierByKey.get(k);
      return (x !== undefined && pick(a, x.index)) || (y !== undefined && pick(b, y.index));
    });
  const allTiers = tierKeys;
  // what eligibility uses affects every tier: each rated customer passes it first
  const usersOfCondition = (name: string) =>
    a.uses.eligibility.conditions.has(name) || b.uses.eligibility.conditions.has(name) ? allTiers : usersOf((s, i) => s.uses.tiers[i].conditions.has(name));
  const usersOfScore = (key: string) =>
    a.uses.eligibility.scores.has(key) || b.uses.eligibility.scores.has(key) ? allTiers : usersOf((s, i) => s.uses.tiers[i].scores.has(key));

  const changes: DefinitionChange[] = [];
  const add = (c: Omit<DefinitionChange, 'text'>, text: (locale: Locale) => string) => changes.push({ ...c, text: localized(text) });
  const conditionChanges = (
    diffs: LeafDiff[],
    base: string,
    c: Pick<DefinitionChange, 'section' | 'owner' | 'tiers'>,
    prefix: (locale: Locale) => string | undefined,
  ) => {
    for (const d of diffs) {
      const path = d.path === '' || d.path === 'condition' ? base : `${base}.${d.path}`;
      add({ ...c, aspect: 'condition', change: d.change, path, before: d.before, after: d.after }, (locale) => {
        const p = prefix(locale);
        return p === undefined ? leafDiffText(d, label, locale) : `${p} · ${leafDiffText(d, label, locale)}`;
      });
    }
  };

  // eligibility: every tier
  const eligibility = diffConditions(a.def.eligibility, b.def.eligibility);
  conditionChanges(eligibility, 'eligibility', { section: 'eligibility', tiers: allTiers }, (locale) => zhOr(locale, '评级资格', 'eligibility'));

  // lifecycle rules: how every tier is kept or left between rating runs
  for (const field of ['downgradeGraceRuns', 'maxDowngradeSteps'] as const) {
    const before = a.def.lifecycle?.[field];
    const after = b.def.lifecycle?.[field];
    if (before === after) continue;
    const change: Change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    add({ section: 'lifecycle', aspect: 'lifecycle', change, path: `lifecycle.${field}`, before, after, tiers: allTiers }, (locale) => {
      const what =
        field === 'downgradeGraceRuns' ? zhOr(locale, '降级宽限次数', 'downgrade grace runs') : zhOr(locale, '每次最多降级数', 'max downgrade steps');
      return `${what} ${fmt(before, locale)} → ${fmt(after, locale)}`;
    });
  }

  // named conditions: the tiers that use them, directly or through others or scores
  const namedA = a.def.conditions ?? {};
  const namedB = b.def.conditions ?? {};
  const namedConditions: PolicyDiff['namedConditions'] = [];
  for (const name of new Set([...Object.keys(namedA), ...Object.keys(namedB)])) {
    const x = namedA[name];
    const y = namedB[name];
    const diffs = diffConditions(x, y);
    const change: Change = x === undefined ? 'added' : y === undefined ? 'removed' : 'changed';
    if (diffs.length === 0 && change === 'changed') continue;
    const tiers = usersOfCondition(name);
    namedConditions.push({ name, change, conditions: diffs, tiers });
    const base = Site.at(['conditions', name]).path;
    if (change !== 'changed') {
      add({ section: 'condition', owner: name, aspect: 'presence', change, path: base, before: x, after: y, tiers }, (locale) =>
        change === 'added'
          ? zhOr(locale, `新增命名条件 ${name}`, `named condition ${name} added`)
          : zhOr(locale, `删除命名条件 ${name}`, `named condition ${name} removed`),
      );
    } else conditionChanges(diffs, base, { section: 'condition', owner: name, tiers }, () => name);
  }

  // computed facts: the tiers that read them, directly or through named conditions, scores and other computed facts
  const computedA = a.def.computed ?? {};
  const computedB = b.def.computed ?? {};
  const usesComputed = (u: { computed: Set<string> }, key: string) => u.computed.has(key);
  for (const key of new Set([...Object.keys(computedA), ...Object.keys(computedB)])) {
    const x = computedA[key];
    const y = computedB[key];
    if (jsonEqual(x, y)) continue;
    const tiers =
      usesComputed(a.uses.eligibility, key) || usesComputed(b.uses.eligibility, key) ? allTiers : usersOf((s, i) => usesComputed(s.uses.tiers[i], key));
    const change: Change = x === undefined ? 'added' : y === undefined ? 'removed' : 'changed';
    const text = (c: ComputedFact | undefined, locale: Locale) =>
      c === undefined ? zhOr(locale, '（无）', '(none)') : expressionText(c.expr, (k) => label(k, locale));
    add(
      { section: 'computed', owner: key, aspect: 'expression', change, path: Site.at(['computed', key]).path, before: x, after: y, tiers },
      (locale) => `${label(key, locale)} = ${text(x, locale)} → ${text(y, locale)}`,
    );
  }

  // scores: the tiers that read them (through named conditions and other scores too)
  const scores: PolicyDiff['scores'] = [];
  for (const key of new Set([...a.scoreByKey.keys(), ...b.scoreByKey.keys()])) {
    const x = a.scoreByKey.get(key);
    const y = b.scoreByKey.get(key);
    if (x && y && jsonEqual(x.score, y.score)) continue;
    if (x && y && jsonEqual(withoutNotes(x.score), withoutNotes(y.score))) {
      scoreNoteChanges(x.score, y.score, Site.at(['scores', y.index]), key, (locale) => scoreName(y.score, locale), add);
      continue;
    }
    const tiers = usersOfScore(key);
    const change: Change = !x ? 'added' : !y ? 'removed' : 'changed';
    scores.push({ key, change, before: x?.score, after: y?.score, tiers });
    const base = Site.at(['scores', (y ?? x)!.index]);
    const name = (locale: Locale) => scoreName((y ?? x)!.score, locale);
    const c = { section: 'score' as const, owner: key, tiers };
    if (!x || !y) {
      add({ ...c, aspect: 'presence', change, path: base.path, before: x?.score, after: y?.score }, (locale) =>
        !x
          ? zhOr(locale, `新增评分 ${name(locale)}`, `score ${name(locale)} added`)
          : zhOr(locale, `删除评分 ${name(locale)}`, `score ${name(locale)} removed`),
      );
      continue;
    }
    scoreChanges(x.score, y.score, base, c, name, label, add, conditionChanges);
    scoreNoteChanges(x.score, y.score, base, key, name, add);
  }

  // tiers
  const tiers: TierDiff[] = tierKeys.map((key) => {
    const x = a.tierByKey.get(key);
    const y = b.tierByKey.get(key);
    const c = { section: 'tier' as const, owner: key, tiers: [key] };
    const path = Site.at(['tiers', (y ?? x)!.index]).path;
    const conditions = diffConditions(x?.tier.when, y?.tier.when);
    if (!x || !y) {
      add({ ...c, aspect: 'presence', change: !x ? 'added' : 'removed', path, before: x?.tier, after: y?.tier }, (locale) =>
        !x ? zhOr(locale, `新增等级（第 ${y!.index + 1} 位）`, `tier added (position ${y!.index + 1})`) : zhOr(locale, '删除等级', 'tier removed'),
      );
    } else {
      conditionChanges(conditions, `${path}.when`, c, () => undefined);
      conditionChanges(diffConditions(x.tier.keepWhen, y.tier.keepWhen), `${path}.keepWhen`, c, (locale) => zhOr(locale, '保级条件', 'keepWhen'));
      if (x.tier.benefitPackage !== y.tier.benefitPackage) {
        add(
          { ...c, aspect: 'package', change: 'changed', path: `${path}.benefitPackage`, before: x.tier.benefitPackage, after: y.tier.benefitPackage },
          (locale) =>
            zhOr(locale, '权益包 ', 'benefit package ').concat(`${packageName(x.tier.benefitPackage, locale)} → ${packageName(y.tier.benefitPackage, locale)}`),
        );
      }
      for (const field of ['name', 'nameEn', 'description'] as const) {
        if (x.tier[field] === y.tier[field]) continue;
        add({ ...c, aspect: 'name', change: 'changed', path: `${path}.${field}`, before: x.tier[field], after: y.tier[field] }, (locale) => {
          const what = {
            name: zhOr(locale, '名称', 'name'),
            nameEn: zhOr(locale, '英文名称', 'English name'),
            description: zhOr(locale, '说明', 'description'),
          }[field];
          return `${what} ${fmt(x.tier[field], locale)} → ${fmt(y.tier[field], locale)}`;
        });
      }
      noteChange(add, { section: 'tier', owner: key, path: `${path}.note`, before: x.tier.note, after: y.tier.note }, (locale) => tierName(y.tier, locale));
      if (x.index !== y.index) {
        add(
          { ...c, aspect: 'position', change: 'changed', path, before: x.index + 1, after: y.index + 1 },
          (locale) => `${zhOr(locale, '位次', 'position')} #${formatNumber(x.index + 1)} → #${formatNumber(y.index + 1)}`,
        );
      }
    }
    const diff: TierDiff = {
      key,
      change: 'unchanged',
      name: { before: x?.tier.name, after: y?.tier.name },
      title: localized((locale) => tierName((y ?? x)!.tier, locale)),
      rank: { before: x ? x.index + 1 : undefined, after: y ? y.index + 1 : undefined },
      moved: x !== undefined && y !== undefined && x.index !== y.index,
      conditions,
      changes: [],
      text: [],
    };
    if (x?.tier.benefitPackage !== y?.tier.benefitPackage) diff.benefitPackage = { before: x?.tier.benefitPackage, after: y?.tier.benefitPackage };
    return diff;
  });

  // the notes on eligibility and named conditions (documentation: no tier)
  const notesA = isPlainObject(a.def.notes) ? a.def.notes : {};
  const notesB = isPlainObject(b.def.notes) ? b.def.notes : {};
  noteChange(add, { section: 'eligibility', path: 'notes.eligibility', before: notesA.eligibility, after: notesB.eligibility }, (locale) =>
    zhOr(locale, '评级资格', 'eligibility'),
  );
  const condNotesA = isPlainObject(notesA.conditions) ? notesA.conditions : {};
  const condNotesB = isPlainObject(notesB.conditions) ? notesB.conditions : {};
  for (const name of new Set([...Object.keys(condNotesA), ...Object.keys(condNotesB)])) {
    noteChange(
      add,
      { section: 'condition', owner: name, path: Site.at(['notes', 'conditions', name]).path, before: condNotesA[name], after: condNotesB[name] },
      () => name,
    );
  }

  // each tier: every change that names it
  const byKey = new Map(tiers.map((t) => [t.key, t]));
  changes.forEach((change, index) => {
    for (const key of change.tiers) {
      const t = byKey.get(key)!;
      t.changes.push(index);
      const tier = (b.tierByKey.get(key) ?? a.tierByKey.get(key))!.tier;
      t.text.push(localized((locale) => `${tierName(tier, locale)}${colon(locale)}${change.text[locale]}`));
    }
  });
  for (const t of tiers) {
    const x = a.tierByKey.has(t.key);
    const y = b.tierByKey.has(t.key);
    t.change = !x ? 'added' : !y ? 'removed' : t.changes.length > 0 ? 'changed' : 'unchanged';
  }

  const count = (c: TierDiff['change']) => tiers.filter((t) => t.change === c).length;
  return {
    tiers,
    eligibility,
    namedConditions,
    scores,
    changes,
    summary: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      moved: tiers.filter((t) => t.moved).length,
      unchanged: count('unchanged'),
    },
  };
}

type Add = (c: Omit<DefinitionChange, 'text'>, text: (locale: Locale) => string) => void;
type ConditionChanges = (
  diffs: LeafDiff[],
  base: string,
  c: Pick<DefinitionChange, 'section' | 'owner' | 'tiers'>,
  prefix: (locale: Locale) => string | undefined,
) => void;

/** A scorecard's changes: label, rounding, each component and multiplier (by position), their conditions. */
function scoreChanges(
  x: Scorecard,
  y: Scorecard,
  base: Site,
  c: Pick<DefinitionChange, 'section' | 'owner' | 'tiers'>,
  name: (locale: Locale) => string,
  label: FactLabeller,
  add: Add,
  conditionChanges: ConditionChanges,
): void {
  const at = (...segments: (string | number)[]) => Site.at([...base.segments, ...segments]).path;
  if (x.label !== y.label || x.labelEn !== y.labelEn) {
    add(
      { ...c, aspect: 'label', change: 'changed', path: at('label'), before: x.label, after: y.label },
      (locale) => `${zhOr(locale, '评分名称', 'score name')} ${scoreName(x, locale)} → ${scoreName(y, locale)}`,
    );
  }
  if (x.round !== y.round) {
    add(
      { ...c, aspect: 'round', change: 'changed', path: at('round'), before: x.round, after: y.round },
      (locale) => `${name(locale)} · ${zhOr(locale, '保留小数位', 'rounding')} ${fmt(x.round, locale)} → ${fmt(y.round, locale)}`,
    );
  }
  const part = (kind: 'components' | 'multipliers') => {
    const xs = listOf(x[kind] as object[] | undefined) as Record<string, unknown>[];
    const ys = listOf(y[kind] as object[] | undefined) as Record<string, unknown>[];
    const aspect = kind === 'components' ? 'component' : 'multiplier';
    for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
      const p = xs[i];
      const q = ys[i];
      if (p && q && jsonEqual(p, q)) continue;
      const path = at(kind, i);
      const describe = (v: Record<string, unknown>, locale: Locale) => partText(v, label, locale);
      if (!p || !q) {
        add(
          { ...c, aspect, change: !p ? 'added' : 'removed', path, before: p, after: q },
          (locale) => `${name(locale)} · ${!p ? zhOr(locale, '新增', 'added') : zhOr(locale, '删除', 'removed')}${colon(locale)}${describe((q ?? p)!, locale)}`,
        );
        continue;
      }
      const { when: pw, note: _pn, ...pRest } = p;
      const { when: qw, note: _qn, ...qRest } = q;
      if (!jsonEqual(pRest, qRest)) {
        add(
          { ...c, aspect, change: 'changed', path, before: pRest, after: qRest },
          (locale) => `${name(locale)} · ${describe(p, locale)} → ${describe(q, locale)}`,
        );
      }
      conditionChanges(
        diffConditions(pw as Condition | undefined, qw as Condition | undefined),
        `${path}.when`,
        c,
        (locale) => `${name(locale)} · ${String(q.label ?? i + 1)}`,
      );
    }
  };
  part('components');
  part('multipliers');
}

/** A note added, removed or reworded: listed, affecting no tier (notes never change an outcome). */
function noteChange(add: Add, c: Pick<DefinitionChange, 'section' | 'owner' | 'path' | 'before' | 'after'>, name: (locale: Locale) => string): void {
  if (jsonEqual(c.before, c.after)) return;
  const change: Change = c.before === undefined ? 'added' : c.after === undefined ? 'removed' : 'changed';
  add(
    { ...c, aspect: 'note', change, tiers: [] },
    (locale) =>
      `${name(locale)} · ${{ added: zhOr(locale, '新增说明', 'note added'), removed: zhOr(locale, '删除说明', 'note removed'), changed: zhOr(locale, '说明已修改', 'note changed') }[change]}`,
  );
}

function withoutNotes(s: Scorecard): unknown {
  const strip = (v: unknown) => (isPlainObject(v) ? { ...v, note: undefined } : v);
  return {
    ...s,
    note: undefined,
    components: Array.isArray(s.components) ? s.components.map(strip) : s.components,
    multipliers: Array.isArray(s.multipliers) ? s.multipliers.map(strip) : s.multipliers,
  };
}

/** The notes of a scorecard, its components and multipliers. */
function scoreNoteChanges(x: Scorecard, y: Scorecard, base: Site, key: string, name: (locale: Locale) => string, add: Add): void {
  const at = (...segments: (string | number)[]) => Site.at([...base.segments, ...segments]).path;
  noteChange(add, { section: 'score', owner: key, path: at('note'), before: x.note, after: y.note }, name);
  for (const kind of ['components', 'multipliers'] as const) {
    const xs = Array.isArray(x[kind]) ? (x[kind] as { label?: string; note?: unknown }[]) : [];
    const ys = Array.isArray(y[kind]) ? (y[kind] as { label?: string; note?: unknown }[]) : [];
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      noteChange(
        add,
        { section: 'score', owner: key, path: at(kind, i, 'note'), before: xs[i]?.note, after: ys[i]?.note },
        (locale) => `${name(locale)} · ${String(ys[i]?.label ?? i + 1)}`,
      );
    }
  }
}

/** "历史销售 × 0.5", "定期保养 +3", "两年累计销售加成 × 1.05". */
function partText(v: Record<string, unknown>, label: FactLabeller, locale: Locale): string {
  const name = typeof v.label === 'string' ? v.label : '';
  if (typeof v.fact === 'string' && Array.isArray(v.steps)) {
    const bands = (v.steps as Record<string, unknown>[]).map((b) => `${fmt(b.min ?? '−∞', locale)}–${fmt(b.max ?? '∞', locale)}: ${fmt(b.points, locale)}`);
    const w = v.weight === undefined ? '' : ` × ${fmt(v.weight, locale)}`;
    return `${name || label(v.fact, locale)} [${bands.join('; ')}]${w}`;
  }
  if (typeof v.fact === 'string') return `${name || label(v.fact, locale)} × ${fmt(v.weight, locale)}`;
  if (v.points !== undefined) return `${name} +${fmt(v.points, locale)}`;
  return `${name} × ${fmt(v.factor, locale)}`;
}
