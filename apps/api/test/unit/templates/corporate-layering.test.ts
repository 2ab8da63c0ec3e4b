/** Corporate customers: classification, then layering inside the class. */
import { corporateLayeringTemplate as template } from './support';
import { evaluate, tierOf } from './support';

const traditional = (facts: Record<string, unknown>) =>
  tierOf(template, {
    hasLoans: true,
    customerClass: 'corporate',
    corporateSegment: 'traditional',
    onStrategicList: false,
    reducedLargeThresholdIndustry: false,
    totalAssets: 1_000_000_000,
    ...facts,
  });

describe('corporate-layering', () => {
  it('a strategic-list member is strategic whatever its revenue (even low)', async () => {
    await expect(traditional({ onStrategicList: true, annualRevenue: 1_000_000, totalAssets: 1_000_000 })).resolves.toBe('STRATEGIC');
    await expect(traditional({ onStrategicList: true, annualRevenue: 0, totalAssets: 0 })).resolves.toBe('STRATEGIC');
    await expect(traditional({ onStrategicList: true, annualRevenue: 900_000_000 })).resolves.toBe('STRATEGIC');
    // the same low-revenue company off the list is small
    await expect(traditional({ onStrategicList: false, annualRevenue: 1_000_000, totalAssets: 1_000_000 })).resolves.toBe('SMALL');
  });

  it('large = revenue ≥ 300,000,000 (inclusive) in ordinary industries', async () => {
    await expect(traditional({ annualRevenue: 300_000_000 })).resolves.toBe('LARGE');
    await expect(traditional({ annualRevenue: 299_999_999.99 })).resolves.toBe('MEDIUM');
    await expect(traditional({ annualRevenue: 150_000_000 })).resolves.toBe('MEDIUM');
  });

  it('large = revenue ≥ 150,000,000 (inclusive) in the reduced-threshold industries', async () => {
    await expect(traditional({ reducedLargeThresholdIndustry: true, annualRevenue: 150_000_000 })).resolves.toBe('LARGE');
    await expect(traditional({ reducedLargeThresholdIndustry: true, annualRevenue: 149_999_999.99 })).resolves.toBe('MEDIUM');
    await expect(traditional({ reducedLargeThresholdIndustry: true, annualRevenue: 300_000_000 })).resolves.toBe('LARGE');
  });

  it('3亿 vs 1.5亿: the same revenue is large in one industry and medium in another', async () => {
    await expect(traditional({ reducedLargeThresholdIndustry: true, annualRevenue: 200_000_000 })).resolves.toBe('LARGE');
    await expect(traditional({ reducedLargeThresholdIndustry: false, annualRevenue: 200_000_000 })).resolves.toBe('MEDIUM');
  });

  it('medium needs revenue AND total assets strictly above the small-enterprise standard (30,000,000 / 40,000,000, numbers our choice)', async () => {
    // "exceeds" the small-enterprise standard is strict: exactly at it is small
    await expect(traditional({ annualRevenue: 30_000_000, totalAssets: 40_000_000 })).resolves.toBe('SMALL');
    await expect(traditional({ annualRevenue: 30_000_000.01, totalAssets: 40_000_000.01 })).resolves.toBe('MEDIUM');
    await expect(traditional({ annualRevenue: 30_000_000.01, totalAssets: 40_000_000 })).resolves.toBe('SMALL');
    await expect(traditional({ annualRevenue: 30_000_000, totalAssets: 40_000_000.01 })).resolves.toBe('SMALL');
    await expect(traditional({ annualRevenue: 250_000_000, totalAssets: 10_000_000 })).resolves.toBe('SMALL');
    await expect(traditional({ annualRevenue: 0, totalAssets: 0 })).resolves.toBe('SMALL');
    const medium = template.versions[0].definition.tiers.find((t) => t.key === 'MEDIUM');
    const standard = template.versions[0].definition.notes?.conditions?.aboveSmallEnterprise;
    expect(JSON.stringify([medium?.note, standard])).toMatch(/choice/);
  });

  it('classifies emerging-market, real-estate and institutional customers with loans as their own classes', async () => {
    const base = { hasLoans: true, customerClass: 'corporate', annualRevenue: 900_000_000, totalAssets: 900_000_000 };
    await expect(tierOf(template, { ...base, corporateSegment: 'emerging' })).resolves.toBe('EMERGING');
    await expect(tierOf(template, { ...base, corporateSegment: 'realEstate' })).resolves.toBe('REAL_ESTATE');
    // the strategic list layers traditional corporates only (as in the source)
    await expect(tierOf(template, { ...base, corporateSegment: 'realEstate', onStrategicList: true })).resolves.toBe('REAL_ESTATE');
    await expect(tierOf(template, { hasLoans: true, customerClass: 'institutional', onStrategicList: true })).resolves.toBe('INSTITUTIONAL');
  });

  it('without loans: above scale from average daily deposits of exactly 500,000; 499,999.99 is below', async () => {
    const corporate = { hasLoans: false, customerClass: 'corporate' };
    await expect(tierOf(template, { ...corporate, avgDailyDeposits: 500_000 })).resolves.toBe('ABOVE_SCALE');
    await expect(tierOf(template, { ...corporate, avgDailyDeposits: 499_999.99 })).resolves.toBe('BELOW_SCALE');
    await expect(tierOf(template, corporate)).resolves.toBe('BELOW_SCALE');
    // without loans the class comes first: a customer of no class is not rated
    await expect(tierOf(template, { hasLoans: false, avgDailyDeposits: 500_000 })).resolves.toBeNull();
    // revenue and the strategic list do not layer customers without loans
    await expect(
      tierOf(template, {
        hasLoans: false,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: true,
        annualRevenue: 900_000_000,
        avgDailyDeposits: 10,
      }),
    ).resolves.toBe('BELOW_SCALE');
    // deposits do not layer customers with loans
    await expect(traditional({ annualRevenue: 1_000_000, totalAssets: 1_000_000, avgDailyDeposits: 9_000_000 })).resolves.toBe('SMALL');
  });

  it('an institutional customer without loans is its own class, not layered by deposits', async () => {
    for (const avgDailyDeposits of [0, 499_999.99, 500_000, 50_000_000, undefined]) {
      await expect(tierOf(template, { hasLoans: false, customerClass: 'institutional', avgDailyDeposits })).resolves.toBe('INSTITUTIONAL_NO_LOANS');
    }
    const tier = template.versions[0].definition.tiers.find((t) => t.key === 'INSTITUTIONAL_NO_LOANS');
    expect(tier?.note?.source?.en).toMatch(/own class/);
  });

  it('does not rate customers whose classification facts are incomplete', async () => {
    for (const facts of [
      {},
      { avgDailyDeposits: 1_000_000 },
      { hasLoans: true },
      { hasLoans: true, customerClass: 'corporate' },
      { hasLoans: true, corporateSegment: 'traditional', annualRevenue: 900_000_000 },
    ]) {
      await expect(evaluate(template, facts)).resolves.toMatchObject({ eligible: false, tier: null });
    }
  });

  it('uses named conditions for the class and the layers', () => {
    const def = template.versions[0].definition;
    expect(Object.keys(def.conditions ?? {})).toEqual(['traditionalCorporate', 'largeRevenue', 'aboveSmallEnterprise']);
    expect(JSON.stringify(def.tiers[1].when)).toContain('"condition":"largeRevenue"');
  });
});
