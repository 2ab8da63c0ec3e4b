/**
 * The evaluation answer as JSON text, written directly instead of building the answer object and handing it to
 * JSON.stringify (issue 17: for a batch of 10,000 that object and its serialisation were the largest single cost).
 *
 * `evaluationObject` is the answer's meaning (contract `Evaluation`); `evaluationMembers` writes the same members
 * in the same order, byte for byte what JSON.stringify(evaluationObject(...)) writes (a differential test holds them
 * equal over every template, rollouts, cut-offs, explain on and off, odd strings). What depends only on the prepared
 * version — the policy, each tier, each benefit package — is serialised once per version; what varies per customer
 * (scores, trace, projection options, explanation) goes through JSON.stringify, so its escaping is JSON.stringify's.
 */
import { explain, jsonString, projectionText } from '@tierwise/policy-engine';
import type { EvaluationResult, Facts, PopulationCutoffs, Projection } from '@tierwise/policy-engine';
import type { PreparedVersion } from '../policies/evaluator-cache';
import type { InForceCutoffs } from './population-cutoffs';

export interface AnswerOptions {
  decisionId?: string;
  evaluatedAt?: Date;
  explain?: boolean;
  rolloutStep?: number | null;
  cutoffs?: InForceCutoffs;
  /** `false`: leave `trace` out (a batch's `include.trace`). */
  trace?: boolean;
  /** `false`: leave `next` out and do not project (a batch's `include.next`). */
  next?: boolean;
  /**
   * The trace already as JSON text (compileTraceJson: JSON.stringify of the trace `r` would carry, whose own `trace`
   * is then left empty), written in its place — the text writer only.
   */
  traceJson?: string;
}

export function benefitPackageOf(p: PreparedVersion, key: string | undefined) {
  const pkg = key ? p.catalog.packages[key] : undefined;
  if (!pkg) return null;
  return { key: pkg.key, name: pkg.name, nameEn: pkg.nameEn, benefits: pkg.benefits.map((b) => ({ key: b.key, name: b.name, nameEn: b.nameEn })) };
}

export function explanations(p: PreparedVersion, r: EvaluationResult) {
  return { 'zh-CN': explain(r, p.definition, p.catalog.facts, 'zh-CN'), en: explain(r, p.definition, p.catalog.facts, 'en') };
}

const tierOf = (t: { key: string; name: string; nameEn?: string; rank: number }) => ({ key: t.key, name: t.name, nameEn: t.nameEn, rank: t.rank });

function projectionTexts(p: PreparedVersion, next: Projection) {
  return { 'zh-CN': projectionText(next, p.definition, p.catalog.facts, 'zh-CN'), en: projectionText(next, p.definition, p.catalog.facts, 'en') };
}

/**
 * Contract §9 projection: the next better tier and each single fact change that alone reaches it
 * (`null` at the top; `options` empty when no single change suffices), with its explanation when asked.
 */
export function nextTier(p: PreparedVersion, facts: Facts, withText: boolean, cutoffs?: PopulationCutoffs) {
  const next = p.projector(cutoffs)(facts);
  if (next === null) return null;
  return { tier: tierOf(next.tier), options: next.options, ...(withText ? { explanation: projectionTexts(p, next) } : {}) };
}

const cutoffsOf = (c: InForceCutoffs) => ({ runId: c.runId, effectiveAt: c.effectiveAt, asOf: c.cutoffs.asOf, population: c.cutoffs.population });

