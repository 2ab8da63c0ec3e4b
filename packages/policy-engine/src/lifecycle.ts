/**
 * Lifecycle rules of a definition (contract §8): `lifecycle.downgradeGraceRuns`,
 * `lifecycle.maxDowngradeSteps` and a tier's `keepWhen` (a weaker condition to stay in the tier).
 * Their shape is checked by `validatePolicy` (keepWhen like any condition); this file adds the
 * type checks of `lifecycle` and the lint: a `keepWhen` that is not weaker than its tier's `when`.
 */
import { issue } from './issues';
import { isPlainObject } from './keys';
import type { Issue, LeafCondition, PolicyDefinition, TopLevelCondition } from './types';
import { walkCondition } from './walk';

/** Errors of `lifecycle`: an object of whole numbers in range, nothing else. */
export function checkLifecycle(value: unknown): Issue[] {
  if (!isPlainObject(value)) return [issue('lifecycle', 'invalid-type', '"lifecycle" must be an object.', '"lifecycle" 必须是对象。')];
  const out: Issue[] = [];
  for (const k of Object.keys(value)) {
    if (k !== 'downgradeGraceRuns' && k !== 'maxDowngradeSteps')
      out.push(issue(`lifecycle.${k}`, 'unknown-property', `Unknown property "${k}" (downgradeGraceRuns, maxDowngradeSteps).`, `未知属性 "${k}"。`));
  }
  const whole = (k: string, min: number, max: number) => {
    const v = value[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      out.push(issue(`lifecycle.${k}`, 'invalid-value', `"${k}" must be a whole number from ${min} to ${max}.`, `"${k}" 必须是 ${min} 到 ${max} 之间的整数。`));
  };
  whole('downgradeGraceRuns', 0, 24);
  whole('maxDowngradeSteps', 1, 20);
  return out;
}

const LOWER: Record<string, true> = { greaterThan: true, greaterThanInclusive: true };

/**
 * The numeric lower bound a condition puts on each fact: the smallest `≥ / >` threshold of its
 * leaves on that fact under all / any groups and named conditions (not under `not`). A heuristic.
 */
function lowerBounds(c: TopLevelCondition, named: PolicyDefinition['conditions']): Map<string, number> {
  const out = new Map<string, number>();
  walkCondition(
    c,
    {
      not: () => false,
      leaf: (leaf: LeafCondition) => {
        if (LOWER[leaf.operator] && typeof leaf.value === 'number' && leaf.path === undefined)
          out.set(leaf.fact, Math.min(out.get(leaf.fact) ?? Infinity, leaf.value));
      },
    },
    { named: named ?? {} },
  );
  return out;
}

/**
 * Warnings: a tier's `keepWhen` that is the same as its `when` (it keeps nobody), or that asks more
 * of a fact than `when` does (stricter, not weaker: a customer who qualifies could still not stay);
 * `keepWhen` on a tier without `when` (the default tier keeps everyone anyway). A heuristic on
 * numeric lower bounds; it never blocks publishing.
 */
export function lintLifecycle(def: PolicyDefinition): Issue[] {
  const out: Issue[] = [];
  def.tiers.forEach((t, i) => {
    if (!t.keepWhen) return;
    const at = `tiers[${i}].keepWhen`;
    if (!t.when) {
      out.push(
        issue(
          at,
          'keep-when-on-default',
          `Tier "${t.key}" takes every customer; its keepWhen changes nothing.`,
          `等级 "${t.key}" 是默认等级，保级条件不起作用。`,
        ),
      );
      return;
    }
    if (JSON.stringify(t.keepWhen) === JSON.stringify(t.when)) {
      out.push(
        issue(
          at,
          'keep-when-not-weaker',
          `Tier "${t.key}": keepWhen is the same as when, so it keeps nobody who would not qualify anyway.`,
          `等级 "${t.key}" 的保级条件与升级条件相同，不会多留住任何客户。`,
        ),
      );
      return;
    }
    const qualify = lowerBounds(t.when, def.conditions);
    for (const [fact, keep] of lowerBounds(t.keepWhen, def.conditions)) {
      const need = qualify.get(fact);
      if (need !== undefined && keep > need)
        out.push(
          issue(
            at,
            'keep-when-not-weaker',
            `Tier "${t.key}": keepWhen asks ${fact} ≥ ${keep}, more than when (${need}); keepWhen should be weaker than when.`,
            `等级 "${t.key}" 的保级条件要求 ${fact} ≥ ${keep}，高于升级条件（${need}）；保级条件应更宽松。`,
          ),
        );
    }
  });
  return out;
}
