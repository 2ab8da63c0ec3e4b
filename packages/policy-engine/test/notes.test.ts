/**
 * Rule notes: where each rule comes from (the source, or our choice), in both languages. Validated
 * with paths like everything else; they never change an outcome.
 */
import { compileFast, createEvaluator, policyDefinitionSchema, validatePolicy } from '../src';
import type { PolicyDefinition } from '../src';
import { cardFacts, cardLadder } from './fixtures';

// Functions, not shared objects: a definition is a tree (the same object twice counts as a cycle).
const source = () => ({ zh: '来源：黑金卡本人日均资产 ≥ 100 万', en: 'Source: Black Gold, personal assets ≥ 1,000,000' });
const choice = () => ({ zh: '本模板选择：含下限', en: 'Our choice: the lower bound is included' });

/** The card ladder with a note on every kind of rule. */
const annotated: PolicyDefinition = {
  ...structuredClone(cardLadder),
  eligibility: { all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 0 }] },
  conditions: { anyAssets: { all: [{ fact: 'avgDailyAssets', operator: 'greaterThan', value: 0 }] } },
  scores: [
    {
      key: 'bonus',
      label: '加分',
      components: [
        { label: '资产', fact: 'avgDailyAssets', weight: 0.001, note: { choice: choice() } },
        { label: '贵宾', points: 5, when: { all: [{ fact: 'vip', operator: 'equal', value: true }] }, note: { source: source() } },
      ],
      multipliers: [{ label: '加成', factor: 1.1, when: { condition: 'anyAssets' }, note: { source: source(), choice: choice() } }],
      note: { choice: choice() },
    },
  ],
  notes: { eligibility: { choice: choice() }, conditions: { anyAssets: { source: source() } } },
};
annotated.tiers[0].note = { source: source(), choice: choice() };

const errorsOf = (def: unknown) => validatePolicy(def, cardFacts).errors.map(({ path, code }) => ({ path, code }));

function withNote(note: unknown): unknown {
  const d = structuredClone(cardLadder) as unknown as { tiers: Record<string, unknown>[] };
  d.tiers[1].note = note;
  return d;
}

describe('rule notes', () => {
  it('are accepted on tiers, scores, components, multipliers, eligibility and named conditions', () => {
    expect(validatePolicy(annotated, cardFacts).errors).toEqual([]);
    expect(policyDefinitionSchema.safeParse(annotated).success).toBe(true);
  });

  it('never change the outcome (reference and compiled evaluators)', async () => {
    const plain = structuredClone(annotated) as unknown as Record<string, unknown> & { tiers: Record<string, unknown>[] };
    delete plain.notes;
    delete plain.tiers[0].note;
    const scores = plain.scores as { note?: unknown; components: { note?: unknown }[]; multipliers: { note?: unknown }[] }[];
    for (const s of scores) {
      delete s.note;
      s.components.forEach((c) => delete c.note);
      s.multipliers.forEach((m) => delete m.note);
    }
    const withNotes = createEvaluator(annotated, cardFacts);
    const without = createEvaluator(plain as unknown as PolicyDefinition, cardFacts);
    for (const facts of [{ avgDailyAssets: 1_000_000 }, { avgDailyAssets: 999_999.99, vip: true }, { avgDailyAssets: 0 }, {}]) {
      const a = await withNotes.evaluate(facts);
      const b = await without.evaluate(facts);
      expect(a).toEqual(b);
      expect(compileFast(annotated, cardFacts)(facts)).toEqual(compileFast(plain as unknown as PolicyDefinition, cardFacts)(facts));
    }
  });

  it.each<[string, unknown, { path: string; code: string }[]]>([
    ['not an object', 'our choice', [{ path: 'tiers[1].note', code: 'invalid-type' }]],
    ['empty', {}, [{ path: 'tiers[1].note', code: 'required' }]],
    ['unknown property', { choice: choice(), why: 'x' }, [{ path: 'tiers[1].note.why', code: 'unknown-property' }]],
    ['English missing', { choice: { zh: '本模板选择' } }, [{ path: 'tiers[1].note.choice.en', code: 'required' }]],
    ['blank Chinese', { source: { zh: '  ', en: 'Source' } }, [{ path: 'tiers[1].note.source.zh', code: 'invalid-type' }]],
    ['text not an object', { source: 'the source' }, [{ path: 'tiers[1].note.source', code: 'invalid-type' }]],
  ])('a tier note that is %s is refused with its path', (_name, note, expected) => {
    expect(errorsOf(withNote(note))).toEqual(expected);
  });

  it('refuse notes on named conditions the policy does not have, and on a missing eligibility', () => {
    const d = { ...structuredClone(cardLadder), notes: { eligibility: { choice: choice() }, conditions: { nowhere: { source: source() } } } };
    expect(errorsOf(d)).toEqual([
      { path: 'notes.eligibility', code: 'unknown-condition' },
      { path: 'notes.conditions.nowhere', code: 'unknown-condition' },
    ]);
    expect(errorsOf({ ...structuredClone(cardLadder), notes: { tiers: {} } })).toEqual([{ path: 'notes.tiers', code: 'unknown-property' }]);
  });

  it('give both languages in their messages', () => {
    const [e] = validatePolicy(withNote({}), cardFacts).errors;
    expect(e.message).toMatch(/our choice/);
    expect(e.messageZh).toMatch(/本策略的选择/);
  });
});
