/**
 * Ladder lint: warnings about tier ladders, from interval reasoning per fact. The model is in
 * `ladder/boxes.ts`; each check in its own file under `ladder/`.
 *
 * Each tier's condition is turned into a disjunction of "boxes" (a conjunction of intervals, one
 * per number fact). Leaves the lint cannot reason about (other operators, `{fact}` comparisons,
 * `not`) make their box "opaque": an opaque box is never used to prove that a higher tier covers
 * a lower one, and ladders with opaque parts get no gap warnings. So every warning is a real
 * property of the rules, never a guess.
 */
import { formatNumber, makeLabeller } from './format';
import { issue } from './issues';
import { isStepComponent } from './scoring';
import { Site } from './walk';
import type { FactDefinition, Issue, PolicyDefinition } from './types';
import { dnf, opaqueBox, type LintCtx, type NumericKind, type TierBoxes } from './ladder/boxes';
import { gapWarnings } from './ladder/gaps';
import { gridWarnings } from './ladder/grid';
import { shadowWarnings } from './ladder/shadowed';
import { thresholdWarnings } from './ladder/thresholds';

/**
 * Warnings about a tier ladder: `shadowed-tier` (a tier that can never match because higher tiers
 * take all its customers), `unsatisfiable-tier` (contradictory conditions), `out-of-order`
 * (thresholds that do not fall, or rise, down the ladder), `gap` (customers in no tier, or falling
 * between two tiers to the default), `inconsistent-boundary` (≥ in one tier, > in the next).
 * Never throws on a validated definition.
 */
export function lintLadder(definition: PolicyDefinition, facts: FactDefinition[]): Issue[] {
  try {
    return lintInner(definition, facts);
  } catch {
    // only reachable on a definition that did not pass validatePolicy
    return [{ path: '', code: 'lint-incomplete', message: 'The ladder lint could not analyse this definition; validate it first.' }];
  }
}

/** `step-gap`: values between two bands of a step table fall in no band and earn 0 points. */
function stepGapWarnings(definition: PolicyDefinition): Issue[] {
  const out: Issue[] = [];
  (definition.scores ?? []).forEach((s, i) =>
    s.components.forEach((c, j) => {
      if (!isStepComponent(c)) return;
      c.steps.forEach((band, k) => {
        const before = c.steps[k - 1];
        if (k === 0 || before.max === undefined || band.min === undefined || band.min <= before.max) return;
        const from = formatNumber(before.max);
        const to = formatNumber(band.min);
        out.push(
          issue(
            Site.at(['scores', i, 'components', j, 'steps', k, 'min']).path,
            'step-gap',
            `Values from ${from} to ${to} fall in no band of "${c.label}" and earn 0 points.`,
            `${from} 到 ${to} 之间的值不在"${c.label}"的任何分段内，计 0 分。`,
          ),
        );
      });
    }),
  );
  return out;
}

function lintInner(definition: PolicyDefinition, facts: FactDefinition[]): Issue[] {
  const numeric = new Map<string, NumericKind>();
  for (const f of facts) if (f.type === 'number' || f.type === 'integer') numeric.set(f.key, f.type);
  for (const s of definition.scores ?? []) numeric.set(s.key, 'number');
  for (const k of Object.keys(definition.computed ?? {})) numeric.set(k, 'number');
  const ctx: LintCtx = { numeric, named: definition.conditions ?? {}, label: makeLabeller(facts, definition.scores, definition.computed) };
  const warnings: Issue[] = stepGapWarnings(definition);
  const tiers = definition.tiers ?? [];
  const hasDefault = tiers.length > 0 && tiers[tiers.length - 1].when === undefined;
  const defaultTier = hasDefault ? tiers[tiers.length - 1] : undefined;

  const analysed: TierBoxes[] = [];
  tiers.forEach((t, index) => {
    if (!t.when) return;
    const boxes = dnf(t.when, ctx);
    analysed.push({ index, key: t.key, name: t.name, boxes: boxes ?? [opaqueBox([])], unknown: boxes === null });
  });

  warnings.push(...gridWarnings(definition, facts, ctx));
  const shadow = shadowWarnings(analysed, ctx);
  warnings.push(...shadow.warnings);
  if (!shadow.complete) return warnings;
  warnings.push(...thresholdWarnings(analysed, ctx));
  warnings.push(...gapWarnings(definition, analysed, ctx, hasDefault, defaultTier?.key, defaultTier?.name));
  return warnings;
}
