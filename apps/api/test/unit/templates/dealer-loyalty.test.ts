/** Car dealer: loyalty (10-point scorecard on the source's sub-criteria) × economic capacity. */
import { evaluate, dealerLoyaltyTemplate as template } from './support';

const full = {
  vehicleComplaint: 'none',
  staffComplaint: 'none',
  servicedOnSchedule: true,
  repairsAtDealer: true,
  attendsEvents: true,
  eventComplaint: 'none',
  bringsBuyers: true,
  cooperatesWithConsultant: true,
  referralDeals: 1,
  passesLeadsFirst: true,
  negativePublicity: false,
};
const rate = (facts: Record<string, unknown>) => evaluate(template, facts);

describe('dealer-loyalty', () => {
  it('10 points with low economic capacity is not 优质 (two dimensions, as the source says)', async () => {
    const low = await rate({ ...full, economicCapacity: 'low' });
    expect(low.scores.loyaltyScore).toBe(10);
    expect(low.tier?.key).not.toBe('PREMIUM');
    expect(low.tier?.key).toBe('POTENTIAL');
    await expect(rate({ ...full, economicCapacity: 'high' })).resolves.toMatchObject({ tier: { key: 'PREMIUM' } });
    await expect(rate({ ...full, economicCapacity: 'medium' })).resolves.toMatchObject({ tier: { key: 'PREMIUM' } });
    await expect(rate({ ...full })).resolves.toMatchObject({ tier: { key: 'POTENTIAL' } }); // capacity unknown: not premium
  });

  it('scores each item from its sub-criteria: satisfaction 2, maintenance 3, activities 2, word of mouth 3', async () => {
    const score = async (facts: Record<string, unknown>) => (await rate(facts)).scores.loyaltyScore;
    await expect(score({ vehicleComplaint: 'none', staffComplaint: 'none' })).resolves.toBe(2);
    await expect(score({ vehicleComplaint: 'resolved', staffComplaint: 'unresolved' })).resolves.toBe(0.5);
    await expect(score({ servicedOnSchedule: true, repairsAtDealer: true })).resolves.toBe(3);
    await expect(score({ attendsEvents: true, eventComplaint: 'none', bringsBuyers: true, cooperatesWithConsultant: true })).resolves.toBe(2);
    await expect(score({ attendsEvents: true, eventComplaint: 'unresolved' })).resolves.toBe(0.5);
    await expect(score({ referralDeals: 3, passesLeadsFirst: true })).resolves.toBe(3);
    await expect(score({ referralDeals: 0, passesLeadsFirst: true })).resolves.toBe(1.5);
  });

  it('negative publicity about the brand lowers the word-of-mouth item (to 0)', async () => {
    const r = await rate({ ...full, negativePublicity: true, economicCapacity: 'high' });
    expect(r.scores.loyaltyScore).toBe(7);
    expect(r.tier?.key).toBe('POTENTIAL');
  });

  it('grid edges: 8 points premium with medium capacity; 7.5 potential; 5 potential even with low capacity; 4.5 ordinary; 0 points with high capacity potential', async () => {
    const tier = async (facts: Record<string, unknown>) => (await rate(facts)).tier?.key;
    await expect(tier({ ...full, repairsAtDealer: false, vehicleComplaint: 'resolved', staffComplaint: 'resolved', economicCapacity: 'medium' })).resolves.toBe(
      'PREMIUM',
    );
    await expect(
      tier({
        ...full,
        repairsAtDealer: false,
        passesLeadsFirst: false,
        referralDeals: 1,
        vehicleComplaint: 'none',
        economicCapacity: 'high',
        eventComplaint: 'none',
      }),
    ).resolves.toBe('POTENTIAL');
    await expect(
      tier({ vehicleComplaint: 'none', staffComplaint: 'none', servicedOnSchedule: true, repairsAtDealer: true, economicCapacity: 'low' }),
    ).resolves.toBe('POTENTIAL');
    await expect(
      tier({ vehicleComplaint: 'resolved', staffComplaint: 'none', servicedOnSchedule: true, repairsAtDealer: true, economicCapacity: 'medium' }),
    ).resolves.toBe('ORDINARY');
    await expect(tier({ economicCapacity: 'high' })).resolves.toBe('POTENTIAL');
    await expect(tier({})).resolves.toBe('ORDINARY');
  });

  it('states its grid as its choice and the two dimensions as the source', () => {
    const premium = template.versions[0].definition.tiers[0];
    expect(premium.note?.source?.en).toMatch(/loyalty and economic capacity/);
    expect(premium.note?.choice?.en).toMatch(/no cell mapping/);
  });

  it("reports by the source's age cohorts (70后 / 80后 / 90后) and its other dimensions", () => {
    const keys = template.facts.map((f) => f.key);
    for (const k of ['district', 'carModel', 'ageCohort', 'industry', 'economicCapacity']) expect(keys).toContain(k);
    expect(template.facts.find((f) => f.key === 'ageCohort')?.enumValues).toEqual(['小于70后', '70后', '80后', '90后', '其它']);
  });
});
