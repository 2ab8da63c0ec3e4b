/** Insurer household income layers and fund investor risk tolerance (suitability). */
import { definitionOf, fundRiskTemplate, insurerIncomeTemplate } from './support';
import { benefitsOfTier, evaluate, tierOf } from './support';

describe('insurer-income', () => {
  const income = (householdAnnualIncome: number) => tierOf(insurerIncomeTemplate, { householdAnnualIncome });

  it('affluent+ only above 200,000 (the source says ">"): exactly 200,000 is mass affluent', async () => {
    await expect(income(200_000.01)).resolves.toBe('AFFLUENT_PLUS');
    await expect(income(200_000)).resolves.toBe('MASS_AFFLUENT');
    await expect(income(10_000_000)).resolves.toBe('AFFLUENT_PLUS');
  });

  it('mass affluent from exactly 100,000 (our choice: inclusive); 99,999.99 is mass', async () => {
    await expect(income(100_000)).resolves.toBe('MASS_AFFLUENT');
    await expect(income(99_999.99)).resolves.toBe('MASS');
  });

  it('lower mass below 35,000 (the source says "<"): exactly 35,000 is mass', async () => {
    await expect(income(35_000)).resolves.toBe('MASS');
    await expect(income(34_999.99)).resolves.toBe('LOWER_MASS');
    await expect(income(0)).resolves.toBe('LOWER_MASS');
  });

  it('does not rate a household without an income figure', async () => {
    await expect(evaluate(insurerIncomeTemplate, {})).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(evaluate(insurerIncomeTemplate, { householdAnnualIncome: -1 })).resolves.toMatchObject({ eligible: false, tier: null });
  });

  it('explains the mixed > / ≥ in its description', () => {
    expect(insurerIncomeTemplate.description).toMatch(/exactly 200,000 is mass affluent/);
    expect(insurerIncomeTemplate.description).toMatch(/deliberate/);
    expect(insurerIncomeTemplate.description).toMatch(/expected inconsistent-boundary warning/);
  });
});

describe('fund-risk', () => {
  const score = (riskAssessmentScore: number) => tierOf(fundRiskTemplate, { riskAssessmentScore });

  it.each([
    [100, 'AGGRESSIVE'],
    [70, 'AGGRESSIVE'],
    [69, 'BALANCED'],
    [40, 'BALANCED'],
    [39, 'CONSERVATIVE'],
    [0, 'CONSERVATIVE'],
  ] as const)('score %d → %s', async (s, tier) => {
    await expect(score(s)).resolves.toBe(tier);
  });

  it('does not rate an investor without an assessment (nothing may be sold)', async () => {
    await expect(evaluate(fundRiskTemplate, {})).resolves.toMatchObject({ eligible: false, tier: null });
  });

  it('suitability: a conservative investor may buy a bond fund (the source), stock funds only for aggressive investors', async () => {
    await expect(tierOf(fundRiskTemplate, { riskAssessmentScore: 10 })).resolves.toBe('CONSERVATIVE');
    expect(benefitsOfTier(fundRiskTemplate, 'CONSERVATIVE')).toContain('fund-bond-funds');
    expect(benefitsOfTier(fundRiskTemplate, 'CONSERVATIVE')).not.toContain('fund-stock-funds');
    expect(benefitsOfTier(fundRiskTemplate, 'AGGRESSIVE')).toEqual(expect.arrayContaining(['fund-bond-funds', 'fund-mixed-funds', 'fund-stock-funds']));
    expect(benefitsOfTier(fundRiskTemplate, 'BALANCED')).toEqual(expect.arrayContaining(['fund-bond-funds', 'fund-mixed-funds']));
    expect(benefitsOfTier(fundRiskTemplate, 'BALANCED')).not.toContain('fund-stock-funds');
    expect(fundRiskTemplate.benefits.find((b) => b.key === 'fund-bond-funds')?.description).toMatch(/bond funds suit conservative investors/);
    expect(fundRiskTemplate.description).toMatch(/suitability/i);
    expect(fundRiskTemplate.description).toMatch(/防止错误销售/);
  });

  it('marks the score bounds as its choice (the source gives no scores), the bond-fund rule as the source', () => {
    const [aggressive, balanced, conservative] = definitionOf(fundRiskTemplate).tiers;
    expect(aggressive.note?.choice?.en).toMatch(/≥ 70 is this template's choice/);
    expect(balanced.note?.choice?.en).toMatch(/≥ 40/);
    expect(conservative.note?.source?.en).toMatch(/bond funds suit conservative investors/);
  });
});
