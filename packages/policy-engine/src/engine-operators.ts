/**
 * The operators installed on every json-rules-engine instance: the engine's own built-ins,
 * wrapped so that a missing fact (absent or null, on either side) makes the condition false,
 * and Tierwise's operators from the registry, wrapped the same way.
 */
import { Engine, Operator } from 'json-rules-engine';
import { isMissing } from './keys';
import { operatorRegistry, type OperatorContext } from './operators';

interface OperatorLike {
  evaluate(factValue: unknown, jsonValue: unknown): boolean;
}
interface EngineInternals {
  operators?: { get(name: string): OperatorLike | null };
}

const probe = new Engine();
const internals = (probe as unknown as EngineInternals).operators;

function builtin(name: string): OperatorLike {
  const op = internals?.get(name);
  if (!op || typeof op.evaluate !== 'function') {
    throw new Error(`json-rules-engine has no built-in operator "${name}": unsupported json-rules-engine version`);
  }
  return op;
}

const wrappedBuiltins: Operator[] = operatorRegistry
  .filter((o) => o.builtIn)
  .map((o) => {
    const original = builtin(o.name);
    return new Operator(o.name, (a: unknown, b: unknown) => !isMissing(a) && !isMissing(b) && original.evaluate(a, b));
  });

/** Install every operator on `engine`; Tierwise operators read "today" from `ctx` (one ctx per engine set). */
export function installOperators(engine: Engine, ctx: OperatorContext): void {
  for (const op of wrappedBuiltins) engine.addOperator(op);
  for (const spec of operatorRegistry) {
    if (spec.builtIn) continue;
    engine.addOperator(new Operator(spec.name, (a: unknown, b: unknown) => !isMissing(a) && !isMissing(b) && spec.evaluate(a, b, ctx)));
  }
}
