/**
 * Plain-language explanation of an evaluation, from its trace, for a compliance officer:
 * one line per step (eligibility, each score, each tier tried), in zh-CN or en.
 * e.g. "日均综合金融资产 1,000,000 ≥ 1,000,000 → 黑金客户".
 */
import { formatNumber, makeLabeller, type FactLabeller } from './format';
import { fmt, operatorPhrase, thresholdText } from './phrases';
import { expressionText } from './expressions';
import { isStepComponent } from './scoring';
import type {
  ComputedFact,
  ConditionTrace,
  StepBand,
  EvaluationResult,
  FactDefinition,
  LeafCutoff,
  LeafTrace,
  Locale,
  PolicyDefinition,
  ScoreTrace,
  TierDefinition,
} from './types';

function leafText(leaf: LeafTrace, label: FactLabeller, locale: Locale, computed: Readonly<Record<string, ComputedFact>>): string {
  const name = label(leaf.fact, locale);
  const zh = locale !== 'en';
  const uncomputable = (k: string | undefined): boolean => k !== undefined && computed[k] !== undefined && leaf.inputs !== undefined;
  if (leaf.missing && (uncomputable(leaf.fact) ? leaf.factValue === undefined : uncomputable(leaf.valueFact) && leaf.value === undefined)) {
    const k = leaf.factValue === undefined && uncomputable(leaf.fact) ? leaf.fact : leaf.valueFact!;
    const formula = expressionText(computed[k].expr, (f) => label(f, locale), leaf.inputs, computed);
    return zh ? `${label(k, locale)} 无法计算（${formula}），条件不成立` : `${label(k, locale)} cannot be computed (${formula}), so the condition fails`;
  }
  if (leaf.missing) {
    const who = leaf.factValue === undefined || leaf.factValue === null ? name : leaf.valueFact !== undefined ? label(leaf.valueFact, locale) : name;
    return zh ? `${who} 缺失（无数据），条件不成立` : `${who} is missing (no data), so the condition fails`;
  }
  if (typeof leaf.value === 'boolean' && leaf.valueFact === undefined && (leaf.operator === 'equal' || leaf.operator === 'notEqual')) {
    const required = leaf.operator === 'equal' ? leaf.value : !leaf.value;
    if (leaf.result) return zh ? `${name}：${fmt(leaf.factValue, locale)}` : `${name}: ${fmt(leaf.factValue, locale)}`;
    return zh
      ? `${name}：${fmt(leaf.factValue, locale)}（要求为${fmt(required, locale)}）`
      : `${name}: ${fmt(leaf.factValue, locale)} (required: ${fmt(required, locale)})`;
  }
  if (leaf.cutoff !== undefined) return populationLeafText(leaf, leaf.cutoff, name, label, locale);
  const p = operatorPhrase(leaf.operator, locale);
  const c = computed[leaf.fact];
  const seen =
    c !== undefined && leaf.inputs !== undefined
      ? `${fmt(leaf.factValue, locale)}${zh ? '（= ' : ' (= '}${expressionText(c.expr, (k) => label(k, locale), leaf.inputs, computed)}${zh ? '）' : ')'}`
      : fmt(leaf.factValue, locale);
  return `${name} ${seen} ${leaf.result ? p.held : p.failed} ${thresholdText(leaf.operator, leaf.value, leaf.valueFact, label, locale)}`;
}

/**
 * A population leaf with the cut-off it used: "利润 1,300,000 ≥ 1,250,000：前 20% 的利润门槛为 1,250,000（2026-03-31，共
 * 84,210 名客户）" / "Profit 1,300,000 ≥ 1,250,000: the top 20% threshold for Profit is 1,250,000 (2026-03-31, 84,210 customers)".
 */
