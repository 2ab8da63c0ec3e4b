/** A condition tree's shape (all / any / not / references / leaves), through the engine's walker. */
import { isPlainObject, isValidKey, propPath } from '../keys';
import { conditionKindKeys, leafFacts, Site, walkCondition, type PathSegment } from '../walk';
import { describe, issue } from '../issues';
import { checkUnknownProps, type Ctx, type Scope } from './context';
import { checkLeaf } from './leaf';

/** Check one condition tree rooted at `at` (e.g. `['tiers', 0, 'when']`); `owner` is the named condition it is, if any. */
export function checkCondition(ctx: Ctx, root: unknown, at: PathSegment[], scope: Scope, owner: string | null): void {
  walkCondition(
    root,
    {
      invalid: (node, site) => {
        if (!isPlainObject(node)) {
          ctx.errors.push(issue(site.path, 'invalid-type', `A condition must be an object, got ${describe(node)}.`, '条件必须是对象。'));
          return;
        }
        const kinds = conditionKindKeys(node);
        ctx.errors.push(
          issue(
            site.path,
            'invalid-condition',
            kinds.length === 0
              ? 'A condition needs exactly one of "all", "any", "not", "condition" or a leaf ("fact", "operator", "value").'
              : `A condition must have only one of ${kinds.map((k) => `"${k}"`).join(', ')}.`,
            '条件格式无效。',
          ),
        );
      },
      leaf: (leaf, site) => {
        if (site.depth === 0) {
          ctx.errors.push(
            issue(
              site.path,
              'invalid-top-level',
              'At the top a condition must be "all", "any", "not" or a named "condition"; wrap this leaf in {"all": [...]}.',
              '顶层条件必须是 all / any / not / condition。',
            ),
          );
        }
        checkLeaf(ctx, leaf as unknown as Record<string, unknown>, site.path, scope);
      },
      group: (group, kind, site) => {
        const node = group as unknown as Record<string, unknown>;
        checkUnknownProps(ctx, node, site.path, [kind]);
        const child = node[kind];
        const childPath = propPath(site.path, kind);
        if (!Array.isArray(child)) {
          ctx.errors.push(issue(childPath, 'invalid-type', `"${kind}" must be an array of conditions, got ${describe(child)}.`));
          return false;
        }
        if (kind === 'any' && child.length === 0) {
          ctx.errors.push(
            issue(
              childPath,
              'empty-group',
              '"any" needs at least one condition (json-rules-engine treats an empty "any" as true).',
              '"any" 至少需要一个条件。',
            ),
          );
        }
      },
      not: (not, site) => {
        const node = not as unknown as Record<string, unknown>;
        checkUnknownProps(ctx, node, site.path, ['not']);
        if (Array.isArray(node.not)) {
          ctx.errors.push(issue(propPath(site.path, 'not'), 'invalid-type', '"not" takes one condition, not an array.'));
          return false;
        }
      },
      reference: (ref, site) => {
        const node = ref as unknown as Record<string, unknown>;
        checkUnknownProps(ctx, node, site.path, ['condition']);
        const childPath = propPath(site.path, 'condition');
        const name = node.condition;
        if (!isValidKey(name)) {
          ctx.errors.push(issue(childPath, 'invalid-key', `"condition" must name a condition; got ${describe(name)}.`));
          return;
        }
        if (!ctx.conditionNames.has(name)) {
          ctx.errors.push(issue(childPath, 'unknown-condition', `Unknown named condition "${name}".`, `未知的命名条件 "${name}"。`));
          return;
        }
        if (owner !== null) ctx.conditionRefs.get(owner)?.add(name);
        if (scope.kind === 'score') ctx.scoreConditionRefs.push({ name, scope, path: childPath });
      },
    },
    { at: Site.at(at) },
  );
}

/** Score keys used directly by a condition tree (to check named conditions used from scorecards). */
export function collectScoreUses(ctx: Ctx, node: unknown, out: Set<string>): void {
  walkCondition(node, {
    leaf: (leaf) => {
      for (const f of leafFacts(leaf)) if (ctx.scoreIndex.has(f)) out.add(f);
    },
  });
}
