/** ICBC star levels: thresholds in star points, 0 → not rated, and the 2021-05-01 version change. */
import { icbcStarTemplate } from './support';
import { benefitNamesOfTier, definitionOf, evaluate, tierOf } from './support';

const V1 = 0;
const V2 = 1;
/** Facts giving `points` star points in version 2 (1 point per 100 CNY of last month's average daily assets). */
const v2 = (assets: number) => ({ prevMonthAvgDailyAssets: assets });
const v1 = (volume: number) => ({ businessVolume6m: volume });

describe('icbc-star', () => {
  // [level, lower bound in points, the level one cent (0.0001 points) below]
  const levels = [
    ['SEVEN', 80_000, 'SIX'],
    ['SIX', 10_000, 'FIVE'],
    ['FIVE', 2_000, 'FOUR'],
    ['FOUR', 500, 'THREE'],
    ['THREE', 50, 'QUASI'],
  ] as const;

  it.each(levels)('%s from exactly %d star points (inclusive); one cent below is %s', async (level, points, below) => {
    for (const [version, facts] of [
      [V2, v2],
      [V1, v1],
    ] as const) {
      const exact = await evaluate(icbcStarTemplate, facts(points * 100), version);
      expect(exact.scores.starPoints).toBe(points);
      expect(exact.tier?.key).toBe(level);
      const justBelow = await evaluate(icbcStarTemplate, facts(points * 100 - 0.01), version);
      expect(justBelow.scores.starPoints).toBeLessThan(points);
      expect(justBelow.tier?.key).toBe(below);
    }
  });

  it('star points 0 → not rated at all; anything above 0 is at least quasi-star', async () => {
    for (const version of [V1, V2]) {
      const zero = await evaluate(icbcStarTemplate, { businessVolume6m: 0, prevMonthAvgDailyAssets: 0 }, version);
      expect(zero).toMatchObject({ eligible: false, tier: null, scores: { starPoints: 0 } });
      const missing = await evaluate(icbcStarTemplate, {}, version);
      expect(missing).toMatchObject({ eligible: false, tier: null });
    }
    await expect(tierOf(icbcStarTemplate, v2(0.01), V2)).resolves.toBe('QUASI');
    await expect(tierOf(icbcStarTemplate, v2(4_999.99), V2)).resolves.toBe('QUASI');
    await expect(tierOf(icbcStarTemplate, v2(1e10), V2)).resolves.toBe('SEVEN');
  });

  it('ships two versions, oldest first, the second effective from 2021-05-01 (Beijing time)', () => {
    expect(icbcStarTemplate.versions).toHaveLength(2);
    expect(icbcStarTemplate.versions[V2].effectiveFrom).toBe('2021-05-01T00:00:00+08:00');
    expect(Date.parse(icbcStarTemplate.versions[V1].effectiveFrom ?? '')).toBeLessThan(Date.parse('2021-05-01T00:00:00+08:00'));
    expect(icbcStarTemplate.versions[V2].changeNote).toMatch(/previous month's average daily financial assets/);
    expect(icbcStarTemplate.versions[V2].changeNote).toMatch(/上月日均金融资产/);
  });

  it("rates on six months' business volume before 2021-05-01 and on last month's average daily assets from then on", async () => {
    const customer = { businessVolume6m: 8_000_000, prevMonthAvgDailyAssets: 150_000 };
    await expect(tierOf(icbcStarTemplate, customer, V1)).resolves.toBe('SEVEN');
    await expect(tierOf(icbcStarTemplate, customer, V2)).resolves.toBe('FOUR');
    // version 1 ignores last month's assets, version 2 ignores the business volume
    await expect(tierOf(icbcStarTemplate, { prevMonthAvgDailyAssets: 8_000_000 }, V1)).resolves.toBeNull();
    await expect(tierOf(icbcStarTemplate, { businessVolume6m: 8_000_000 }, V2)).resolves.toBeNull();
    const weightedFacts = (i: number) =>
      (definitionOf(icbcStarTemplate, i).scores ?? []).flatMap((s) => s.components.map((c) => ('fact' in c ? c.fact : null)));
    expect(weightedFacts(V1)).toEqual(['businessVolume6m']);
    expect(weightedFacts(V2)).toEqual(['prevMonthAvgDailyAssets']);
  });

  it('keeps the level thresholds identical across the two versions', () => {
    expect(definitionOf(icbcStarTemplate, V1).tiers).toEqual(definitionOf(icbcStarTemplate, V2).tiers);
    expect(definitionOf(icbcStarTemplate, V1).tiers).not.toBe(definitionOf(icbcStarTemplate, V2).tiers);
    expect(definitionOf(icbcStarTemplate, V2).eligibility).toEqual({
      all: [{ fact: 'starPoints', operator: 'greaterThan', value: 0 }],
    });
  });

  it('gives five stars and above the six 六专 benefits and the gold credit card, and nothing of that below', () => {
    const wealth = ['专属贵宾通道', '专享费用优惠', '专家理财服务', '专供理财产品', '专业账户管理', '专有精彩活动', '可申请信用卡金卡'];
    for (const level of ['SEVEN', 'SIX', 'FIVE']) expect(benefitNamesOfTier(icbcStarTemplate, level)).toEqual(wealth);
    for (const level of ['FOUR', 'THREE', 'QUASI']) {
      const names = benefitNamesOfTier(icbcStarTemplate, level);
      expect(names.some((n) => wealth.includes(n))).toBe(false);
    }
  });

  it('documents the chosen lower bounds for three-star and quasi-star', () => {
    expect(icbcStarTemplate.description).toMatch(/three-star ≥ 50 and quasi-star > 0/);
  });
});