function populationLeafText(leaf: LeafTrace, cut: LeafCutoff, name: string, label: FactLabeller, locale: Locale): string {
  const zh = locale !== 'en';
  const params = (leaf.params ?? {}) as { quantiles?: number; best?: string; cumulative?: boolean };
  const lowest = params.best === 'lowest';
  const v = fmt(leaf.value, locale);
  const where = [cut.asOf ?? '', zh ? `共 ${formatNumber(cut.population)} 名客户` : `${formatNumber(cut.population)} customers`];
  if (cut.groupBy !== undefined) where.push(`${label(cut.groupBy, locale)} ${fmt(cut.group, locale)}`);
  const context = zh ? `（${where.filter((x) => x !== '').join('，')}）` : ` (${where.filter((x) => x !== '').join(', ')})`;
  if (cut.value === null) {
    return zh
      ? `${name} ${fmt(leaf.factValue, locale)}：该条件无人达到${context}，条件不成立`
      : `${name} ${fmt(leaf.factValue, locale)}: nobody reaches this condition${context}, so it fails`;
  }
  const c = fmt(cut.value, locale);
  const cmp = leaf.result ? (lowest ? '≤' : '≥') : lowest ? '>' : '<';
  let what: string;
  switch (leaf.operator) {
    case 'topPercent':
      what = zh ? `前 ${v}% 的${name}门槛为 ${c}` : `the top ${v}% threshold for ${name} is ${c}`;
      break;
    case 'quantileAtLeast':
      what = zh
        ? `${name}第 ${v} 档（共 ${fmt(params.quantiles, locale)} 档）的下限为 ${c}`
        : `quantile ${v} of ${fmt(params.quantiles, locale)} for ${name} starts at ${c}`;
      break;
    default:
      what = params.cumulative
        ? zh
          ? `合计贡献${name}总额（${fmt(cut.total, locale)}）前 ${v}% 的客户门槛为 ${c}`
          : `the customers who together bring the first ${v}% of the total ${name} (${fmt(cut.total, locale)}) start at ${c}`
        : zh
          ? `${name}总额 ${fmt(cut.total, locale)} 的 ${v}% 为 ${c}`
          : `${v}% of the total ${name} (${fmt(cut.total, locale)}) is ${c}`;
  }
  return `${name} ${fmt(leaf.factValue, locale)} ${cmp} ${c}${zh ? '：' : ': '}${what}${context}`;
}

/** Why a condition came out as it did: the leaves that decided it. */
function describe(t: ConditionTrace, label: FactLabeller, locale: Locale, computed: Readonly<Record<string, ComputedFact>> = {}): string {
  const zh = locale !== 'en';
  switch (t.type) {
    case 'leaf':
      return leafText(t, label, locale, computed);
    case 'condition':
      // A named condition reads as what it checks: its name is the author's code name (platinumAssets), not a text for a customer or reviewer.
      return t.children.map((c) => describe(c, label, locale, computed)).join('');
    case 'not': {
      const inner = t.children.map((c) => describe(c, label, locale, computed)).join('');
      return zh ? `非（${inner}）` : `not (${inner})`;
    }
    case 'all':
    case 'any': {
      if (t.children.length === 0) return zh ? '（无条件）' : '(no conditions)';
      // all held / any failed: every child matters; all failed: the failing ones; any held: the holding ones
      const decisive =
        t.type === 'all' ? (t.result ? t.children : t.children.filter((c) => !c.result)) : t.result ? t.children.filter((c) => c.result) : t.children;
      const parts = decisive.map((c) => {
        const s = describe(c, label, locale, computed);
        const group = c.type === 'all' || c.type === 'any' || (c.type === 'condition' && c.children.some((k) => k.type === 'all' || k.type === 'any'));
        return group ? `(${s})` : s;
      });
      const joiner = t.result ? (t.type === 'all' ? (zh ? '，且 ' : ' and ') : zh ? '，或 ' : ' or ') : zh ? '；' : '; ';
      return parts.join(joiner);
    }
  }
}

/** A band as text: `≥ 1,000,000 且 < 3,000,000` / `≥ 1,000,000 and < 3,000,000`. */
export function bandText(band: StepBand, inclusive: 'min' | 'max' | undefined, locale: Locale): string {
  const byMin = inclusive !== 'max';
  const parts: string[] = [];
  if (band.min !== undefined) parts.push(`${byMin ? '≥' : '>'} ${formatNumber(band.min)}`);
  if (band.max !== undefined) parts.push(`${byMin ? '<' : '≤'} ${formatNumber(band.max)}`);
  const text = parts.join(locale === 'en' ? ' and ' : ' 且 ');
  return band.label !== undefined ? `${band.label}${locale === 'en' ? ': ' : '：'}${text}` : text;
}

function tierLabel(t: TierDefinition | undefined, key: string, locale: Locale): string {
  if (!t) return key;
  return locale === 'en' ? (t.nameEn ?? t.name) : t.name;
}

