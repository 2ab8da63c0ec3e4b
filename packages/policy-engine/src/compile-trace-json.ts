/**
 * compileTraceJson: the compiled evaluator with the trace written as JSON text — byte for byte
 * JSON.stringify(compileTraced(...)(input).trace), without building the trace's objects (issue 17 target 2: for a
 * batch of 10,000 answered with the trace, building ~30 objects a customer and JSON.stringify's walk of them were
 * the largest cost left, and most of its garbage). The same closures decide (compileLeaf, the slots of
 * tracedPlan), and each node's text is written in the order compileTraced inserts its keys, with the members
 * JSON.stringify leaves out (an undefined `value` or `factValue`) left out. Every constant piece — a leaf's fact,
 * operator and threshold, a tier's key and rank, a label — is serialised once, at compile time.
 *
 * A differential property test (test/compile-trace-json.test.ts) holds the text equal to JSON.stringify of
 * compileTraced's trace on random definitions × random customers (CJK, odd numbers, missing facts); compileTraced's
 * own test holds that trace equal to json-rules-engine's. Not compiled (null) where compileTraced is not.
 */
import type { Vals } from './compile';
import { seen, tracedPlan } from './compile-traced';
import { jsonNumber, jsonString, jsonValue } from './json-text';
import { isMissing } from './keys';
import type { OperatorContext } from './operators';
import { componentTracer, type ComponentTrace } from './result';
import { isStepComponent, roundScore } from './scoring';
import type { Condition, EvaluateOptions, EvaluatorOptions, FactDefinition, Facts, FastResult, PolicyDefinition, TopLevelCondition } from './types';
import { foldCondition } from './walk';

/** The outcome (as compileFast gives it) and the trace as JSON text (`[…]`, the EvaluationResult's `trace`). */
export interface TraceJsonResult extends FastResult {
  traceJson: string;
}

export type TraceJsonEvaluator = (input: Facts, options?: EvaluateOptions) => TraceJsonResult;

/**
 * Writes a condition's trace: its text pushed to the compile's `parts` (joined once per call: one flat string, no
 * rope of a few hundred small strings to flatten and collect), its result left in the compile's `result`.
 */
type Writer = (v: Vals, ctx: OperatorContext) => void;

/** `,"key":<json>`, or nothing where JSON.stringify leaves the member out. */
const member = (key: string, json: string | undefined): string => (json === undefined ? '' : `,"${key}":${json}`);

/** A weighted or step component's trace object (componentTracer's) as text: its keys in the order componentTracer inserts them. */
const COMPONENT_KEYS = ['label', 'contribution', 'fact', 'factValue', 'band', 'points', 'weight', 'missing'] as const;
function componentJson(t: ComponentTrace): string {
  let s = '';
  for (const k of COMPONENT_KEYS) {
    const x = t[k];
    if (x === undefined) continue;
    s += `${s === '' ? '{' : ','}"${k}":${jsonValue(x) ?? 'null'}`;
  }
  return `${s}}`;
}

/** A leaf's `,"missing":…,"result":…` by (missing, result). */
const LEAF_ENDS = [',"missing":false,"result":false', ',"missing":false,"result":true', ',"missing":true,"result":false', ',"missing":true,"result":true'];
const leafEnd = (missing: boolean, r: boolean) => LEAF_ENDS[(missing ? 2 : 0) + (r ? 1 : 0)];

