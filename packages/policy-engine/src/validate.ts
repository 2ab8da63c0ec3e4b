/**
 * validatePolicy: every problem in a definition, with its path, against a fact catalog.
 * Never throws. Size limits are checked first by an iterative walk, so a hostile definition
 * (deep, huge, cyclic object graph, long strings) is refused before anything recursive runs.
 * Each check lives in `validation/` (one concept per file); this file runs them in order.
 */
import { checkLifecycle, lintLifecycle } from './lifecycle';
import { lintLadder } from './lint';
import { checkDefinitionNotes } from './notes';
import { FORBIDDEN_KEYS, hasOwn, indexPath, isPlainObject, isValidKey, propPath } from './keys';
import type { FactDefinition, PolicyDefinition, ValidateOptions, ValidationLimits, ValidationResult } from './types';
import { checkCondition, collectScoreUses } from './validation/condition';
import { checkConditionGraph } from './validation/condition-graph';
import { describe, issue } from './issues';
import { checkUnknownProps, KEY_RULE, requireKey, type Ctx } from './validation/context';
import { buildCatalog } from './validation/facts';
import { walkLimits } from './validation/limits';
import { checkComputed } from './validation/computed';
import { checkScores } from './validation/scores';
import { checkTiers } from './validation/tiers';

export const DEFAULT_VALIDATION_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  maxDepth: 32,
  maxNodes: 5000,
  maxStringLength: 1000,
  maxTiers: 200,
});

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
    computed: new Map(),
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
  checkUnknownProps(ctx, def, '', ['schemaVersion', 'computed', 'eligibility', 'conditions', 'scores', 'tiers', 'lifecycle', 'notes', 'grid', 'household']);
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
  // computed facts next: conditions and scores may use them
  if (hasOwn(def, 'computed')) checkComputed(ctx, def.computed);
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
  if (hasOwn(def, 'grid')) checkGrid(ctx, def.grid);
  if (hasOwn(def, 'household')) checkHousehold(ctx, def.household);

  if (ctx.errors.length > 0) return { valid: false, errors: ctx.errors, warnings: [] };
  const catalogFacts = [...ctx.catalog.values()];
  const checked = def as unknown as PolicyDefinition;
  return { valid: true, errors: [], warnings: [...lintLadder(checked, catalogFacts), ...lintLifecycle(checked)] };
}

/** `household: {key, facts: {target: {avg|sum|min|max: source}}}`: a catalog key fact, number targets and sources. */
function checkHousehold(ctx: Ctx, h: unknown): void {
  if (!isPlainObject(h) || !isPlainObject(h.facts) || Object.keys(h).some((k) => k !== 'key' && k !== 'facts')) {
    ctx.errors.push(
      issue('household', 'invalid-household', '"household" must be {"key": fact, "facts": {target: {"avg": source}}}.', '"household" 格式无效。'),
    );
    return;
  }
  if (typeof h.key !== 'string' || !ctx.catalog.has(h.key)) {
    ctx.errors.push(issue('household.key', 'unknown-fact', `The household id ${describe(h.key)} must be a catalog fact.`, '家庭编号必须是事实目录中的事实。'));
  }
  const isNumber = (k: unknown) => typeof k === 'string' && ['number', 'integer'].includes(ctx.catalog.get(k)?.type ?? '');
  for (const [target, spec] of Object.entries(h.facts)) {
    const path = propPath('household.facts', target);
    if (!isNumber(target))
      ctx.errors.push(issue(path, 'invalid-household', `"${target}" must be a number fact of the catalog.`, `"${target}" 必须是事实目录中的数值事实。`));
    const entries = isPlainObject(spec) ? Object.entries(spec) : [];
    if (entries.length !== 1 || !['avg', 'sum', 'min', 'max'].includes(entries[0][0])) {
      ctx.errors.push(
        issue(path, 'invalid-household', 'Each aggregate is one of {"avg" | "sum" | "min" | "max": source}.', '聚合必须是 avg / sum / min / max 之一。'),
      );
    } else if (!isNumber(entries[0][1]) || entries[0][1] === target) {
      ctx.errors.push(
        issue(
          propPath(path, entries[0][0]),
          'invalid-household',
          `The source ${describe(entries[0][1])} must be another number fact of the catalog.`,
          '来源必须是另一个数值事实。',
        ),
      );
    }
  }
}

/** `grid: {facts: [a, b]}`: two different catalog facts, each enum, boolean, number or integer. */
function checkGrid(ctx: Ctx, grid: unknown): void {
  const list = isPlainObject(grid) ? grid.facts : undefined;
  if (!isPlainObject(grid) || !Array.isArray(list) || list.length !== 2 || Object.keys(grid).some((k) => k !== 'facts')) {
    ctx.errors.push(issue('grid', 'invalid-grid', '"grid" must be {"facts": [factA, factB]}.', '"grid" 必须是 {"facts": [事实A, 事实B]}。'));
    return;
  }
  list.forEach((k, i) => {
    const f = typeof k === 'string' ? ctx.catalog.get(k) : undefined;
    const path = indexPath('grid.facts', i);
    if (f === undefined)
      ctx.errors.push(issue(path, 'unknown-fact', `Unknown fact ${describe(k)}: a grid is over two catalog facts.`, `未知事实 ${describe(k)}。`));
    else if (!['enum', 'boolean', 'number', 'integer'].includes(f.type))
      ctx.errors.push(
        issue(
          path,
          'invalid-grid',
          `A grid axis is an enum, boolean or number fact; "${f.key}" is ${f.type}.`,
          `网格的维度必须是枚举、布尔或数值事实；"${f.key}" 的类型为 ${f.type}。`,
        ),
      );
  });
  if (list[0] === list[1]) ctx.errors.push(issue('grid.facts[1]', 'invalid-grid', 'A grid needs two different facts.', '网格需要两个不同的事实。'));
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
