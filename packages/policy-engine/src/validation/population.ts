/** The checks a population leaf (topPercent, shareOfTotalAtLeast, quantileAtLeast) needs beyond its operator's value and params. */
import { hasOwn, isPlainObject, propPath } from '../keys';
import { describe, issue } from '../issues';
import type { Ctx } from './context';

const GROUP_TYPES = new Set(['enum', 'string', 'boolean', 'integer']);

/** Called once the leaf's fact type fits the operator (a number): what it ranks, its buckets and its groups. */
export function checkPopulationLeaf(ctx: Ctx, node: Record<string, unknown>, path: string): void {
  const factName = node.fact as string;
  const opName = node.operator as string;
  if (ctx.scoreIndex.has(factName)) {
    ctx.errors.push(
      issue(
        propPath(path, 'fact'),
        'population-score-fact',
        `"${opName}" ranks catalog or computed facts; score "${factName}" is computed during the evaluation and cannot be ranked yet.`,
        `"${opName}" 只能对事实目录中的事实或计算事实排名，评分 "${factName}" 暂不能排名。`,
      ),
    );
  }
  const params = isPlainObject(node.params) ? node.params : {};
  if (opName === 'quantileAtLeast') {
    const q = params.quantiles;
    if (!hasOwn(params, 'quantiles')) {
      ctx.errors.push(
        issue(
          propPath(propPath(path, 'params'), 'quantiles'),
          'required',
          '"quantileAtLeast" needs params.quantiles, the number of buckets (5 for quintiles).',
          '"quantileAtLeast" 需要参数 quantiles（分档数，五分位为 5）。',
        ),
      );
    } else if (Number.isInteger(q) && (q as number) >= 2 && Number.isInteger(node.value) && (node.value as number) > (q as number)) {
      ctx.errors.push(
        issue(
          propPath(path, 'value'),
          'invalid-value',
          `Bucket ${String(node.value)} does not exist: there are ${String(q)} quantiles (1 … ${String(q)}).`,
          `分位档 ${String(node.value)} 不存在：共 ${String(q)} 档（1 … ${String(q)}）。`,
        ),
      );
    }
  }
  if (hasOwn(params, 'groupBy') && typeof params.groupBy === 'string') {
    const p = propPath(propPath(path, 'params'), 'groupBy');
    const g = ctx.catalog.get(params.groupBy);
    if (g === undefined) {
      ctx.errors.push(
        issue(p, 'unknown-fact', `Unknown fact "${params.groupBy}" to rank within: it must be in the fact catalog.`, `未知的分组事实 "${params.groupBy}"。`),
      );
    } else if (!GROUP_TYPES.has(g.type)) {
      ctx.errors.push(
        issue(
          p,
          'invalid-group-fact',
          `Customers are ranked within groups of an enum, string, boolean or integer fact; "${g.key}" is a ${g.type} (got ${describe(params.groupBy)}).`,
          `分组事实必须是枚举、字符串、布尔或整数类型；"${g.key}" 是 ${g.type}。`,
        ),
      );
    }
  }
}