export function compileTraceJson(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluatorOptions = {}): TraceJsonEvaluator | null {
  const tp = tracedPlan(definition, facts, options);
  if (tp === null) return null;
  const { def, slotOf } = tp;
  /** The result of the condition written last. */
  let result = false;
  /** The text of the trace being written (emptied per call). */
  const parts: string[] = [];

  /** A node whose result comes before its children: a slot kept for its head, filled once they are written. */
  const group = (heads: readonly [string, string], kids: Writer[], combine: (all: boolean, some: boolean) => boolean): Writer => {
    return (v, ctx) => {
      const at = parts.length;
      parts.push('');
      let all = true;
      let some = false;
      for (let i = 0; i < kids.length; i++) {
        if (i > 0) parts.push(',');
        kids[i](v, ctx);
        if (result) some = true;
        else all = false;
      }
      result = combine(all, some);
      parts[at] = heads[result ? 1 : 0];
      parts.push(']}');
    };
  };
  const heads = (before: string): readonly [string, string] => [`${before}false,"children":[`, `${before}true,"children":[`];

  const named = new Map<string, Writer | undefined>();
  const writer = (c: TopLevelCondition | Condition): Writer =>
    foldCondition<Writer>(
      c,
      {
        leaf: (leaf) => {
          const { pred, slot: s, ref, refSlot: r, inputs } = tp.leaf(leaf);
          const head = `{"type":"leaf","fact":${jsonString(leaf.fact)},"operator":${jsonString(leaf.operator)}`;
          if (ref === undefined) {
            const absent = head + member('value', JSON.stringify(leaf.value));
            const threshold = `${absent},"factValue":`;
            return (v, ctx) => {
              const factValue = seen(v[s]);
              result = pred(v, ctx);
              const json = jsonValue(factValue);
              if (json === undefined) parts.push(absent);
              else parts.push(threshold, json);
              parts.push(leafEnd(isMissing(factValue), result), inputs ? `,"inputs":${JSON.stringify(inputs(v))}}` : '}');
            };
          }
          const valueFact = `,"valueFact":${jsonString(ref)}`;
          return (v, ctx) => {
            const factValue = seen(v[s]);
            const value = seen(v[r]);
            result = pred(v, ctx);
            parts.push(
              head,
              member('value', jsonValue(value)),
              member('factValue', jsonValue(factValue)),
              leafEnd(isMissing(factValue) || isMissing(value), result),
              valueFact,
              inputs ? `,"inputs":${JSON.stringify(inputs(v))}}` : '}',
            );
          };
        },
        all: (_node, children) =>
          group(
            heads('{"type":"all","result":'),
            children.map((k) => k()),
            (all) => all,
          ),
        any: (_node, children) => {
          const kids = children.map((k) => k());
          return group(heads('{"type":"any","result":'), kids, (_all, some) => kids.length === 0 || some);
        },
        not: (_node, child) => group(heads('{"type":"not","result":'), [child()], (all) => !all),
        reference: (node, target) => group(heads(`{"type":"condition","name":${jsonString(node.condition)},"result":`), [target()!], (all) => all),
      },
      { named: def.conditions ?? {}, memo: named },
    );

  /** A component's part of the score, its text pushed to `parts` (after a comma from the second on). */
  type Part = (v: Vals, ctx: OperatorContext) => number;
  const scores = (def.scores ?? []).map((s) => {
    const parts_: Part[] = s.components.map((c): Part => {
      if (isStepComponent(c) || 'fact' in c) {
        const slot = slotOf(c.fact);
        const traceOf = componentTracer(c);
        return (v) => {
          const trace = traceOf(seen(v[slot]));
          parts.push(componentJson(trace));
          return trace.contribution;
        };
      }
      const when = writer(c.when);
      const head = `{"label":${jsonString(c.label)},"contribution":`;
      const { points } = c;
      const pointsJson = `,"points":${jsonNumber(points)},"condition":`;
      return (v, ctx) => {
        // the contribution comes before the condition: the condition's text written first, then its head put before it
        const at = parts.length;
        parts.push('');
        when(v, ctx);
        const contribution = result ? points : 0;
        parts[at] = `${head}${jsonNumber(contribution)}${pointsJson}`;
        parts.push('}');
        return contribution;
      };
    });
    const multipliers = (s.multipliers ?? []).map((m) => ({
      factor: m.factor,
      heads: [
        `{"label":${jsonString(m.label)},"factor":${jsonNumber(m.factor)},"applied":false,"condition":`,
        `{"label":${jsonString(m.label)},"factor":${jsonNumber(m.factor)},"applied":true,"condition":`,
      ] as const,
      when: writer(m.when),
    }));
    return { key: s.key, head: `{"kind":"score","score":${jsonString(s.key)},"value":`, round: s.round, slot: slotOf(s.key), parts: parts_, multipliers };
  });
  const eligibility = def.eligibility ? writer(def.eligibility) : null;
  const tiers = def.tiers.map((t, i) => {
    const head = `{"kind":"tier","tier":${jsonString(t.key)},"rank":${i + 1},"matched":`;
    return { heads: [`${head}false,"condition":`, `${head}true,"condition":`] as const, catchAll: `${head}true}`, when: t.when ? writer(t.when) : null };
  });

  return (input, callOptions) => {
    const v = tp.load(input);
    const ctx = tp.context(input, callOptions);
    parts.length = 0;
    parts.push('[');
    // the entries in assembleResult's order (result.ts) — eligibility, the scores, the tiers from the top to the first
    // that matches — though the scores are computed first (eligibility may read them): its slot is kept
    const eligibilityAt = eligibility === null ? -1 : parts.length;
    if (eligibility !== null) parts.push('');
    const out: Record<string, number> = {};
    for (let k = 0; k < scores.length; k++) {
      const s = scores[k];
      if (k > 0 || eligibility !== null) parts.push(',');
      const at = parts.length;
      parts.push('');
      let total = 0;
      for (let j = 0; j < s.parts.length; j++) {
        if (j > 0) parts.push(',');
        total += s.parts[j](v, ctx);
      }
      parts.push('],"multipliers":[');
      for (let j = 0; j < s.multipliers.length; j++) {
        const m = s.multipliers[j];
        if (j > 0) parts.push(',');
        const mAt = parts.length;
        parts.push('');
        m.when(v, ctx);
        if (result) total *= m.factor;
        parts[mAt] = m.heads[result ? 1 : 0];
        parts.push('}');
      }
      parts.push(']}');
      const value = roundScore(total, s.round);
      out[s.key] = value;
      v[s.slot] = value;
      parts[at] = `${s.head}${jsonNumber(value)},"components":[`;
    }
    let eligible = true;
    if (eligibility !== null) {
      // written at the end, then moved into its slot
      const from = parts.length;
      eligibility(v, ctx);
      eligible = result;
      const condition = parts.splice(from).join('');
      parts[eligibilityAt] = `{"kind":"eligibility","matched":${eligible},"condition":${condition}}`;
    }
    let tierIndex = -1;
    if (eligible) {
      for (let i = 0; i < tiers.length; i++) {
        const t = tiers[i];
        if (parts.length > 1) parts.push(',');
        if (t.when === null) {
          parts.push(t.catchAll);
          tierIndex = i;
          break;
        }
        const at = parts.length;
        parts.push('');
        t.when(v, ctx);
        parts[at] = t.heads[result ? 1 : 0];
        parts.push('}');
        if (result) {
          tierIndex = i;
          break;
        }
      }
    }
    parts.push(']');
    return { eligible, tierIndex, scores: out, traceJson: parts.join('') };
  };
}
