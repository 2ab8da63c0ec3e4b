/**
 * Worker: validatePolicy never throws, and never accepts a definition json-rules-engine would then
 * reject or throw on. Inputs: random JSON, random condition-shaped JSON, and mutations of valid
 * definitions (random ones and every shipped template). Accepted definitions are loaded into a
 * bare json-rules-engine Engine (plus Tierwise's operators) and run with random facts, and
 * through createEvaluator and compileFast.
 */
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { parentPort, workerData } from 'node:worker_threads';
import {
  bindPopulation,
  compileFast,
  computeCutoffs,
  createEvaluator,
  hasPopulationConditions,
  operatorRegistry,
  policyDefinitionSchema,
  validatePolicy,
  type FactDefinition,
  type PolicyDefinition,
  type TopLevelCondition,
} from '../../src';
import { templateFiles } from './template-files';
import { catalogArb, customerArb, definitionArb } from '../arbitraries';

export interface PropertyReport {
  inputs: { randomJson: number; shapedJson: number; mutations: number };
  accepted: number;
  /** accepted inputs per source */
  acceptedBy: Record<string, number>;
  engineRuns: number;
  failure?: string;
}

type JreCondition = Parameters<Engine['setCondition']>[1];

/** A bare json-rules-engine with every rule of the definition (no Tierwise wrapping). */
async function runBareEngine(def: PolicyDefinition, facts: Record<string, unknown>): Promise<void> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const ctx = { asOfDay: 18779 };
  for (const spec of operatorRegistry) if (!spec.builtIn) engine.addOperator(spec.name, (a: unknown, b: unknown) => spec.evaluate(a, b, ctx));
  for (const [name, c] of Object.entries(def.conditions ?? {})) engine.setCondition(name, c as unknown as JreCondition);
  const rules: TopLevelCondition[] = [];
  if (def.eligibility) rules.push(def.eligibility);
  for (const s of def.scores ?? []) {
    for (const c of s.components) if ('when' in c) rules.push(c.when);
    for (const m of s.multipliers ?? []) rules.push(m.when);
  }
  for (const t of def.tiers) if (t.when) rules.push(t.when);
  rules.forEach((when, i) => engine.addRule({ name: `r${i}`, conditions: structuredClone(when) as unknown as JreCondition, event: { type: `r${i}` } }));
  const withScores: Record<string, unknown> = { ...facts };
  for (const s of def.scores ?? []) withScores[s.key] = 42;
  await engine.run(withScores);
}

const KEYS = ['all', 'any', 'not', 'condition', 'fact', 'operator', 'value', 'path', 'params', '__proto__', 'constructor'];
const shapedCondition: fc.Arbitrary<unknown> = fc.letrec<{ cond: unknown }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      fact: fc.constantFrom('f0', 'f1', 'f2', 'nope', 's0', ''),
      operator: fc.constantFrom(...operatorRegistry.map((o) => o.name), 'bogus'),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
    fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(tie('cond'), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 3 }),
    fc.record({ all: fc.array(tie('cond'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('cond'), { maxLength: 3 }) }),
    fc.record({ not: tie('cond') }),
    fc.record({ condition: fc.constantFrom('n0', 'n1', 'x', '__proto__') }),
  ),
})).cond;

const shapedDefinition = fc.record(
  {
    schemaVersion: fc.constantFrom(1, 1, 1, 2, '1'),
    eligibility: fc.option(shapedCondition, { nil: undefined }),
    conditions: fc.option(fc.dictionary(fc.constantFrom('n0', 'n1', 'bad key', 'prototype'), shapedCondition, { maxKeys: 2 }), { nil: undefined }),
    tiers: fc.array(
      fc.record({ key: fc.constantFrom('A', 'B', 'A', '1x'), name: fc.constantFrom('金', '', 'B'), when: fc.option(shapedCondition, { nil: undefined }) }),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: ['schemaVersion', 'tiers'] },
);

/** Paths to every value inside a JSON tree. */
function paths(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { v: unknown; p: (string | number)[] }[] = [{ v: root, p: [] }];
  while (stack.length > 0) {
    const { v, p } = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, p: [...p, i] }));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push({ v: x, p: [...p, k] });
  }
  return out;
}

