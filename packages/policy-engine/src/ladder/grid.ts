/**
 * Two-dimensional grids (issue 13): a definition that declares `grid: { facts: [a, b] }` means each cell
 * of a × b (enum or boolean values × number bands between the thresholds the conditions use) to fall in
 * exactly one tier. The lint evaluates one representative customer per cell against each tier's own
 * condition (the compiled evaluator, so named conditions, `not` and every operator are exact) and warns
 * of cells no tier takes (`grid-uncovered`, when there is no default tier) and cells two tiers claim
 * (`grid-overlap`: the lower one never gets them).
 */
import { compileFast } from '../compile';
import { thresholdsByFact } from '../definition-walk';
import { hasPopulationConditions } from '../population';
import { formatNumber } from '../format';
import { issue } from '../issues';
import type { FactDefinition, Issue, PolicyDefinition } from '../types';
import type { LintCtx } from './boxes';

/** Most cells the lint looks at (beyond, it says nothing). */
export const MAX_GRID_CELLS = 400;

interface AxisPoint {
  value: unknown;
  text: { zh: string; en: string };
}

function axis(fact: FactDefinition, thresholds: number[]): AxisPoint[] | null {
  if (fact.type === 'enum') return (fact.enumValues ?? []).map((v) => ({ value: v, text: { zh: v, en: v } }));
  if (fact.type === 'boolean')
    return [
      { value: true, text: { zh: '是', en: 'yes' } },
      { value: false, text: { zh: '否', en: 'no' } },
    ];
  if (fact.type !== 'number' && fact.type !== 'integer') return null;
  const ts = [...new Set(thresholds)].sort((a, b) => a - b);
  if (ts.length === 0) return [{ value: 0, text: { zh: '任意值', en: 'any value' } }];
  const step = fact.type === 'integer' ? 1 : 0;
  const out: AxisPoint[] = [];
  const n = (x: number) => formatNumber(x);
  out.push({ value: ts[0] - 1, text: { zh: `< ${n(ts[0])}`, en: `< ${n(ts[0])}` } });
  ts.forEach((t, i) => {
    out.push({ value: t, text: { zh: `= ${n(t)}`, en: `= ${n(t)}` } });
    const next = ts[i + 1];
    if (next === undefined) out.push({ value: t + 1, text: { zh: `> ${n(t)}`, en: `> ${n(t)}` } });
    else if (next - t > step) out.push({ value: step ? t + 1 : (t + next) / 2, text: { zh: `${n(t)}–${n(next)}`, en: `${n(t)}–${n(next)}` } });
  });
  return out;
}

export function gridWarnings(definition: PolicyDefinition, facts: readonly FactDefinition[], ctx: LintCtx): Issue[] {
  const grid = definition.grid;
  // a grid over population conditions depends on the run's cut-offs: nothing to say without them
  if (grid === undefined || hasPopulationConditions(definition)) return [];
  const catalog = new Map(facts.map((f) => [f.key, f]));
  const [fa, fb] = grid.facts.map((k) => catalog.get(k));
  if (fa === undefined || fb === undefined) return [];
  const thresholds = thresholdsByFact(definition);
  const xs = axis(fa, thresholds.get(fa.key) ?? []);
  const ys = axis(fb, thresholds.get(fb.key) ?? []);
  if (xs === null || ys === null || xs.length * ys.length > MAX_GRID_CELLS) return [];
  const tiers = definition.tiers;
  const hasDefault = tiers.length > 0 && tiers[tiers.length - 1].when === undefined;
  // each tier's own condition, alone (the tiers above it do not take anyone away)
  const { lifecycle: _lifecycle, grid: _grid, ...rest } = definition;
  const holds = tiers.map((t) => {
    if (t.when === undefined) return null;
    const one = compileFast({ ...rest, tiers: [{ key: t.key, name: t.name, when: t.when }] }, [...facts]);
    return (input: Record<string, unknown>) => one(input).tierIndex === 0;
  });
  const out: Issue[] = [];
  const zhName = (i: number) => tiers[i].name;
  const enName = (i: number) => tiers[i].nameEn ?? tiers[i].name;
  for (const x of xs) {
    for (const y of ys) {
      const cell = { [fa.key]: x.value, [fb.key]: y.value };
      const matched = holds.flatMap((h, i) => (h !== null && h(cell) ? [i] : []));
      const zh = `${ctx.label(fa.key, 'zh-CN')} ${x.text.zh} × ${ctx.label(fb.key, 'zh-CN')} ${y.text.zh}`;
      const en = `${ctx.label(fa.key, 'en')} ${x.text.en} × ${ctx.label(fb.key, 'en')} ${y.text.en}`;
      if (matched.length === 0 && !hasDefault) {
        out.push(issue('grid', 'grid-uncovered', `The cell ${en} falls in no tier.`, `单元格 ${zh} 不属于任何等级。`));
      }
      for (const j of matched.slice(1)) {
        const i = matched[0];
        out.push(
          issue(
            `tiers[${j}].when`,
            'grid-overlap',
            `The cell ${en} is claimed by "${enName(i)}" and "${enName(j)}"; the first wins, so "${enName(j)}" never gets it.`,
            `单元格 ${zh} 同时属于"${zhName(i)}"和"${zhName(j)}"；先匹配者优先，"${zhName(j)}"不会得到它。`,
          ),
        );
      }
    }
  }
  return out;
}
