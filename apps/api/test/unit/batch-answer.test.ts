/**
 * The batch answer written in slices as bytes (batch-answer.ts) is, byte for byte, the answer the batch route wrote
 * before as one string — `{"policy":…,"results":[…]}` with each result `{"customerId":…,` + answer.ts's
 * `evaluationMembers` with its decisionId and evaluatedAt — and so JSON.stringify of the answer object; over 2,500
 * customers (three slices), ids with odd characters, decisions in several milliseconds, include on and off.
 */
import { createProjector, createServingEvaluator } from '@tierwise/policy-engine';
import type { Facts } from '@tierwise/policy-engine';
import { evaluationMembers, evaluationObject } from '../../src/evaluation/answer';
import { BATCH_SLICE, batchAnswerWriter, type BatchResult } from '../../src/evaluation/batch-answer';
import type { PreparedVersion } from '../../src/policies/evaluator-cache';
import type { FrozenCatalog, PolicyVersionRow } from '../../src/policies/policy.entities';
import { definitionOf, templates, type PolicyTemplate } from './templates/support';

const t = templates.find((x) => x.key === 'cib-card') as PolicyTemplate;
const definition = definitionOf(t);
const benefits = new Map(t.benefits.map((b) => [b.key, b]));
const packages: FrozenCatalog['packages'] = {};
for (const pkg of t.benefitPackages)
  packages[pkg.key] = { key: pkg.key, name: pkg.name, nameEn: pkg.nameEn, benefits: pkg.benefits.flatMap((k) => benefits.get(k) ?? []) };
const projector = createProjector(definition, t.facts);
const version = { id: '0b7c8d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e', number: 3, rollout: null } as unknown as PolicyVersionRow;
const p = {
  version,
  definition,
  catalog: { facts: t.facts, packages },
  evaluator: createServingEvaluator(definition, t.facts),
  traced: null,
  ranksPopulation: false,
  fast: () => {
    throw new Error('not used');
  },
  traceJson: () => null,
  projector: () => projector,
} as PreparedVersion;

const ODD_IDS = ['"quoted"', 'back\\slash', '白金', '\ud800', 'line\nbreak'];

async function batch(n: number): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for (let i = 0; i < n; i++) {
    const facts: Facts = { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 };
    out.push({
      p,
      r: await p.evaluator.evaluate(facts),
      facts,
      customerId: i % 7 === 3 ? undefined : i % 500 === 1 ? ODD_IDS[(i / 500) | 0] : `c-${i}`,
      decisionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      // a few decisions per millisecond, as in a batch
      evaluatedAt: new Date(Date.UTC(2026, 11, 2, 13, 0, 0, (i / 300) | 0)),
      rolloutStep: null,
    });
  }
  return out;
}

/** The answer as the route wrote it before (one string). */
function before(results: BatchResult[], include?: { trace?: boolean; next?: boolean }, explain = false): string {
  const parts = results.map((x) => {
    const members = evaluationMembers(x.p, t.key, x.r, x.facts, {
      decisionId: x.decisionId,
      evaluatedAt: x.evaluatedAt,
      explain,
      rolloutStep: null,
      ...include,
    });
    return `{"customerId":${JSON.stringify(x.customerId ?? null)},${members}}`;
  });
  return `{"policy":${JSON.stringify({ key: t.key, versionId: version.id, number: version.number })},"results":[${parts.join(',')}]}`;
}

function written(results: BatchResult[], include?: { trace?: boolean; next?: boolean }, explain = false): Buffer {
  const w = batchAnswerWriter({ policyKey: t.key, version, explain, include });
  for (let from = 0; from < results.length; from += BATCH_SLICE) w.results(results, from, Math.min(from + BATCH_SLICE, results.length));
  return w.done();
}

describe('the batch answer in slices', () => {
  it.each([
    ['everything', undefined, false],
    ['the lean opt-out', { trace: false, next: false }, false],
    ['explained, no trace', { trace: false }, true],
  ] as const)('%s: the bytes of the one-string answer, for 2,500 customers', async (_what, include, explain) => {
    const results = await batch(2_500);
    const bytes = written(results, include, explain);
    const expected = before(results, include, explain);
    expect(bytes.equals(Buffer.from(expected))).toBe(true);
    // and the answer object's meaning: each result is evaluationObject's, after its customerId
    const parsed = JSON.parse(bytes.toString('utf8')) as { results: unknown[] };
    expect(parsed.results).toHaveLength(2_500);
    const i = 1_001;
    const x = results[i];
    expect(parsed.results[i]).toEqual(
      JSON.parse(
        JSON.stringify({
          customerId: x.customerId ?? null,
          ...evaluationObject(p, t.key, x.r, x.facts, { decisionId: x.decisionId, evaluatedAt: x.evaluatedAt, explain, ...include }),
        }),
      ),
    );
  });

  it('an answer of fewer customers than a slice, and of exactly one slice', async () => {
    for (const n of [1, BATCH_SLICE]) {
      const results = await batch(n);
      expect(written(results).toString('utf8')).toBe(before(results));
    }
  });
});
