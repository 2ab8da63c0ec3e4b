/** Named conditions as a graph: cycles, and scorecards reaching later scores through named conditions. */
import { propPath } from '../keys';
import { issue } from '../issues';
import { type Ctx } from './context';

export function checkConditionGraph(ctx: Ctx): void {
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
