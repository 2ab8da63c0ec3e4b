/**
 * The decision log's INSERT parameter (decision-log.service.ts `insertPayload`) is written as text: it must be, byte for
 * byte, what JSON.stringify wrote of the rows mapped to their columns (the writer before, frozen below) — over random
 * rows: odd strings (quotes, backslashes, control characters, lone surrogates), nulls and missing values, numbers at
 * the edges, facts and scores of any JSON shape, instants shared by neighbouring rows or not, and the values a flush's
 * rows usually share (policy, version, actor) repeated, alternating or changing row by row.
 */
import fc from 'fast-check';
import type { DecisionRow } from '../../src/evaluation/decision.entity';
import { insertPayload } from '../../src/evaluation/decision-log.service';

/** The writer before (JSON.stringify of each row's columns), frozen as the reference. */
function reference(rows: readonly DecisionRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      evaluated_at: r.evaluatedAt.toISOString(),
      as_of: r.asOf.toISOString(),
      policy_id: r.policyId,
      policy_key: r.policyKey,
      version_id: r.versionId,
      version_number: r.versionNumber,
      customer_id: r.customerId,
      actor: r.actor,
      facts: r.facts,
      eligible: r.eligible,
      tier_key: r.tierKey,
      tier_rank: r.tierRank,
      benefit_package_key: r.benefitPackageKey,
      scores: r.scores,
      rollout_step: r.rolloutStep ?? null,
      cutoff_run_id: r.cutoffRunId,
    })),
  );
}

const odd = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', 'plain', 'q"uote', 'back\\slash', 'nl\nt\tcr\r', '\u0000\u001f\u007f', '\ud800 lone', 'pair \ud83d\ude00', '\u2028\u2029', '中文'),
);
const missing = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.constant(null), fc.constant(undefined));
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 31 - 1, -(2 ** 31)));
const instant = fc.oneof(
  fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
  fc.constant(new Date('2026-12-03T16:00:00.123Z')),
);
const shared = (pool: readonly string[]) => fc.oneof(fc.constantFrom(...pool), odd);
const row = fc.record({
  id: fc.oneof(fc.uuid(), odd),
  evaluatedAt: instant,
  asOf: instant,
  policyId: shared(['6f1c0c6e-7c3b-4e0e-9d7a-1b2c3d4e5f60', '0b7c8d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e']),
  policyKey: shared(['cib-card', 'dealer-loyalty']),
  versionId: shared(['11111111-2222-4333-8444-555555555555']),
  versionNumber: number,
  customerId: missing(odd),
  actor: shared(['service', 'admin']),
  facts: fc.oneof(fc.jsonValue(), fc.dictionary(odd, fc.oneof(fc.jsonValue(), fc.constant(undefined), number))),
  eligible: fc.boolean(),
  tierKey: missing(odd),
  tierRank: missing(number),
  benefitPackageKey: missing(odd),
  scores: fc.dictionary(odd, number),
  trace: fc.constant(null),
  rolloutStep: missing(fc.integer()),
  cutoffRunId: missing(fc.uuid()),
}) as fc.Arbitrary<DecisionRow>;

describe('decision log INSERT payload', () => {
  it('is byte for byte JSON.stringify of the rows mapped to their columns', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        expect(insertPayload(rows)).toBe(reference(rows));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps each row its own instant and values when neighbours share or differ (the memos of a flush)', () => {
    const base = { policyId: 'p', policyKey: 'k', versionId: 'v', versionNumber: 1, actor: 'a', facts: {}, eligible: true, scores: {}, trace: null };
    const t = (ms: number) => new Date(Date.UTC(2026, 11, 3) + ms);
    const rows: DecisionRow[] = [
      {
        ...base,
        id: '1',
        evaluatedAt: t(5),
        asOf: t(5),
        customerId: 'c1',
        tierKey: 'GOLD',
        tierRank: 2,
        benefitPackageKey: null,
        rolloutStep: null,
        cutoffRunId: null,
      },
      {
        ...base,
        id: '2',
        evaluatedAt: t(5),
        asOf: t(4),
        customerId: null,
        tierKey: null,
        tierRank: null,
        benefitPackageKey: null,
        rolloutStep: 1,
        cutoffRunId: null,
      },
      {
        ...base,
        id: '3',
        evaluatedAt: t(6),
        asOf: t(4),
        policyId: 'q',
        actor: 'b',
        customerId: 'c3',
        tierKey: 'X',
        tierRank: 1,
        benefitPackageKey: 'x',
        rolloutStep: null,
        cutoffRunId: 'r',
      },
      {
        ...base,
        id: '4',
        evaluatedAt: t(5),
        asOf: t(6),
        customerId: 'c4',
        tierKey: 'X',
        tierRank: 1,
        benefitPackageKey: 'x',
        rolloutStep: null,
        cutoffRunId: null,
      },
    ];
    const parsed = JSON.parse(insertPayload(rows)) as Record<string, unknown>[];
    expect(parsed.map((r) => [r.id, r.evaluated_at, r.as_of, r.policy_id, r.actor])).toEqual([
      ['1', t(5).toISOString(), t(5).toISOString(), 'p', 'a'],
      ['2', t(5).toISOString(), t(4).toISOString(), 'p', 'a'],
      ['3', t(6).toISOString(), t(4).toISOString(), 'q', 'b'],
      ['4', t(5).toISOString(), t(6).toISOString(), 'p', 'a'],
    ]);
    expect(insertPayload(rows)).toBe(reference(rows));
    expect(insertPayload([])).toBe('[]');
  });
});
