import path from 'node:path';
import type { PropertyReport } from './support/property.worker';
import { propertySeed, replay } from './support/seed';
import { runTsWorker } from './support/ts-worker';

describe('validatePolicy — property-based', () => {
  it('never throws and never accepts what json-rules-engine would reject (≥ 10,000 random JSON values and ≥ 10,000 mutations)', async () => {
    const seed = propertySeed();
    const r = await runTsWorker<PropertyReport>(path.join(__dirname, 'support', 'property.worker.ts'), { seed, scale: 1 });
    expect({ seed, replay: replay(seed, 'test/validate.property.test.ts'), failure: r.failure }).toEqual({
      seed,
      replay: replay(seed, 'test/validate.property.test.ts'),
      failure: undefined,
    });
    console.log(`validatePolicy property test (seed ${seed}): ${JSON.stringify(r)}`);
    expect(r.inputs.randomJson + r.inputs.shapedJson).toBeGreaterThanOrEqual(10_000);
    expect(r.inputs.mutations).toBeGreaterThanOrEqual(10_000);
    // the property is only meaningful if many inputs were accepted and then run
    expect(r.accepted).toBeGreaterThan(800);
    expect(r.acceptedBy['mutated templates']).toBeGreaterThan(200);
    expect(r.acceptedBy['mutated random definitions']).toBeGreaterThan(200);
    expect(r.engineRuns).toBeGreaterThan(2_000);
  }, 120_000);
});
