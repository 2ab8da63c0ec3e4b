// What the decision-trace benches (trace-storage, decision-write) evaluate: the cib-card ladder (small traces)
// and the dealer-loyalty scorecard (a score of many points components: large traces), each through the policy
// engine's json-rules-engine path, on synthetic facts of the catalog's types.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../apps/api/package.json', import.meta.url));
const { createEvaluator } = require('@tierwise/policy-engine');

const template = (name) => JSON.parse(readFileSync(new URL(`../../apps/api/templates/${name}.policy.json`, import.meta.url), 'utf8'));
export const card = template('cib-card');
export const cardEval = createEvaluator(card.definition, card.catalog.facts);
export const dealer = template('dealer-loyalty');
export const dealerEval = createEvaluator(dealer.definition, dealer.catalog.facts);

/** Customer i's facts for a catalog: deterministic, spread over each type's values. */
export const synthetic = (facts, i) =>
  Object.fromEntries(
    facts.map((f, k) => {
      const x = (i * 2654435761 + k * 40503) >>> 0;
      if (f.type === 'boolean') return [f.key, x % 2 === 0];
      if (f.type === 'enum') return [f.key, f.enumValues[x % f.enumValues.length]];
      if (f.type === 'integer') return [f.key, x % 12];
      if (f.type === 'number') return [f.key, (x % 1_000_000) / 100];
      return [f.key, `v${x % 100}`];
    }),
  );
