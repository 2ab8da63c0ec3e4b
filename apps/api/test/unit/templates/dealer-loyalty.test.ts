/** Car dealer loyalty: the 10-point scorecard and the 优质 / 潜力 / 一般 bands. */
import { dealerLoyaltyTemplate as template } from './support';
import { evaluate } from './support';

const complaint = { none: 2, resolved: 1, unresolved: 0 } as const;

describe('dealer-loyalty', () => {
  it('scores 10 points for a customer who ticks every box → premium', async () => {
    const r = await evaluate(template, {
      complaintStatus: 'none',
      regularMaintenance: true,
      activityParticipation: true,
      positiveWordOfMouth: true,
    });
    expect(r.scores.loyaltyScore).toBe(10);
    expect(r.tier?.key).toBe('PREMIUM');
  });

  it('scores 0 points for a customer who ticks none → ordinary (rated, not dropped)', async () => {
    const r = await evaluate(template, {
      complaintStatus: 'unresolved',
      regularMaintenance: false,
      activityParticipation: false,
      positiveWordOfMouth: false,
    });
    expect(r.scores.loyaltyScore).toBe(0);
    expect(r).toMatchObject({ eligible: true, tier: { key: 'ORDINARY' } });
    const empty = await evaluate(template, {});
    expect(empty.scores.loyaltyScore).toBe(0);
    expect(empty.tier?.key).toBe('ORDINARY');
  });

  it('weighs satisfaction 2, maintenance 3, activity 2, word of mouth 3', async () => {
    const only = async (facts: Record<string, unknown>) => (await evaluate(template, facts)).scores.loyaltyScore;
    await expect(only({ complaintStatus: 'none' })).resolves.toBe(2);
    await expect(only({ complaintStatus: 'resolved' })).resolves.toBe(1);
    await expect(only({ complaintStatus: 'unresolved' })).resolves.toBe(0);
    await expect(only({ regularMaintenance: true })).resolves.toBe(3);
    await expect(only({ activityParticipation: true })).resolves.toBe(2);
    await expect(only({ positiveWordOfMouth: true })).resolves.toBe(3);
  });

  // every one of the 24 answer combinations, against an independent computation
  const combos = (Object.keys(complaint) as (keyof typeof complaint)[]).flatMap((c) =>
    [true, false].flatMap((m) => [true, false].flatMap((a) => [true, false].map((w) => ({ c, m, a, w })))),
  );
  it.each(combos)('complaint %s, maintenance %s, activity %s, word of mouth %s', async ({ c, m, a, w }) => {
    const expected = complaint[c] + (m ? 3 : 0) + (a ? 2 : 0) + (w ? 3 : 0);
    const r = await evaluate(template, {
      complaintStatus: c,
      regularMaintenance: m,
      activityParticipation: a,
      positiveWordOfMouth: w,
      district: '惠城区',
    });
    expect(r.scores.loyaltyScore).toBe(expected);
    expect(r.tier?.key).toBe(expected >= 8 ? 'PREMIUM' : expected >= 5 ? 'POTENTIAL' : 'ORDINARY');
  });

  it('band edges: 8 premium, 7 potential, 5 potential, 4 ordinary', async () => {
    const tier = async (facts: Record<string, unknown>) => (await evaluate(template, facts)).tier?.key;
    await expect(tier({ regularMaintenance: true, positiveWordOfMouth: true, complaintStatus: 'none' })).resolves.toBe('PREMIUM'); // 8
    await expect(tier({ regularMaintenance: true, positiveWordOfMouth: true, complaintStatus: 'resolved' })).resolves.toBe('POTENTIAL'); // 7
    await expect(tier({ regularMaintenance: true, activityParticipation: true })).resolves.toBe('POTENTIAL'); // 5
    await expect(tier({ regularMaintenance: true, complaintStatus: 'resolved' })).resolves.toBe('ORDINARY'); // 4
  });

  it('carries the report dimensions: district, car model, age band, industry, economic capacity', () => {
    const keys = template.facts.map((f) => f.key);
    for (const k of ['district', 'carModel', 'ageBand', 'industry', 'economicCapacity']) expect(keys).toContain(k);
  });
});
