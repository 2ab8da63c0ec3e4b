/** Scorecards: components (weighted or points), multipliers, rounding. */
import { hasOwn, indexPath, isPlainObject, propPath } from '../keys';
import { formatNumber } from '../format';
import { describe, issue } from '../issues';
import { checkNote, checkUnknownProps, requireNumber, requireString, type Ctx, type Scope } from './context';
import { checkCondition } from './condition';
import { resolveFact } from './facts';

export function checkScores(ctx: Ctx, scores: unknown): void {
  if (!Array.isArray(scores)) {
    ctx.errors.push(issue('scores', 'invalid-type', `"scores" must be an array, got ${describe(scores)}.`));
    return;
  }
  scores.forEach((score, i) => {
    const path = indexPath('scores', i);
    if (!isPlainObject(score)) {
      ctx.errors.push(issue(path, 'invalid-type', `A scorecard must be an object, got ${describe(score)}.`));
      return;
    }
    checkUnknownProps(ctx, score, path, ['key', 'label', 'labelEn', 'components', 'multipliers', 'round', 'note']);
    checkNote(ctx, score, path);
    const key = typeof score.key === 'string' ? score.key : `#${i}`;
    requireString(ctx, score, 'label', path);
    requireString(ctx, score, 'labelEn', path, true);
    const scope: Scope = { kind: 'score', index: i, key };
    const comps = score.components;
    const compPath = propPath(path, 'components');
    if (!Array.isArray(comps) || comps.length === 0) {
      ctx.errors.push(issue(compPath, hasOwn(score, 'components') ? 'invalid-type' : 'required', '"components" must be a non-empty array of components.'));
    } else {
      comps.forEach((comp, j) => {
        const cp = indexPath(compPath, j);
        if (!isPlainObject(comp)) {
          ctx.errors.push(issue(cp, 'invalid-type', `A component must be an object, got ${describe(comp)}.`));
          return;
        }
        requireString(ctx, comp, 'label', cp);
        checkNote(ctx, comp, cp);
        if (hasOwn(comp, 'steps')) {
          checkUnknownProps(ctx, comp, cp, ['label', 'fact', 'steps', 'inclusive', 'weight', 'note']);
          const t = resolveFact(ctx, comp.fact, propPath(cp, 'fact'), scope);
          if (t !== undefined && t !== 'number' && t !== 'integer') {
            ctx.errors.push(
              issue(
                propPath(cp, 'fact'),
                'operator-type-mismatch',
                `A step table needs a number fact; "${String(comp.fact)}" is ${t}.`,
                `分段计分需要数值事实；"${String(comp.fact)}" 的类型为 ${t}。`,
              ),
            );
          }
          if (hasOwn(comp, 'weight')) requireNumber(ctx, comp, 'weight', cp);
          if (hasOwn(comp, 'inclusive') && comp.inclusive !== 'min' && comp.inclusive !== 'max') {
            ctx.errors.push(
              issue(
                propPath(cp, 'inclusive'),
                'invalid-value',
                `"inclusive" must be "min" or "max", got ${describe(comp.inclusive)}.`,
                '"inclusive" 必须是 "min" 或 "max"。',
              ),
            );
          }
          checkSteps(ctx, comp.steps, propPath(cp, 'steps'));
        } else if (hasOwn(comp, 'fact')) {
          checkUnknownProps(ctx, comp, cp, ['label', 'fact', 'weight', 'note']);
          const t = resolveFact(ctx, comp.fact, propPath(cp, 'fact'), scope);
          if (t !== undefined && t !== 'number' && t !== 'integer') {
            ctx.errors.push(issue(propPath(cp, 'fact'), 'operator-type-mismatch', `A weighted component needs a number fact; "${String(comp.fact)}" is ${t}.`));
          }
          requireNumber(ctx, comp, 'weight', cp);
        } else if (hasOwn(comp, 'points')) {
          checkUnknownProps(ctx, comp, cp, ['label', 'points', 'when', 'note']);
          requireNumber(ctx, comp, 'points', cp);
          if (!hasOwn(comp, 'when')) ctx.errors.push(issue(propPath(cp, 'when'), 'required', 'A points component needs "when".'));
          else checkCondition(ctx, comp.when, ['scores', i, 'components', j, 'when'], scope, null);
        } else {
          ctx.errors.push(
            issue(
              cp,
              'invalid-component',
              'A component is {label, fact, weight} (fact × weight), {label, points, when} (points when it holds) or {label, fact, steps} (a step table).',
              '评分项必须是 {label, fact, weight}、{label, points, when} 或 {label, fact, steps} 之一。',
            ),
          );
        }
      });
    }
    if (hasOwn(score, 'multipliers')) {
      const mults = score.multipliers;
      const mp = propPath(path, 'multipliers');
      if (!Array.isArray(mults)) {
        ctx.errors.push(issue(mp, 'invalid-type', '"multipliers" must be an array.'));
      } else {
        mults.forEach((m, j) => {
          const p = indexPath(mp, j);
          if (!isPlainObject(m)) {
            ctx.errors.push(issue(p, 'invalid-type', `A multiplier must be an object, got ${describe(m)}.`));
            return;
          }
          checkUnknownProps(ctx, m, p, ['label', 'factor', 'when', 'note']);
          checkNote(ctx, m, p);
          requireString(ctx, m, 'label', p);
          requireNumber(ctx, m, 'factor', p);
          if (!hasOwn(m, 'when')) ctx.errors.push(issue(propPath(p, 'when'), 'required', 'A multiplier needs "when".'));
          else checkCondition(ctx, m.when, ['scores', i, 'multipliers', j, 'when'], scope, null);
        });
      }
    }
    if (hasOwn(score, 'round')) {
      const r = score.round;
      if (!Number.isInteger(r) || (r as number) < 0 || (r as number) > 10) {
        ctx.errors.push(issue(propPath(path, 'round'), 'invalid-value', `"round" must be a whole number from 0 to 10, got ${describe(r)}.`));
      }
    }
  });
}

