/** One comparison: its fact, operator and value against the catalog and the operator registry. */
import { hasOwn, indexPath, isPlainObject, propPath } from '../keys';
import { getOperator, typeFamily, type OperatorSpec } from '../operators';
import { describe, issue } from '../issues';
import { checkUnknownProps, type Ctx, type Scope } from './context';
import { factDef, resolveFact, unitOf } from './facts';
import { checkPopulationLeaf } from './population';

/**
 * A leaf's `params` (or a `{ "fact" }` value's): only what its operator reads, each value checked. json-rules-engine
 * hands params to the fact, and catalog facts take none, so anything else would be silently ignored: an error at
 * its path (`tiers[0].when.all[0].params.quantiles`). `op` null: a compared-to fact, which takes no params.
 */
function checkParams(ctx: Ctx, node: Record<string, unknown>, path: string, op: OperatorSpec | null): void {
  if (!hasOwn(node, 'params')) return;
  const paramsPath = propPath(path, 'params');
  const params = node.params;
  if (!isPlainObject(params)) {
    ctx.errors.push(issue(paramsPath, 'invalid-type', `"params" must be an object, got ${describe(params)}.`, '"params" 必须是对象。'));
    return;
  }
  const spec = op?.params ?? {};
  const accepted = Object.keys(spec);
  for (const k of Object.keys(params)) {
    const p = propPath(paramsPath, k);
    if (!hasOwn(spec, k)) {
      const where =
        op === null
          ? 'A compared-to fact takes no parameters'
          : accepted.length === 0
            ? `Operator "${op.name}" takes no parameters`
            : `Operator "${op.name}" takes ${accepted.map((a) => `"${a}"`).join(', ')}`;
      const whereZh =
        op === null
          ? '比较的事实不接受参数'
          : accepted.length === 0
            ? `运算符 "${op.name}" 不接受参数`
            : `运算符 "${op.name}" 只接受参数 ${accepted.join('、')}`;
      ctx.errors.push(issue(p, 'unknown-param', `${where}; "${k}" would be ignored — remove it.`, `${whereZh}，参数 "${k}" 会被忽略，请删除。`));
      continue;
    }
    const message = spec[k](params[k]);
    if (message !== null) ctx.errors.push(issue(p, 'invalid-value', `Parameter "${k}" ${message}; got ${describe(params[k])}.`, `参数 "${k}" 的取值无效。`));
  }
}

export function checkLeaf(ctx: Ctx, node: Record<string, unknown>, path: string, scope: Scope): void {
  checkUnknownProps(ctx, node, path, ['fact', 'operator', 'value', 'params']);
  const factPath = propPath(path, 'fact');
  const opPath = propPath(path, 'operator');
  const valuePath = propPath(path, 'value');
  const type = resolveFact(ctx, node.fact, factPath, scope);
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
  checkParams(ctx, node, path, op);
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
    checkParams(ctx, value, valuePath, null);
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
    } else if (otherType !== undefined && (ctx.computed.has(factName) || ctx.computed.has(value.fact as string))) {
      // a computed fact compared with another fact: like units only (a ratio is not an amount)
      const a = unitOf(ctx, factName);
      const b = unitOf(ctx, value.fact as string);
      if (a !== undefined && b !== undefined && a !== b) {
        const t = (u: string, zh: boolean) => (u === '' ? (zh ? '无单位' : 'no unit') : `"${u}"`);
        ctx.errors.push(
          issue(
            propPath(valuePath, 'fact'),
            'unit-mismatch',
            `Fact "${factName}" (${t(a, false)}) cannot be compared with "${String(value.fact)}" (${t(b, false)}): the units differ.`,
            `事实 "${factName}"（${t(a, true)}）与 "${String(value.fact)}"（${t(b, true)}）单位不同，不能比较。`,
          ),
        );
      }
    }
    return;
  }
  const fact = factDef(ctx, factName, type);
  const message = op.validateValue(value, fact);
  if (message !== null) {
    ctx.errors.push(issue(valuePath, 'invalid-value', `Value for "${factName}" ${opName}: ${message}; got ${describe(value)}.`, `"${factName}" 的取值无效。`));
    return;
  }
  if (op.population === true) {
    checkPopulationLeaf(ctx, node, path);
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
