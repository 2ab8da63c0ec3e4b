/** Computed facts: keys, shapes, operand types and units of their expressions (see expressions.ts). */
import { combineUnits, type Unit } from '../expressions';
import { describe, issue } from '../issues';
import { FORBIDDEN_KEYS, hasOwn, isPlainObject, isValidKey, propPath } from '../keys';
import { foldExpression, Site, type ExpressionFold } from '../walk';
import { checkNote, checkUnknownProps, KEY_RULE, requireString, type Ctx } from './context';

const NARY = new Set(['add', 'mul', 'min', 'max']);

const unitText = (u: string): string => (u === '' ? 'no unit' : `"${u}"`);
const unitTextZh = (u: string): string => (u === '' ? '无单位' : `"${u}"`);

/** Register the computed facts' keys (before anything uses them), then check each expression in order. */
export function checkComputed(ctx: Ctx, computed: unknown): void {
  if (!isPlainObject(computed)) {
    ctx.errors.push(issue('computed', 'invalid-type', `"computed" must be an object of computed facts, got ${describe(computed)}.`, '"computed" 必须是对象。'));
    return;
  }
  const entries = Object.entries(computed).filter(([k]) => !FORBIDDEN_KEYS.has(k));
  const order = new Map<string, number>();
  entries.forEach(([key], i) => {
    const path = propPath('computed', key);
    if (!isValidKey(key)) ctx.errors.push(issue(path, 'invalid-key', `Computed fact key "${key}" ${KEY_RULE}.`));
    else if (ctx.catalog.has(key))
      ctx.errors.push(
        issue(
          path,
          'computed-shadows-fact',
          `Computed fact "${key}" is also a fact in the catalog; give it its own key.`,
          `计算事实 "${key}" 与事实目录中的事实同名。`,
        ),
      );
    else if (ctx.scoreIndex.has(key))
      ctx.errors.push(issue(path, 'duplicate-key', `Computed fact "${key}" has the key of a score.`, `计算事实 "${key}" 与评分同名。`));
    else order.set(key, i);
  });
  entries.forEach(([key, c], i) => {
    const path = propPath('computed', key);
    if (!isPlainObject(c)) {
      ctx.errors.push(issue(path, 'invalid-type', `A computed fact must be an object {label, expr, unit?}, got ${describe(c)}.`, '计算事实必须是对象。'));
      return;
    }
    checkUnknownProps(ctx, c, path, ['label', 'labelEn', 'unit', 'expr', 'note']);
    checkNote(ctx, c, path);
    requireString(ctx, c, 'label', path);
    requireString(ctx, c, 'labelEn', path, true);
    let declared: string | undefined;
    if (hasOwn(c, 'unit')) {
      if (typeof c.unit === 'string') declared = c.unit;
      else ctx.errors.push(issue(propPath(path, 'unit'), 'invalid-type', `"unit" must be a string, got ${describe(c.unit)}.`, '"unit" 必须是字符串。'));
    }
    // known from here on even when its expression is wrong (no cascade of unknown-fact), its unit then unknown
    if (order.has(key)) ctx.computed.set(key, { index: i, unit: undefined });
    if (!hasOwn(c, 'expr')) {
      ctx.errors.push(issue(propPath(path, 'expr'), 'required', '"expr" is required.', '缺少必填项 "expr"。'));
      return;
    }
    const inferred = expressionUnit(ctx, c.expr, key, i, order, Site.at(['computed', key, 'expr']));
    if (inferred === undefined) return;
    if (declared !== undefined && inferred !== null && declared !== inferred) {
      ctx.errors.push(
        issue(
          propPath(path, 'unit'),
          'unit-mismatch',
          `Computed fact "${key}" is declared in ${unitText(declared)} but its expression gives ${unitText(inferred)}.`,
          `计算事实 "${key}" 声明的单位为 ${unitTextZh(declared)}，但表达式的单位为 ${unitTextZh(inferred)}。`,
        ),
      );
    }
    if (order.has(key)) ctx.computed.set(key, { index: i, unit: declared ?? inferred ?? '' });
  });
}