const fmtN = (n: number): string => formatNumber(n);

/**
 * A step table's bands: a non-empty list of {min?, max?, points, label?}, each min < max, ascending and
 * non-overlapping (a band starts at or after the end of the one before it); only the first band may be
 * open below and only the last open above.
 */
function checkSteps(ctx: Ctx, steps: unknown, path: string): void {
  if (!Array.isArray(steps) || steps.length === 0) {
    ctx.errors.push(
      issue(
        path,
        steps === undefined ? 'required' : 'invalid-type',
        '"steps" must be a non-empty list of bands {min?, max?, points}.',
        '"steps" 必须是非空的分段列表。',
      ),
    );
    return;
  }
  let prev: { min?: number; max?: number } | undefined;
  steps.forEach((band, k) => {
    const bp = indexPath(path, k);
    if (!isPlainObject(band)) {
      ctx.errors.push(issue(bp, 'invalid-type', `A band must be an object {min?, max?, points}, got ${describe(band)}.`, '分段必须是对象。'));
      prev = undefined;
      return;
    }
    checkUnknownProps(ctx, band, bp, ['min', 'max', 'points', 'label']);
    requireNumber(ctx, band, 'points', bp);
    if (hasOwn(band, 'label')) requireString(ctx, band, 'label', bp);
    const min = hasOwn(band, 'min') ? requireNumber(ctx, band, 'min', bp) : undefined;
    const max = hasOwn(band, 'max') ? requireNumber(ctx, band, 'max', bp) : undefined;
    if ((hasOwn(band, 'min') && min === undefined) || (hasOwn(band, 'max') && max === undefined)) {
      prev = undefined;
      return;
    }
    if (min === undefined && k > 0) {
      ctx.errors.push(
        issue(propPath(bp, 'min'), 'required', 'Only the first band may be open below; give "min".', '只有第一个分段可以没有下限，请填写 "min"。'),
      );
    }
    if (max === undefined && k < steps.length - 1) {
      ctx.errors.push(
        issue(propPath(bp, 'max'), 'required', 'Only the last band may be open above; give "max".', '只有最后一个分段可以没有上限，请填写 "max"。'),
      );
    }
    if (min !== undefined && max !== undefined && !(min < max)) {
      ctx.errors.push(
        issue(
          propPath(bp, 'max'),
          'invalid-value',
          `A band's "max" (${fmtN(max)}) must be above its "min" (${fmtN(min)}).`,
          `分段上限 ${fmtN(max)} 必须大于下限 ${fmtN(min)}。`,
        ),
      );
    }
    if (prev !== undefined && min !== undefined && prev.max !== undefined && min < prev.max) {
      const unordered = prev.min !== undefined ? min < prev.min : false;
      ctx.errors.push(
        unordered
          ? issue(
              propPath(bp, 'min'),
              'steps-not-ordered',
              `Bands must ascend: this band starts at ${fmtN(min)}, below the band before it (${fmtN(prev.min!)}).`,
              `分段必须从低到高排列：此分段从 ${fmtN(min)} 开始，低于前一分段（${fmtN(prev.min!)}）。`,
            )
          : issue(
              propPath(bp, 'min'),
              'steps-overlap',
              `Bands overlap: this band starts at ${fmtN(min)}, before the band before it ends (${fmtN(prev.max)}).`,
              `分段重叠：此分段从 ${fmtN(min)} 开始，前一分段到 ${fmtN(prev.max)} 才结束。`,
            ),
      );
    }
    prev = { min, max };
  });
}
