/**
 * validatePolicy: every problem in a definition, with its path, against a fact catalog.
 * Never throws. Size limits are checked first by an iterative walk, so a hostile definition
 * (deep, huge, cyclic object graph, long strings) is refused before anything recursive runs.
 */
import { checkLifecycle, lintLifecycle } from './lifecycle';
import { lintLadder } from './lint';
import { checkDefinitionNotes, checkRuleNote } from './notes';
import { FORBIDDEN_KEYS, hasOwn, indexPath, isPlainObject, isValidKey, propPath } from './keys';
import { getOperator, typeFamily } from './operators';
import type { FactDefinition, FactType, Issue, PolicyDefinition, ValidateOptions, ValidationLimits, ValidationResult } from './types';
import { conditionKindKeys, leafFacts, Site, walkCondition, type PathSegment } from './walk';

export const DEFAULT_VALIDATION_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  maxDepth: 32,
  maxNodes: 5000,
  maxStringLength: 1000,
  maxTiers: 200,
});

const KEY_RULE = 'must start with a letter and contain only letters, digits, "_" or "-" (at most 64 characters)';

type Scope =
  /** Eligibility, tiers and named conditions: every score may be used. */
  | { kind: 'open' }
  /** Inside scorecard `index`: only earlier scores may be used. */
  | { kind: 'score'; index: number; key: string };

interface Ctx {
  errors: Issue[];
  catalog: Map<string, FactDefinition>;
  scoreIndex: Map<string, number>;
  conditionNames: Set<string>;
  /** named condition → names it references directly */
  conditionRefs: Map<string, Set<string>>;
  /** named condition → score keys it uses directly */
  conditionScores: Map<string, Set<string>>;
  /** References made from inside scorecards, checked once the condition graph is known. */
  scoreConditionRefs: { name: string; scope: { index: number; key: string }; path: string }[];
}