/** The unit an expression gives (null: constants only), or undefined after reporting its problems. */
function expressionUnit(ctx: Ctx, expr: unknown, key: string, index: number, order: Map<string, number>, at: Site): Unit | undefined {
  const bad = Symbol('bad');
  type R = Unit | typeof bad;
  const fold: ExpressionFold<R> = {
    number: () => null,
    fact: (node, site) => {
      const p = propPath(site.path, 'fact');
      const name = node.fact;
      if (!isValidKey(name)) {
        ctx.errors.push(issue(p, 'invalid-type', `"fact" must be a fact key, got ${describe(name)}.`));
        return bad;
      }
      const at = order.get(name);
      if (at !== undefined) {
        if (at >= index) {
          ctx.errors.push(
            issue(
              p,
              'computed-forward-reference',
              at === index
                ? `Computed fact "${key}" uses itself.`
                : `Computed fact "${key}" uses "${name}", which is declared after it; a computed fact may only use earlier ones.`,
              at === index ? `计算事实 "${key}" 引用了自身。` : `计算事实 "${key}" 引用了其后声明的 "${name}"。`,
            ),
          );
          return bad;
        }
        return ctx.computed.get(name)?.unit ?? bad; // an earlier computed fact with a wrong expression: reported there
      }
      if (ctx.scoreIndex.has(name)) {
        ctx.errors.push(
          issue(
            p,
            'invalid-operand',
            `Computed fact "${key}" reads score "${name}"; expressions read catalog facts and earlier computed facts only.`,
            `计算事实 "${key}" 引用了评分 "${name}"；表达式只能引用事实目录中的事实和之前的计算事实。`,
          ),
        );
        return bad;
      }
      const fact = ctx.catalog.get(name);
      if (fact === undefined) {
        ctx.errors.push(issue(p, 'unknown-fact', `Unknown fact "${name}": it is neither in the fact catalog nor a computed fact.`, `未知事实 "${name}"。`));
        return bad;
      }
      if (fact.type !== 'number' && fact.type !== 'integer') {
        ctx.errors.push(
          issue(
            p,
            'expression-type-mismatch',
            `Arithmetic needs number facts; "${name}" is ${fact.type}.`,
            `算术表达式只能使用数值事实；"${name}" 的类型为 ${fact.type}。`,
          ),
        );
        return bad;
      }
      return fact.unit ?? '';
    },
    operation: (kind, operands, site, list) => {
      const listPath = propPath(site.path, kind);
      const n = operands.length;
      if (!list || (NARY.has(kind) ? n < 2 : n !== 2)) {
        const want = NARY.has(kind) ? 'a list of two or more expressions' : 'a list of exactly two expressions';
        ctx.errors.push(
          issue(listPath, 'invalid-expression', `"${kind}" takes ${want}.`, `"${kind}" ${NARY.has(kind) ? '需要两个或以上的表达式' : '需要恰好两个表达式'}。`),
        );
        return bad;
      }
      if (operands.includes(bad)) return bad;
      const units = operands as Unit[];
      if (kind === 'mul' || kind === 'div') return combineUnits(kind, units);
      const first = units.find((u) => u !== null);
      if (first === undefined) return null;
      let ok = true;
      units.forEach((u, i) => {
        if (u === null || u === first) return;
        ok = false;
        ctx.errors.push(
          issue(
            site.child(kind).child(i).path,
            'unit-mismatch',
            `"${kind}" combines ${unitText(first)} with ${unitText(u)}; sums, differences, min and max need one unit.`,
            `"${kind}" 混用了单位 ${unitTextZh(first)} 和 ${unitTextZh(u)}；加、减、最小、最大需要相同单位。`,
          ),
        );
      });
      return ok ? first : bad;
    },
    invalid: (node, site) => {
      ctx.errors.push(
        issue(
          site.path,
          'invalid-expression',
          `An expression is a finite number, {"fact": key}, or one of {"add" | "sub" | "mul" | "div" | "min" | "max": [...]}; got ${describe(node)}.`,
          '表达式必须是数字、{"fact": 键} 或 add / sub / mul / div / min / max 之一。',
        ),
      );
      return bad;
    },
  };
  const r = foldExpression<R>(expr, fold, { at });
  return r === bad ? undefined : r;
}
