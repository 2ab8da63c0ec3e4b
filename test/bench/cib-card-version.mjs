// The cib-card template as the batch benches' prepared version: its definition and facts, and a PreparedVersion-like
// object with the template's real benefit packages (Chinese names, as the server's) and one projector.
import fs from 'node:fs';

export function cibCardVersion(engine) {
  const file = JSON.parse(fs.readFileSync(new URL('../../apps/api/templates/cib-card.policy.json', import.meta.url), 'utf8'));
  const def = file.definition;
  const facts = file.catalog.facts;
  const projector = engine.createProjector(def, facts);
  const benefits = new Map(file.catalog.benefits.map((b) => [b.key, b]));
  const packages = Object.fromEntries(
    file.catalog.benefitPackages.map((k) => [
      k.key,
      { key: k.key, name: k.name, nameEn: k.nameEn, benefits: k.benefits.flatMap((b) => benefits.get(b) ?? []) },
    ]),
  );
  const p = {
    version: { id: '0b7c8d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e', number: 3, rollout: null },
    definition: def,
    catalog: { facts, packages },
    evaluator: engine.createServingEvaluator(def, facts),
    projector: () => projector,
  };
  return { def, facts, p };
}