function issue(path: string, code: string, message: string, messageZh?: string): Issue {
  return messageZh === undefined ? { path, code, message } : { path, code, message, messageZh };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Why an object or array is not plain JSON data (accessors, symbols, non-enumerable or extra
 * array properties, holes, exotic prototypes), or null. Such values could make what was validated
 * differ from what is later cloned and evaluated (e.g. an own "__proto__" on an array re-parents
 * the array when structuredClone copies it).
 */
function plainDataProblem(value: object, maxNodes: number): { code: string; message: string } | null {
  const keys = Reflect.ownKeys(value);
  if (keys.length > maxNodes + 1) {
    return { code: 'limit-nodes', message: `An object or array with ${keys.length} entries exceeds the limit of ${maxNodes} values (maxNodes).` };
  }
  if (Array.isArray(value)) {
    if (value.length > maxNodes) {
      return { code: 'limit-nodes', message: `Array of ${value.length} items exceeds the limit of ${maxNodes} values (maxNodes).` };
    }
    if (keys.length !== value.length + 1) return { code: 'not-json', message: 'An array must hold only its items (no holes, no extra properties).' };
    for (let i = 0; i < value.length; i++) {
      const d = Object.getOwnPropertyDescriptor(value, i);
      if (d === undefined || d.get !== undefined || d.set !== undefined) return { code: 'not-json', message: 'Array items must be plain values.' };
    }
    return null;
  }
  if (!isPlainObject(value)) return { code: 'not-json', message: 'Objects in a definition must be plain JSON objects.' };
  for (const k of keys) {
    if (typeof k === 'symbol') return { code: 'not-json', message: 'Objects in a definition must not have symbol keys.' };
    const d = Object.getOwnPropertyDescriptor(value, k);
    if (d === undefined || !d.enumerable || d.get !== undefined || d.set !== undefined) {
      return { code: 'not-json', message: `Property "${k}" must be a plain enumerable value (no getters or hidden properties).` };
    }
  }
  return null;
}

/** Limits and forbidden keys, iteratively. Returns limit errors (then nothing else is checked) and key errors. */
function walkLimits(root: unknown, limits: ValidationLimits): { limitErrors: Issue[]; keyErrors: Issue[] } {
  const limitErrors: Issue[] = [];
  const keyErrors: Issue[] = [];
  const seen = new Set<object>();
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  let nodes = 0;
  let depthReported = false;
  let stringReported = false;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    nodes++;
    if (nodes > limits.maxNodes) {
      limitErrors.push(
        issue(
          '',
          'limit-nodes',
          `The definition has more than ${limits.maxNodes} values (limit maxNodes).`,
          `定义中的值超过 ${limits.maxNodes} 个（上限 maxNodes）。`,
        ),
      );
      break;
    }
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength && !stringReported) {
        stringReported = true;
        limitErrors.push(
          issue(
            path,
            'limit-string',
            `String of ${value.length} characters exceeds the limit of ${limits.maxStringLength} (maxStringLength).`,
            `字符串长度 ${value.length} 超过上限 ${limits.maxStringLength}。`,
          ),
        );
      }
      continue;
    }
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      limitErrors.push(issue(path, 'not-json', `A definition must be plain JSON data; found a ${typeof value}.`, '策略定义必须是纯 JSON 数据。'));
      break;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) {
      if (!depthReported) {
        depthReported = true;
        limitErrors.push(
          issue(path, 'limit-depth', `Nesting deeper than ${limits.maxDepth} levels (limit maxDepth).`, `嵌套超过 ${limits.maxDepth} 层（上限 maxDepth）。`),
        );
      }
      continue;
    }
    if (seen.has(value)) {
      limitErrors.push(issue(path, 'not-json', 'The definition refers to itself (a cyclic object graph); it must be plain JSON data.'));
      break;
    }
    seen.add(value);
    const notJson = plainDataProblem(value, limits.maxNodes);
    if (notJson !== null) {
      limitErrors.push(issue(path, notJson.code, notJson.message, '策略定义必须是纯 JSON 数据。'));
      break;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: indexPath(path, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxNodes) {
      limitErrors.push(issue(path, 'limit-nodes', `Object with ${keys.length} keys exceeds the limit of ${limits.maxNodes} values (maxNodes).`));
      break;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      const childPath = propPath(path, k);
      if (k.length > limits.maxStringLength && !stringReported) {
        stringReported = true;
        limitErrors.push(issue(path, 'limit-string', `A key of ${k.length} characters exceeds the limit of ${limits.maxStringLength} (maxStringLength).`));
      }
      if (FORBIDDEN_KEYS.has(k)) {
        keyErrors.push(issue(childPath, 'forbidden-key', `The key "${k}" is not allowed anywhere in a definition.`, `定义中任何位置都不允许使用键 "${k}"。`));
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[k], path: childPath, depth: depth + 1 });
    }
  }
  return { limitErrors, keyErrors };
}

function checkUnknownProps(ctx: Ctx, obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (FORBIDDEN_KEYS.has(k) || allowed.includes(k)) continue;
    if (k === 'path') {
      ctx.errors.push(issue(propPath(path, k), 'unsupported-path', '"path" is not supported: catalog facts are flat values, compare them directly.'));
    } else {
      ctx.errors.push(issue(propPath(path, k), 'unknown-property', `Unknown property "${k}"; allowed here: ${allowed.join(', ')}.`, `未知属性 "${k}"。`));
    }
  }
}

function requireString(ctx: Ctx, obj: Record<string, unknown>, key: string, path: string, optional = false): string | undefined {
  const p = propPath(path, key);
  if (!hasOwn(obj, key) || obj[key] === undefined) {
    if (!optional) ctx.errors.push(issue(p, 'required', `"${key}" is required.`, `缺少必填项 "${key}"。`));
    return undefined;
  }
  const v = obj[key];
  if (typeof v !== 'string' || v.trim().length === 0) {
    ctx.errors.push(issue(p, 'invalid-type', `"${key}" must be a non-empty string, got ${describe(v)}.`));
    return undefined;
  }
  return v;
}

