/** CIB: the card tiers (personal or family assets), the six-step asset ladder and the five-step revenue ladder. */
import { cibAssetLadderTemplate, cibCardTemplate, cibCorporateRevenueTemplate } from './support';
import { benefitNamesOfTier, evaluate, tierOf } from './support';

const card = (facts: Record<string, unknown>) => tierOf(cibCardTemplate, { hasValidId: true, ...facts });

describe('cib-card', () => {
  // [tier, personal threshold, family threshold, tier one cent below]
  const ladder = [
    ['BLACK', 1_000_000, 800_000, 'PLATINUM'],
    ['PLATINUM', 300_000, 250_000, 'GOLD'],
    ['GOLD', 100_000, 80_000, 'SILVER'],
  ] as const;

  it.each(ladder)('%s: personal assets exactly %d qualify, one cent below does not', async (tier, personal, _family, below) => {
    await expect(card({ avgDailyAssets: personal })).resolves.toBe(tier);
    await expect(card({ avgDailyAssets: personal - 0.01 })).resolves.toBe(below);
    await expect(card({ avgDailyAssets: personal, familyAvgDailyAssets: 0 })).resolves.toBe(tier);
  });

  it.each(ladder)('%s: family average exactly its threshold qualifies, one cent below does not', async (tier, _p, family, below) => {
    await expect(card({ avgDailyAssets: 0, familyAvgDailyAssets: family })).resolves.toBe(tier);
    await expect(card({ avgDailyAssets: 0, familyAvgDailyAssets: family - 0.01 })).resolves.toBe(below);
    await expect(card({ familyAvgDailyAssets: family })).resolves.toBe(tier);
  });

  it('personal vs family assets: either one reaching its threshold is enough, the highest tier wins', async () => {
    await expect(card({ avgDailyAssets: 999_999.99, familyAvgDailyAssets: 799_999.99 })).resolves.toBe('PLATINUM');
    await expect(card({ avgDailyAssets: 999_999.99, familyAvgDailyAssets: 800_000 })).resolves.toBe('BLACK');
    await expect(card({ avgDailyAssets: 1_000_000, familyAvgDailyAssets: 10 })).resolves.toBe('BLACK');
    // 900,000 of family average is not 1,000,000 of personal assets but is ≥ 800,000 → black
    await expect(card({ avgDailyAssets: 200_000, familyAvgDailyAssets: 900_000 })).resolves.toBe('BLACK');
    // 900,000 personal is below the personal black threshold even though it is above the family one
    await expect(card({ avgDailyAssets: 900_000 })).resolves.toBe('PLATINUM');
    await expect(card({ avgDailyAssets: 50_000, familyAvgDailyAssets: 260_000 })).resolves.toBe('PLATINUM');
  });

  it('a valid ID gates only the Silver card: 1,000,000 of assets with no ID flag is 黑金', async () => {
    await expect(card({})).resolves.toBe('SILVER');
    await expect(card({ avgDailyAssets: 0 })).resolves.toBe('SILVER');
    const noFlag = await evaluate(cibCardTemplate, { avgDailyAssets: 1_000_000 });
    expect(noFlag.tier).toMatchObject({ key: 'BLACK', name: '重要客户（黑金卡）' });
    await expect(tierOf(cibCardTemplate, { hasValidId: false, avgDailyAssets: 300_000 })).resolves.toBe('PLATINUM');
    await expect(tierOf(cibCardTemplate, { hasValidId: false, familyAvgDailyAssets: 80_000 })).resolves.toBe('GOLD');
    // below Gold, the Silver card needs the valid ID: without it, not rated (our choice, marked)
    await expect(tierOf(cibCardTemplate, { hasValidId: false, avgDailyAssets: 99_999.99 })).resolves.toBeNull();
    await expect(tierOf(cibCardTemplate, { avgDailyAssets: 99_999.99 })).resolves.toBeNull();
    const silver = cibCardTemplate.versions[0].definition.tiers[3];
    expect(silver.note?.source?.zh).toMatch(/有效身份证件/);
    expect(silver.note?.choice?.en).toMatch(/not rated/);
    expect(cibCardTemplate.versions[0].definition.eligibility).toBeUndefined();
  });

  it('returns the tier with its rank and benefit package, and traces the deciding values', async () => {
    const r = await evaluate(cibCardTemplate, { hasValidId: true, avgDailyAssets: 1_000_000 });
    expect(r.tier).toMatchObject({ key: 'BLACK', rank: 1, name: '重要客户（黑金卡）', benefitPackage: 'cib-black' });
    expect(JSON.stringify(r.trace)).toContain('1000000');
  });

  it('hands out every benefit the source lists per card', () => {
    expect(benefitNamesOfTier(cibCardTemplate, 'BLACK')).toEqual([
      '家庭理财顾问',
      '时尚高尔夫行',
      '机场贵宾服务',
      '全国道路救援',
      '免费精灵信使',
      '绿色通道服务',
      '贴心人文关怀',
      '附赠商旅保险',
      '应急支付支持',
    ]);
    expect(benefitNamesOfTier(cibCardTemplate, 'PLATINUM')).toEqual([
      '专属客户经理',
      '绿色通道服务',
      '白金卡尊贵礼遇',
      '附赠商旅保险',
      '时尚高尔夫行',
      '免费精灵信使',
      '机场贵宾服务',
    ]);
    expect(benefitNamesOfTier(cibCardTemplate, 'GOLD')).toEqual(['专属客户经理', '免费精灵信使', '贴心人文关怀', '各项贴心提醒服务', '业务优先办理']);
    expect(benefitNamesOfTier(cibCardTemplate, 'SILVER')).toEqual(['基础服务']);
  });

  it('says in its description that lower bounds are inclusive', () => {
    expect(cibCardTemplate.description).toMatch(/lower bound/);
    expect(cibCardTemplate.description).toMatch(/999,999\.99/);
  });
});