type Mutation = 'replace' | 'delete' | 'proto' | 'duplicate' | 'swapOperator' | 'swapFact' | 'emptyArray' | 'stringify' | 'number' | 'swapItems';
const MUTATIONS: Mutation[] = [
  'replace',
  'delete',
  'proto',
  'duplicate',
  'swapOperator',
  'swapFact',
  'emptyArray',
  'stringify',
  'number',
  'number',
  'swapItems',
  'swapItems',
];

function mutate(def: unknown, pick: number, how: Mutation, junk: unknown, facts: FactDefinition[], opPick: number): unknown {
  const copy = structuredClone(def) as Record<string, unknown>;
  const all = paths(copy).filter((p) => p.length > 0);
  if (all.length === 0) return junk;
  const path = all[pick % all.length];
  let parent: unknown = copy;
  for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
  const last = path[path.length - 1];
  const obj = parent as Record<string | number, unknown>;
  switch (how) {
    case 'replace':
      obj[last] = junk;
      break;
    case 'delete':
      if (Array.isArray(obj)) obj.splice(Number(last), 1);
      else delete obj[last];
      break;
    case 'proto':
      Object.defineProperty(obj, '__proto__', { value: junk, enumerable: true, configurable: true, writable: true });
      break;
    case 'duplicate':
      if (Array.isArray(obj)) obj.push(structuredClone(obj[Number(last)]));
      else obj[`${String(last)}2`] = obj[last];
      break;
    case 'swapOperator':
      if (last === 'operator') obj[last] = [...operatorRegistry.map((o) => o.name), 'nope'][opPick % (operatorRegistry.length + 1)];
      else obj[last] = junk;
      break;
    case 'swapFact':
      if (last === 'fact') obj[last] = facts.length > 0 ? facts[opPick % facts.length].key : 'x';
      else obj[last] = junk;
      break;
    case 'emptyArray':
      obj[last] = [];
      break;
    case 'stringify':
      obj[last] = JSON.stringify(obj[last]) ?? 'null';
      break;
    case 'number':
      obj[last] = typeof obj[last] === 'number' ? [0, -1, 0.5, 1e9, 100, 1.05][opPick % 6] : junk;
      break;
    case 'swapItems':
      if (Array.isArray(obj) && obj.length > 1) {
        const i = Number(last);
        const j = (i + 1) % obj.length;
        [obj[i], obj[j]] = [obj[j], obj[i]];
      } else obj[last] = junk;
      break;
  }
  return copy;
}

const outcome = (r: { failed: boolean; errorInstance: unknown }) => ({ failed: r.failed, errorInstance: r.errorInstance });