function requireKey(ctx: Ctx, obj: Record<string, unknown>, key: string, path: string, optional = false): string | undefined {
  const p = propPath(path, key);
  if (!hasOwn(obj, key) || obj[key] === undefined) {
    if (!optional) ctx.errors.push(issue(p, 'required', `"${key}" is required.`, `缺少必填项 "${key}"。`));
    return undefined;
  }
  const v = obj[key];
  if (!isValidKey(v)) {
    ctx.errors.push(issue(p, 'invalid-key', `"${key}" ${KEY_RULE}; got ${describe(v)}.`));
    return undefined;
  }
  return v;
}

function requireNumber(ctx: Ctx, obj: Record<string, unknown>, key: string, path: string): number | undefined {
  const p = propPath(path, key);
  if (!hasOwn(obj, key)) {
    ctx.errors.push(issue(p, 'required', `"${key}" is required.`, `缺少必填项 "${key}"。`));
    return undefined;
  }
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    ctx.errors.push(issue(p, 'invalid-type', `"${key}" must be a finite number, got ${describe(v)}.`));
    return undefined;
  }
  return v;
}

/** Resolve a fact used at `path` within `scope`: its type, or undefined (after reporting). */
function resolveFact(ctx: Ctx, name: unknown, path: string, scope: Scope): FactType | undefined {
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

function factDef(ctx: Ctx, name: string, type: FactType): FactDefinition {
  return ctx.catalog.get(name) ?? { key: name, label: name, type };
}

function checkLeaf(ctx: Ctx, node: Record<string, unknown>, path: string, scope: Scope): void {
  checkUnknownProps(ctx, node, path, ['fact', 'operator', 'value', 'params']);
  const factPath = propPath(path, 'fact');
  const opPath = propPath(path, 'operator');
  const valuePath = propPath(path, 'value');
  const type = resolveFact(ctx, node.fact, factPath, scope);
  if (hasOwn(node, 'params') && !isPlainObject(node.params)) {
    ctx.errors.push(issue(propPath(path, 'params'), 'invalid-type', '"params" must be an object.'));
  }
  const opName = node.operator;
  if (!hasOwn(node, 'operator')) {
    ctx.errors.push(issue(opPath, 'required', '"operator" is required.'));
  } else if (typeof opName !== 'string') {
    ctx.errors.push(issue(opPath, 'invalid-type', `"operator" must be a string, got ${describe(opName)}.`));
  }
  if (!hasOwn(node, 'value')) {
    ctx.errors.push(issue(valuePath, 'required', '"value" is required.', '缺少 "value"。'));
    return;
  }
  if (typeof opName !== 'string') return;
  const op = getOperator(opName);
  if (op === undefined) {
    ctx.errors.push(issue(opPath, 'unknown-operator', `Unknown operator "${opName}".`, `未知运算符 "${opName}"。`));
    return;
  }
  if (type === undefined) return;
  const factName = node.fact as string;
  if (!op.factTypes.includes(type)) {
    ctx.errors.push(
      issue(
        opPath,
        'operator-type-mismatch',
        `Operator "${opName}" does not fit fact "${factName}" of type ${type}; it applies to ${op.factTypes.join(', ')}.`,
        `运算符 "${opName}" 不适用于类型为 ${type} 的事实 "${factName}"。`,
      ),
    );
    return;
  }
  const value = node.value;
  if (isPlainObject(value) && hasOwn(value, 'fact')) {
    if (!op.allowFactValue) {
      ctx.errors.push(issue(valuePath, 'fact-reference-not-allowed', `Operator "${opName}" cannot compare with another fact; give a literal value.`));
      return;
    }
    checkUnknownProps(ctx, value, valuePath, ['fact', 'params']);
    if (hasOwn(value, 'params') && !isPlainObject(value.params)) {
      ctx.errors.push(issue(propPath(valuePath, 'params'), 'invalid-type', '"params" must be an object.'));
    }
    const otherType = resolveFact(ctx, value.fact, propPath(valuePath, 'fact'), scope);
    if (otherType !== undefined && typeFamily(otherType) !== typeFamily(type)) {
      ctx.errors.push(
        issue(
          propPath(valuePath, 'fact'),
          'incompatible-fact-comparison',
          `Fact "${factName}" (${type}) cannot be compared with fact "${String(value.fact)}" (${otherType}).`,
          `事实 "${factName}"（${type}）不能与事实 "${String(value.fact)}"（${otherType}）比较。`,
        ),
      );
    }
    return;
  }
  const fact = factDef(ctx, factName, type);
  const message = op.validateValue(value, fact);
  if (message !== null) {
    ctx.errors.push(issue(valuePath, 'invalid-value', `Value for "${factName}" ${opName}: ${message}; got ${describe(value)}.`, `"${factName}" 的取值无效。`));
    return;
  }
  if (fact.type === 'enum' && Array.isArray(fact.enumValues)) {
    const allowed = fact.enumValues;
    const values = Array.isArray(value) ? value : [value];
    values.forEach((v, i) => {
      if (!allowed.includes(v as string)) {
        ctx.errors.push(
          issue(
            Array.isArray(value) ? indexPath(valuePath, i) : valuePath,
            'not-in-enum',
            `"${String(v)}" is not a value of fact "${factName}"; allowed: ${allowed.join(', ')}.`,
            `"${String(v)}" 不是事实 "${factName}" 的可选值。`,
          ),
        );
      }
    });
  }
}

/** Check one condition tree rooted at `at` (e.g. `['tiers', 0, 'when']`); `owner` is the named condition it is, if any. */
function checkCondition(ctx: Ctx, root: unknown, at: PathSegment[], scope: Scope, owner: string | null): void {
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
function collectScoreUses(ctx: Ctx, node: unknown, out: Set<string>): void {
  walkCondition(node, {
    leaf: (leaf) => {
      for (const f of leafFacts(leaf)) if (ctx.scoreIndex.has(f)) out.add(f);
    },
  });
}

function checkConditionGraph(ctx: Ctx): void {
  // cycles: iterative DFS with colours
  const colour = new Map<string, 0 | 1 | 2>();
  const reported = new Set<string>();
  for (const start of ctx.conditionNames) {
    if (colour.get(start)) continue;
    const stack: { name: string; it: Iterator<string> }[] = [];
    const onPath: string[] = [];
    colour.set(start, 1);
    onPath.push(start);
    stack.push({ name: start, it: (ctx.conditionRefs.get(start) ?? new Set<string>()).values() });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const next = top.it.next();
      if (next.done) {
        colour.set(top.name, 2);
        stack.pop();
        onPath.pop();
        continue;
      }
      const n = next.value;
      const c = colour.get(n) ?? 0;
      if (c === 1) {
        const cycle = onPath.slice(onPath.indexOf(n)).concat(n);
        const id = [...cycle.slice(0, -1)].sort().join('|');
        if (!reported.has(id)) {
          reported.add(id);
          ctx.errors.push(
            issue(
              propPath('conditions', n),
              'condition-cycle',
              `Named conditions refer to each other in a cycle: ${cycle.join(' → ')}.`,
              `命名条件循环引用：${cycle.join(' → ')}。`,
            ),
          );
        }
      } else if (c === 0) {
        colour.set(n, 1);
        onPath.push(n);
        stack.push({ name: n, it: (ctx.conditionRefs.get(n) ?? new Set<string>()).values() });
      }
    }
  }
  // named conditions used from scorecards must not use that score or later ones (transitively)
  for (const ref of ctx.scoreConditionRefs) {
    const visited = new Set<string>();
    const todo = [ref.name];
    const used = new Set<string>();
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (visited.has(n)) continue;
      visited.add(n);
      for (const s of ctx.conditionScores.get(n) ?? []) used.add(s);
      for (const m of ctx.conditionRefs.get(n) ?? []) todo.push(m);
    }
    for (const s of used) {
      const idx = ctx.scoreIndex.get(s)!;
      if (idx >= ref.scope.index) {
        ctx.errors.push(
          issue(
            ref.path,
            'score-forward-reference',
            idx === ref.scope.index
              ? `Score "${ref.scope.key}" uses itself through named condition "${ref.name}".`
              : `Score "${ref.scope.key}" uses the later score "${s}" through named condition "${ref.name}".`,
          ),
        );
      }
    }
  }
}