function scoreLine(st: ScoreTrace, def: PolicyDefinition, label: FactLabeller, locale: Locale): string {
  const zh = locale !== 'en';
  const card = (def.scores ?? []).find((s) => s.key === st.score);
  const name = card ? (zh ? card.label : (card.labelEn ?? card.label)) : st.score;
  const parts = st.components.map((c, j) => {
    const comp = card?.components[j];
    if (comp !== undefined && isStepComponent(comp)) {
      const l = zh ? c.label : label(c.fact ?? comp.fact, locale) === comp.fact ? c.label : label(comp.fact, locale);
      const w = comp.weight === undefined ? '' : ` × ${formatNumber(comp.weight)}`;
      if (c.missing) return zh ? `${l} 缺失（计 0）` : `${l} missing (counts 0)`;
      if (c.band === null || c.band === undefined)
        return zh ? `${l} ${fmt(c.factValue, locale)} 不在任何分段（计 0）` : `${l} ${fmt(c.factValue, locale)} in no band (counts 0)`;
      const band = comp.steps[c.band];
      return `${l} ${fmt(c.factValue, locale)}${zh ? '（' : ' ('}${bandText(band, comp.inclusive, locale)}${zh ? '）' : ')'} → ${formatNumber(band.points)}${w}`;
    }
    if (c.fact !== undefined) {
      const l = zh ? c.label : label(c.fact, locale) === c.fact ? c.label : label(c.fact, locale);
      if (c.missing) return zh ? `${l} 缺失（计 0）` : `${l} missing (counts 0)`;
      return `${l} ${fmt(c.factValue, locale)} × ${formatNumber(c.weight ?? 0)}`;
    }
    const held = c.contribution !== 0 || (c.condition?.result ?? false);
    return held ? `${c.label} ${formatNumber(c.points ?? c.contribution)}` : zh ? `${c.label} 0（条件未满足）` : `${c.label} 0 (condition not met)`;
  });
  let expr = parts.join(' + ');
  const applied = st.multipliers.filter((m) => m.applied);
  if (applied.length > 0) {
    expr = `${parts.length > 1 ? `(${expr})` : expr} ${applied.map((m) => `× ${formatNumber(m.factor)}${zh ? `（${m.label}）` : ` (${m.label})`}`).join(' ')}`;
  }
  let line = `${name} = ${expr} = ${formatNumber(st.value)}`;
  for (const m of st.multipliers.filter((x) => !x.applied)) {
    line += zh ? `；${m.label}未满足，不乘 ${formatNumber(m.factor)}` : `; ${m.label} not met, × ${formatNumber(m.factor)} not applied`;
  }
  return line;
}

/**
 * Explain an evaluation result line by line, from its trace. Labels come from the fact catalog
 * (labelEn for `en`, falling back to label) and from the definition (tier and score names).
 */
export function explain(result: EvaluationResult, definition: PolicyDefinition, facts: FactDefinition[], locale: Locale): string[] {
  const zh = locale !== 'en';
  const computed = definition.computed ?? {};
  const label = makeLabeller(facts, definition.scores, computed);
  const tierByKey = new Map(definition.tiers.map((t) => [t.key, t]));
  const lines: string[] = [];
  for (const entry of result.trace) {
    if (entry.kind === 'eligibility') {
      const why = describe(entry.condition, label, locale, computed);
      lines.push(
        entry.matched
          ? zh
            ? `符合评级条件：${why}`
            : `Eligible for rating: ${why}`
          : zh
            ? `不符合评级条件，不予评级：${why}`
            : `Not eligible for rating: ${why}`,
      );
    } else if (entry.kind === 'score') {
      lines.push(scoreLine(entry, definition, label, locale));
    } else {
      const name = tierLabel(tierByKey.get(entry.tier), entry.tier, locale);
      if (!entry.condition) {
        lines.push(
          entry.rank === 1 ? `→ ${name}` : zh ? `未满足以上等级的条件 → ${name}（默认等级）` : `No higher tier's conditions held → ${name} (default tier)`,
        );
      } else if (entry.matched) {
        lines.push(`${describe(entry.condition, label, locale, computed)} → ${name}`);
      } else {
        lines.push(
          zh ? `未达到${name}：${describe(entry.condition, label, locale, computed)}` : `Not ${name}: ${describe(entry.condition, label, locale, computed)}`,
        );
      }
    }
  }
  if (result.eligible && result.tier === null) lines.push(zh ? '未匹配任何等级，不予评级' : 'No tier matched: not rated');
  return lines;
}