/** The answer for one customer (contract `Evaluation`, without `official`), as an object. */
export function evaluationObject(p: PreparedVersion, policyKey: string, r: EvaluationResult, facts: Facts, extra: AnswerOptions) {
  const step = extra.rolloutStep ?? null;
  const c = extra.cutoffs;
  return {
    ...(extra.decisionId ? { decisionId: extra.decisionId, evaluatedAt: extra.evaluatedAt } : {}),
    // which version applied, and through which rollout step (null: its own effectiveFrom)
    policy: { key: policyKey, versionId: p.version.id, number: p.version.number, ...(p.version.rollout?.length ? { rolloutStep: step } : {}) },
    eligible: r.eligible,
    tier: r.tier ? tierOf(r.tier) : null,
    benefitPackage: benefitPackageOf(p, r.tier?.benefitPackage),
    scores: r.scores,
    ...(extra.trace === false ? {} : { trace: r.trace }),
    ...(extra.next === false ? {} : { next: nextTier(p, facts, extra.explain === true, c?.cutoffs) }),
    ...(extra.explain ? { explanation: explanations(p, r) } : {}),
    // which run's frozen cut-offs the population conditions used (their values are in the trace)
    ...(c ? { cutoffs: cutoffsOf(c) } : {}),
  };
}

/** Serialised pieces of one prepared version; a tier's is checked against the tier it is asked for (name, rank) before reuse. */
interface Fragments {
  tiers: Map<string, { name: string; nameEn?: string; rank: number; json: string }>;
  packages: Map<string, string>;
  policies: Map<string, { versionId: string; number: number; json: string }>;
  /** `,"eligible":…,"tier":…,"benefitPackage":…` per outcome: by tier key ('' without a tier, then by eligibility). */
  outcomes: Map<string, { eligible: boolean; tier: { name: string; nameEn?: string; rank: number; benefitPackage?: string } | null; json: string }[]>;
}

const fragmentsOf = new WeakMap<PreparedVersion, Fragments>();

function fragments(p: PreparedVersion): Fragments {
  let f = fragmentsOf.get(p);
  if (!f) {
    f = { tiers: new Map(), packages: new Map(), policies: new Map(), outcomes: new Map() };
    fragmentsOf.set(p, f);
  }
  return f;
}

function tierJson(f: Fragments, t: { key: string; name: string; nameEn?: string; rank: number }): string {
  const hit = f.tiers.get(t.key);
  if (hit && hit.name === t.name && hit.nameEn === t.nameEn && hit.rank === t.rank) return hit.json;
  const json = JSON.stringify(tierOf(t));
  f.tiers.set(t.key, { name: t.name, nameEn: t.nameEn, rank: t.rank, json });
  return json;
}

function packageJson(f: Fragments, p: PreparedVersion, key: string | undefined): string {
  const k = key ?? '';
  let json = f.packages.get(k);
  if (json === undefined) {
    json = JSON.stringify(benefitPackageOf(p, key));
    f.packages.set(k, json);
  }
  return json;
}

function policyJson(f: Fragments, p: PreparedVersion, policyKey: string, step: number | null): string {
  const rollout = Boolean(p.version.rollout?.length);
  const k = `${rollout ? String(step) : ''}\u0000${policyKey}`;
  const hit = f.policies.get(k);
  if (hit && hit.versionId === p.version.id && hit.number === p.version.number) return hit.json;
  const json = JSON.stringify({ key: policyKey, versionId: p.version.id, number: p.version.number, ...(rollout ? { rolloutStep: step } : {}) });
  f.policies.set(k, { versionId: p.version.id, number: p.version.number, json });
  return json;
}

/**
 * The outcome's members after the policy — `,"eligible":…,"tier":…,"benefitPackage":…` — which depend only on the
 * version and the outcome (eligibility, tier): one piece instead of three (a batch encodes fewer, larger pieces).
 */
function outcomeJson(f: Fragments, p: PreparedVersion, r: EvaluationResult): string {
  const t = r.tier;
  const seen = f.outcomes.get(t?.key ?? '');
  const hit = seen?.find(
    (x) =>
      x.eligible === r.eligible &&
      (x.tier === null
        ? t === null
        : t !== null && x.tier.name === t.name && x.tier.nameEn === t.nameEn && x.tier.rank === t.rank && x.tier.benefitPackage === t.benefitPackage),
  );
  if (hit) return hit.json;
  const json = `,"eligible":${JSON.stringify(r.eligible)},"tier":${t ? tierJson(f, t) : 'null'},"benefitPackage":${packageJson(f, p, t?.benefitPackage)}`;
  const entry = { eligible: r.eligible, tier: t && { name: t.name, nameEn: t.nameEn, rank: t.rank, benefitPackage: t.benefitPackage }, json };
  if (seen) seen.push(entry);
  else f.outcomes.set(t?.key ?? '', [entry]);
  return json;
}