function checkScores(ctx: Ctx, scores: unknown): void {
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

function checkTiers(ctx: Ctx, tiers: unknown, packages: Set<string> | undefined): void {
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

/** The rule note of a tier, score, component or multiplier, when it has one. */
function checkNote(ctx: Ctx, obj: Record<string, unknown>, path: string): void {
  if (hasOwn(obj, 'note')) ctx.errors.push(...checkRuleNote(obj.note, propPath(path, 'note')));
}

function hasOwnTiers(v: unknown): boolean {
  return v !== undefined;
}

function buildCatalog(facts: unknown): Map<string, FactDefinition> {
  const catalog = new Map<string, FactDefinition>();
  if (!Array.isArray(facts)) return catalog;
  for (const f of facts) {
    if (isPlainObject(f) && isValidKey(f.key) && typeof f.type === 'string') catalog.set(f.key, f as unknown as FactDefinition);
  }
  return catalog;
}

function validateInner(definition: unknown, facts: unknown, options: ValidateOptions): ValidationResult {
  const limits: ValidationLimits = {
    maxDepth: options.maxDepth ?? DEFAULT_VALIDATION_LIMITS.maxDepth,
    maxNodes: options.maxNodes ?? DEFAULT_VALIDATION_LIMITS.maxNodes,
    maxStringLength: options.maxStringLength ?? DEFAULT_VALIDATION_LIMITS.maxStringLength,
    maxTiers: options.maxTiers ?? DEFAULT_VALIDATION_LIMITS.maxTiers,
  };
  const { limitErrors, keyErrors } = walkLimits(definition, limits);
  if (limitErrors.length > 0) return { valid: false, errors: [...limitErrors, ...keyErrors], warnings: [] };

  const ctx: Ctx = {
    errors: keyErrors,
    catalog: buildCatalog(facts),
    scoreIndex: new Map(),
    conditionNames: new Set(),
    conditionRefs: new Map(),
    conditionScores: new Map(),
    scoreConditionRefs: [],
  };
  if (!isPlainObject(definition)) {
    ctx.errors.push(issue('', 'invalid-type', `A policy definition must be an object, got ${describe(definition)}.`, '策略定义必须是对象。'));
    return { valid: false, errors: ctx.errors, warnings: [] };
  }
  const def = definition;
  if (Array.isArray(def.tiers) && def.tiers.length > limits.maxTiers) {
    ctx.errors.push(
      issue(
        'tiers',
        'limit-tiers',
        `${def.tiers.length} tiers exceed the limit of ${limits.maxTiers} (maxTiers).`,
        `等级数 ${def.tiers.length} 超过上限 ${limits.maxTiers}。`,
      ),
    );
    return { valid: false, errors: ctx.errors, warnings: [] };
  }
  checkUnknownProps(ctx, def, '', ['schemaVersion', 'eligibility', 'conditions', 'scores', 'tiers', 'lifecycle', 'notes']);
  if (!hasOwn(def, 'schemaVersion')) {
    ctx.errors.push(issue('schemaVersion', 'required', '"schemaVersion" is required (1).', '缺少 "schemaVersion"。'));
  } else if (def.schemaVersion !== 1) {
    ctx.errors.push(issue('schemaVersion', 'invalid-value', `Unsupported schemaVersion ${describe(def.schemaVersion)}; expected 1.`));
  }

  // scores first: their keys are facts for everything else
  if (Array.isArray(def.scores)) {
    def.scores.forEach((s, i) => {
      if (!isPlainObject(s)) return;
      const key = requireKey(ctx, s, 'key', indexPath('scores', i));
      if (key === undefined) return;
      if (ctx.scoreIndex.has(key)) {
        ctx.errors.push(
          issue(
            propPath(indexPath('scores', i), 'key'),
            'duplicate-key',
            `Score key "${key}" is already used by scores[${ctx.scoreIndex.get(key)}].`,
            `评分键 "${key}" 重复。`,
          ),
        );
      } else if (ctx.catalog.has(key)) {
        ctx.errors.push(
          issue(
            propPath(indexPath('scores', i), 'key'),
            'score-shadows-fact',
            `Score key "${key}" is also a fact in the catalog; give the score its own key.`,
            `评分键 "${key}" 与事实目录中的事实同名。`,
          ),
        );
      } else ctx.scoreIndex.set(key, i);
    });
  }
  // named conditions: names first, so references can be resolved in any order
  let named: Record<string, unknown> | undefined;
  if (hasOwn(def, 'conditions')) {
    if (!isPlainObject(def.conditions)) {
      ctx.errors.push(issue('conditions', 'invalid-type', `"conditions" must be an object of named conditions, got ${describe(def.conditions)}.`));
    } else {
      named = def.conditions;
      for (const name of Object.keys(named)) {
        if (FORBIDDEN_KEYS.has(name)) continue;
        if (!isValidKey(name)) {
          ctx.errors.push(issue(propPath('conditions', name), 'invalid-key', `Condition name "${name}" ${KEY_RULE}.`));
          continue;
        }
        ctx.conditionNames.add(name);
        ctx.conditionRefs.set(name, new Set());
      }
    }
  }
  if (named !== undefined) {
    for (const name of ctx.conditionNames) {
      checkCondition(ctx, named[name], ['conditions', name], { kind: 'open' }, name);
      const uses = new Set<string>();
      collectScoreUses(ctx, named[name], uses);
      ctx.conditionScores.set(name, uses);
    }
  }
  if (hasOwn(def, 'eligibility')) checkCondition(ctx, def.eligibility, ['eligibility'], { kind: 'open' }, null);
  if (hasOwn(def, 'scores')) checkScores(ctx, def.scores);
  const packages = Array.isArray(options.packages) ? new Set(options.packages) : undefined;
  checkTiers(ctx, def.tiers, packages);
  checkConditionGraph(ctx);
  if (hasOwn(def, 'notes')) ctx.errors.push(...checkDefinitionNotes(def.notes, ctx.conditionNames, hasOwn(def, 'eligibility')));
  if (hasOwn(def, 'lifecycle')) ctx.errors.push(...checkLifecycle(def.lifecycle));

  if (ctx.errors.length > 0) return { valid: false, errors: ctx.errors, warnings: [] };
  const catalogFacts = [...ctx.catalog.values()];
  const checked = def as unknown as PolicyDefinition;
  return { valid: true, errors: [], warnings: [...lintLadder(checked, catalogFacts), ...lintLifecycle(checked)] };
}

/**
 * Validate a policy definition against the fact catalog. Never throws; returns every problem
 * with its path (relative to the definition; "" for the root), a code and an English message
 * (and `messageZh`). `warnings` are the ladder lint (only computed when there are no errors).
 */
export function validatePolicy(definition: unknown, facts: FactDefinition[], options: ValidateOptions = {}): ValidationResult {
  try {
    return validateInner(definition, facts, options ?? {});
  } catch (e) {
    return {
      valid: false,
      errors: [issue('', 'internal-error', `Validation failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`)],
      warnings: [],
    };
  }
}