describe('cib-asset-ladder (lower bound inclusive)', () => {
  const steps = [
    ['L6', 10_000_000, 'L5'],
    ['L5', 5_000_000, 'L4'],
    ['L4', 1_000_000, 'L3'],
    ['L3', 500_000, 'L2'],
    ['L2', 10_000, 'L1'],
  ] as const;

  it.each(steps)('%s starts at exactly %d; one cent below is %s', async (step, bound, below) => {
    await expect(tierOf(cibAssetLadderTemplate, { avgDailyAssets: bound })).resolves.toBe(step);
    await expect(tierOf(cibAssetLadderTemplate, { avgDailyAssets: bound - 0.01 })).resolves.toBe(below);
  });

  it('puts 0 and tiny balances in step 1, very large ones in step 6', async () => {
    await expect(tierOf(cibAssetLadderTemplate, { avgDailyAssets: 0 })).resolves.toBe('L1');
    await expect(tierOf(cibAssetLadderTemplate, { avgDailyAssets: 0.01 })).resolves.toBe('L1');
    await expect(tierOf(cibAssetLadderTemplate, { avgDailyAssets: 1e12 })).resolves.toBe('L6');
  });

  it('does not rate customers without asset data or with a negative value', async () => {
    await expect(evaluate(cibAssetLadderTemplate, {})).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(evaluate(cibAssetLadderTemplate, { avgDailyAssets: -0.01 })).resolves.toMatchObject({ eligible: false, tier: null });
  });

  it('states the inclusivity choice in its description', () => {
    expect(cibAssetLadderTemplate.description).toMatch(/LOWER bound inclusive/);
    expect(cibAssetLadderTemplate.description).toMatch(/含下限、不含上限/);
  });
});

describe('cib-corporate-revenue (lower bound inclusive)', () => {
  const steps = [
    ['C5', 100_000_000, 'C4'],
    ['C4', 50_000_000, 'C3'],
    ['C3', 10_000_000, 'C2'],
    ['C2', 1_000_000, 'C1'],
  ] as const;

  it.each(steps)('%s starts at exactly %d; one cent below is %s', async (step, bound, below) => {
    await expect(tierOf(cibCorporateRevenueTemplate, { annualRevenue: bound })).resolves.toBe(step);
    await expect(tierOf(cibCorporateRevenueTemplate, { annualRevenue: bound - 0.01 })).resolves.toBe(below);
  });

  it('puts zero revenue in step 1 and does not rate missing revenue', async () => {
    await expect(tierOf(cibCorporateRevenueTemplate, { annualRevenue: 0 })).resolves.toBe('C1');
    await expect(evaluate(cibCorporateRevenueTemplate, {})).resolves.toMatchObject({ eligible: false, tier: null });
  });

  it('states the inclusivity choice in its description', () => {
    expect(cibCorporateRevenueTemplate.description).toMatch(/LOWER bound inclusive/);
  });
});