/** `,"key":<JSON>`, or nothing where JSON.stringify leaves the member out (undefined). */
function member(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? '' : `,"${key}":${json}`;
}

/** JSON.stringify of a Date, the text kept for its millisecond (a batch's decisions share a few; so do busy seconds' answers). */
let instantMs = NaN;
let instantText = '';
function instantJson(d: Date): string {
  const t = d.getTime();
  if (t !== instantMs) {
    instantMs = t;
    instantText = JSON.stringify(d);
  }
  return instantText;
}

/**
 * Where the members are written. `text`: any JSON text; `fragment`: a piece serialised once per prepared version (the
 * policy, a tier, a benefit package), the same string object every time it is asked for. A string writer joins both;
 * the batch writer (batch-answer.ts) keeps each fragment's UTF-8 bytes and copies them, so that a result's own text
 * stays one-byte: a tier's or a package's Chinese name made every result's text two-byte, and encoding two-byte text
 * to UTF-8 was ~40 % of writing a full 10,000-customer answer (issue 17 target 2, by profile).
 */
export interface MembersOut {
  text(s: string): void;
  fragment(s: string): void;
}

/** The members as one string. */
class MembersText implements MembersOut {
  out = '';
  text(s: string): void {
    this.out += s;
  }
  fragment(s: string): void {
    this.out += s;
  }
}

/**
 * The members of `evaluationObject(...)` as JSON text, without the braces, so that a caller adds its own before
 * (a batch result's `customerId`) or after (`official`). Starts with `"decisionId"` or `"policy"`.
 */
export function evaluationMembers(p: PreparedVersion, policyKey: string, r: EvaluationResult, facts: Facts, extra: AnswerOptions): string {
  const w = new MembersText();
  writeMembers(w, p, policyKey, r, facts, extra);
  return w.out;
}

/** `evaluationMembers`, written to `w` in pieces: the same text in the same order. */
export function writeMembers(w: MembersOut, p: PreparedVersion, policyKey: string, r: EvaluationResult, facts: Facts, extra: AnswerOptions): void {
  const f = fragments(p);
  const c = extra.cutoffs;
  w.text(
    extra.decisionId
      ? `"decisionId":${jsonString(extra.decisionId)}${extra.evaluatedAt ? `,"evaluatedAt":${instantJson(extra.evaluatedAt)}` : ''},"policy":`
      : '"policy":',
  );
  w.fragment(policyJson(f, p, policyKey, extra.rolloutStep ?? null));
  w.fragment(outcomeJson(f, p, r));
  let out = member('scores', r.scores);
  if (extra.trace !== false) {
    if (extra.traceJson === undefined) out += member('trace', r.trace);
    else {
      // the trace's text written as it is: not joined to what comes before (a writer that encodes each text as it comes copies it once)
      w.text(`${out},"trace":`);
      w.text(extra.traceJson);
      out = '';
    }
  }
  if (extra.next !== false) {
    const next = p.projector(c?.cutoffs)(facts);
    if (next === null) out += ',"next":null';
    else {
      w.text(`${out},"next":{"tier":`);
      w.fragment(tierJson(f, next.tier));
      out = member('options', next.options);
      if (extra.explain === true) out += member('explanation', projectionTexts(p, next));
      out += '}';
    }
  }
  if (extra.explain) out += member('explanation', explanations(p, r));
  if (c) out += member('cutoffs', cutoffsOf(c));
  w.text(out);
}
