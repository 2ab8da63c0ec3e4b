/** One comparison: its fact, operator and value against the catalog and the operator registry. */
import { hasOwn, indexPath, isPlainObject, propPath } from '../keys';
import { getOperator, typeFamily } from '../operators';
import { describe, issue } from '../issues';
import { checkUnknownProps, type Ctx, type Scope } from './context';
import { factDef, resolveFact } from './facts';

export function checkLeaf(ctx: Ctx, node: Record<string, unknown>, path: string, scope: Scope): void {
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