async function main(): Promise<PropertyReport> {
  const { seed, scale } = (workerData as { data: { seed: number; scale: number } }).data;
  const report: PropertyReport = { inputs: { randomJson: 0, shapedJson: 0, mutations: 0 }, accepted: 0, acceptedBy: {}, engineRuns: 0 };
  let source = '';

  const check = async (def: unknown, facts: FactDefinition[], customers: Record<string, unknown>[]): Promise<void> => {
    let result;
    try {
      result = validatePolicy(def, facts);
    } catch (e) {
      throw new Error(`validatePolicy threw: ${String(e)} on ${JSON.stringify(def)}`);
    }
    if (result.errors.some((e) => e.code === 'internal-error')) throw new Error(`internal error: ${JSON.stringify(result.errors)} on ${JSON.stringify(def)}`);
    if (result.valid !== (result.errors.length === 0)) throw new Error('valid does not match errors');
    if (!result.valid) return;
    report.accepted++;
    report.acceptedBy[source] = (report.acceptedBy[source] ?? 0) + 1;
    const parsed = policyDefinitionSchema.safeParse(def);
    if (!parsed.success) throw new Error(`accepted but the zod schema refuses it: ${parsed.error.message} on ${JSON.stringify(def)}`);
    const d = def as PolicyDefinition;
    // Population conditions are evaluated against cut-offs (here: those of the customers at hand) and
    // reach json-rules-engine as ordinary comparisons with the cut-off facts, as in a run.
    const population = hasPopulationConditions(d);
    const cutoffs = population ? { cutoffs: computeCutoffs(d, customers) } : {};
    const bare = population ? bindPopulation(d).definition : d;
    const ev = createEvaluator(d, facts, { asOf: '2021-06-01', ...cutoffs });
    const fast = compileFast(d, facts, { asOf: '2021-06-01', ...cutoffs });
    for (const c of customers) {
      const where = (stage: string) => (e: unknown) => {
        throw new Error(`${stage} threw ${e instanceof Error ? e.stack : String(e)} on ${JSON.stringify({ def, c })}`);
      };
      await runBareEngine(bare, c).catch(where('json-rules-engine'));
      const r = await ev.evaluate(c).catch(where('createEvaluator'));
      let f;
      try {
        f = fast(c);
      } catch (e) {
        where('compileFast')(e);
        return;
      }
      report.engineRuns++;
      if (f.eligible !== r.eligible || f.tierIndex !== (r.tier ? r.tier.rank - 1 : -1)) throw new Error(`compiled ≠ engine on ${JSON.stringify({ def, c })}`);
    }
  };

  const customersFor = (facts: FactDefinition[]) => fc.array(customerArb(facts), { minLength: 3, maxLength: 3 });
  const templateFacts = templateFiles()
    .flatMap((t) => t.catalog.facts)
    .filter((f, i, a) => a.findIndex((g) => g.key === f.key) === i);
  const templateDefs = templateFiles().map((t) => t.definition);

  const runs: [string, () => Promise<{ failed: boolean; errorInstance: unknown }>][] = [
    [
      'random JSON',
      () =>
        fc
          .check(
            fc.asyncProperty(fc.jsonValue(), catalogArb, async (v, facts) => {
              report.inputs.randomJson++;
              await check(v, facts, []);
            }),
            { seed, numRuns: 4000 * scale, endOnFailure: true },
          )
          .then(outcome),
    ],
    [
      'definition-shaped JSON',
      () =>
        fc
          .check(
            fc.asyncProperty(
              catalogArb.chain((facts) => fc.tuple(fc.constant(facts), shapedDefinition, customersFor(facts))),
              async ([facts, def, cs]) => {
                report.inputs.shapedJson++;
                await check(def, facts, cs);
              },
            ),
            { seed, numRuns: 6000 * scale, endOnFailure: true },
          )
          .then(outcome),
    ],
    [
      'mutated random definitions',
      () =>
        fc
          .check(
            fc.asyncProperty(
              catalogArb.chain((facts) =>
                fc.tuple(
                  fc.constant(facts),
                  definitionArb(facts),
                  fc.nat(),
                  fc.constantFrom(...MUTATIONS),
                  fc.jsonValue({ maxDepth: 2 }),
                  fc.nat(),
                  customersFor(facts),
                ),
              ),
              async ([facts, def, pick, how, junk, opPick, cs]) => {
                report.inputs.mutations++;
                await check(mutate(def, pick, how, junk, facts, opPick), facts, cs);
              },
            ),
            { seed, numRuns: 6000 * scale, endOnFailure: true },
          )
          .then(outcome),
    ],
    [
      'mutated templates',
      () =>
        fc
          .check(
            fc.asyncProperty(
              fc.tuple(
                fc.constantFrom(...templateDefs),
                fc.nat(),
                fc.constantFrom(...MUTATIONS),
                fc.jsonValue({ maxDepth: 2 }),
                fc.nat(),
                fc.array(customerArb(templateFacts), { minLength: 2, maxLength: 2 }),
              ),
              async ([def, pick, how, junk, opPick, cs]) => {
                report.inputs.mutations++;
                await check(mutate(def, pick, how, junk, templateFacts, opPick), templateFacts, cs);
              },
            ),
            { seed, numRuns: 4000 * scale, endOnFailure: true },
          )
          .then(outcome),
    ],
  ];
  for (const [name, run] of runs) {
    source = name;
    const r = await run();
    if (r.failed) {
      report.failure = `${name} (seed ${seed}): ${r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance)}`.slice(0, 4000);
      break;
    }
  }
  return report;
}

main().then(
  (r) => parentPort?.postMessage(r),
  (e: unknown) =>
    parentPort?.postMessage({ inputs: { randomJson: 0, shapedJson: 0, mutations: 0 }, accepted: 0, acceptedBy: {}, engineRuns: 0, failure: String(e) }),
);
