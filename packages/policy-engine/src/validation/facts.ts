/** The fact catalog as validation sees it, and the type of a fact (or score) a rule uses. */
import { isPlainObject, isValidKey } from '../keys';
import type { FactDefinition, FactType } from '../types';
import { describe, issue } from '../issues';
import { type Ctx, type Scope } from './context';

/** Resolve a fact used at `path` within `scope`: its type, or undefined (after reporting). */
export function resolveFact(ctx: Ctx, name: unknown, path: string, scope: Scope): FactType | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    ctx.errors.push(issue(path, 'invalid-type', `"fact" must be a fact key, got ${describe(name)}.`));
    return undefined;
  }
  const scoreIdx = ctx.scoreIndex.get(name);
  if (scoreIdx !== undefined) {
    if (scope.kind === 'score' && scoreIdx >= scope.index) {
      ctx.errors.push(
        issue(
          path,
          'score-forward-reference',
          scoreIdx === scope.index
            ? `Score "${scope.key}" uses itself; a score may only use earlier scores.`
            : `Score "${scope.key}" uses score "${name}", which is computed later; a score may only use earlier scores.`,
          scoreIdx === scope.index ? `评分 "${scope.key}" 引用了自身。` : `评分 "${scope.key}" 引用了其后计算的评分 "${name}"。`,
        ),
      );
      return undefined;
    }
    return 'number';
  }
  if (ctx.computed.has(name)) return 'number';
  const fact = ctx.catalog.get(name);
  if (fact === undefined) {
    ctx.errors.push(
      issue(
        path,
        'unknown-fact',
        `Unknown fact "${name}": it is neither in the fact catalog nor a score key.`,
        `未知事实 "${name}"：既不在事实目录中，也不是评分键。`,
      ),
    );
    return undefined;
  }
  return fact.type;
}

/** The unit of a fact or computed fact (`''` unitless), or undefined for a score or an unknown name. */
export function unitOf(ctx: Ctx, name: string): string | undefined {
  if (ctx.computed.has(name)) return ctx.computed.get(name)?.unit;
  const f = ctx.catalog.get(name);
  return f === undefined || ctx.scoreIndex.has(name) ? undefined : (f.unit ?? '');
}

export function factDef(ctx: Ctx, name: string, type: FactType): FactDefinition {
  return ctx.catalog.get(name) ?? { key: name, label: name, type };
}

export function buildCatalog(facts: unknown): Map<string, FactDefinition> {
  const catalog = new Map<string, FactDefinition>();
  if (!Array.isArray(facts)) return catalog;
  for (const f of facts) {
    if (isPlainObject(f) && isValidKey(f.key) && typeof f.type === 'string') catalog.set(f.key, f as unknown as FactDefinition);
  }
  return catalog;
}
