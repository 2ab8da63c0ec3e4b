/** The ladder: keys, names, packages, the default tier last, each tier's conditions. */
import { hasOwn, indexPath, isPlainObject, propPath } from '../keys';
import { describe, issue } from '../issues';
import { checkNote, checkUnknownProps, requireKey, requireString, type Ctx } from './context';
import { checkCondition } from './condition';

export function checkTiers(ctx: Ctx, tiers: unknown, packages: Set<string> | undefined): void {
  if (!Array.isArray(tiers)) {
    ctx.errors.push(
      issue('tiers', hasOwnTiers(tiers) ? 'invalid-type' : 'required', '"tiers" must be a non-empty array of tiers.', '"tiers" 必须是非空数组。'),
    );
    return;
  }
  if (tiers.length === 0) {
    ctx.errors.push(issue('tiers', 'required', 'A policy needs at least one tier.', '策略至少需要一个等级。'));
    return;
  }
  const seen = new Map<string, number>();
  tiers.forEach((tier, i) => {
    const path = indexPath('tiers', i);
    if (!isPlainObject(tier)) {
      ctx.errors.push(issue(path, 'invalid-type', `A tier must be an object, got ${describe(tier)}.`));
      return;
    }
    checkUnknownProps(ctx, tier, path, ['key', 'name', 'nameEn', 'description', 'benefitPackage', 'when', 'keepWhen', 'note']);
    checkNote(ctx, tier, path);
    const key = requireKey(ctx, tier, 'key', path);
    if (key !== undefined) {
      const prev = seen.get(key);
      if (prev !== undefined) {
        ctx.errors.push(
          issue(propPath(path, 'key'), 'duplicate-key', `Tier key "${key}" is already used by tiers[${prev}].`, `等级键 "${key}" 与 tiers[${prev}] 重复。`),
        );
      } else seen.set(key, i);
    }
    requireString(ctx, tier, 'name', path);
    requireString(ctx, tier, 'nameEn', path, true);
    if (hasOwn(tier, 'description') && typeof tier.description !== 'string') {
      ctx.errors.push(issue(propPath(path, 'description'), 'invalid-type', '"description" must be a string.'));
    }
    const pkg = requireKey(ctx, tier, 'benefitPackage', path, true);
    if (pkg !== undefined && packages !== undefined && !packages.has(pkg)) {
      ctx.errors.push(issue(propPath(path, 'benefitPackage'), 'unknown-benefit-package', `Unknown benefit package "${pkg}".`, `未知权益包 "${pkg}"。`));
    }
    if (!hasOwn(tier, 'when') || tier.when === undefined) {
      if (i !== tiers.length - 1) {
        ctx.errors.push(
          issue(
            path,
            'default-not-last',
            `Tier "${key ?? i}" has no "when", so it takes every customer; only the last tier may be the default.`,
            `等级 "${key ?? i}" 没有条件（默认等级），只能放在最后。`,
          ),
        );
      }
    } else {
      checkCondition(ctx, tier.when, ['tiers', i, 'when'], { kind: 'open' }, null);
    }
    if (hasOwn(tier, 'keepWhen')) checkCondition(ctx, tier.keepWhen, ['tiers', i, 'keepWhen'], { kind: 'open' }, null);
  });
}

function hasOwnTiers(v: unknown): boolean {
  return v !== undefined;
}
