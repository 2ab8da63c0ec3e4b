// The reference of issue 17 target 1: what a team would write by hand — a bare Fastify service
// running json-rules-engine on the same ladder (the shipped cib-card template's rules), no auth, no
// decision log, no trace, no access log. One Engine per request in flight (a pool: a shared Engine
// loses results when runs overlap, see toolchain-notes), tiers as rules with one priority each,
// the first matching tier in ladder order wins. Prints its URL on stdout.
// Started by evaluate-api.bench.mjs; by hand: node test/bench/bare-service.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const Fastify = require(require.resolve('fastify', { paths: [new URL('../../apps/api/', import.meta.url).pathname] }));
const { Engine } = require('json-rules-engine');

const def = JSON.parse(readFileSync(new URL('../../apps/api/templates/cib-card.policy.json', import.meta.url), 'utf8')).definition;
const tiers = def.tiers;

function newEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, cond] of Object.entries(def.conditions ?? {})) engine.setCondition(name, structuredClone(cond));
  tiers.forEach((t, i) => {
    if (t.when) engine.addRule({ name: t.key, priority: tiers.length - i, conditions: structuredClone(t.when), event: { type: t.key } });
  });
  return engine;
}
const idle = [];
const acquire = () => idle.pop() ?? newEngine();

const app = Fastify({ logger: false });
app.post('/api/evaluate', async (req) => {
  const { facts } = req.body;
  const engine = acquire();
  try {
    const { events } = await engine.run(facts);
    const hit = new Set(events.map((e) => e.type));
    const i = tiers.findIndex((t) => !t.when || hit.has(t.key));
    const tier = i < 0 ? null : { key: tiers[i].key, name: tiers[i].name, rank: i + 1 };
    return { eligible: true, tier };
  } finally {
    idle.push(engine);
  }
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`bare service at ${url}`);
