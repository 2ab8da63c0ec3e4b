/** Scorecards: components (weighted or points), multipliers, rounding. */
import { hasOwn, indexPath, isPlainObject, propPath } from '../keys';
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
        if (hasOwn(comp, 'fact')) {
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
            issue(cp, 'invalid-component', 'A component is either {label, fact, weight} (fact × weight) or {label, points, when} (points when it holds).'),
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
