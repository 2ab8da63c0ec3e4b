/** ICBC star levels: six classes on the star points the bank supplies, lower bounds inclusive, 0 → not rated; two versions around 2021-05-01. */
import { benefitNamesOfTier, definitionOf, evaluate, icbcStarTemplate, tierOf } from './support';

const V1 = 0;
const V2 = 1;

describe('icbc-star', () => {
  // [level, lower bound in points (含), the level just below]
  const levels = [
    ['SEVEN', 80_000, 'SIX'],
    ['SIX', 10_000, 'FIVE'],
    ['FIVE', 2_000, 'FOUR'],
    ['FOUR', 500, 'THREE'],
    ['THREE', 50, 'QUASI'],
  ] as const;

  it.each(levels)('%s from exactly %d star points (inclusive); 0.01 below is %s — in both versions', async (level, points, below) => {
    for (const version of [V1, V2]) {
      await expect(tierOf(icbcStarTemplate, { starPoints: points }, version)).resolves.toBe(level);
      await expect(tierOf(icbcStarTemplate, { starPoints: points - 0.01 }, version)).resolves.toBe(below);
    }
  });

  it("80,000 star points is 七星 (the source's own statement); 0 or missing points are not rated", async () => {
    const r = await evaluate(icbcStarTemplate, { starPoints: 80_000 });
    expect(r.tier).toMatchObject({ key: 'SEVEN', name: '七星级' });
    await expect(evaluate(icbcStarTemplate, { starPoints: 0 })).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(evaluate(icbcStarTemplate, {})).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(tierOf(icbcStarTemplate, { starPoints: 0.01 })).resolves.toBe('QUASI');
  });

  it('has the six classes of the source, high to low, and rates on supplied star points (no conversion from assets)', () => {
    for (const version of [V1, V2]) {
      const d = definitionOf(icbcStarTemplate, version);
      expect(d.tiers.map((t) => t.name)).toEqual(['七星级', '六星级', '五星级', '四星级', '三星级', '准星级']);
      expect(d.scores ?? []).toEqual([]);
    }
    expect(icbcStarTemplate.facts.map((f) => f.key)).toEqual(['starPoints']);
    // assets alone give no star level
    return expect(tierOf(icbcStarTemplate, { prevMonthAvgDailyAssets: 8_000_000 })).resolves.toBeNull();
  });

  it('ships two versions, the second from 2021-05-01 (+08:00), with the same thresholds', () => {
    expect(icbcStarTemplate.versions).toHaveLength(2);
    expect(icbcStarTemplate.versions[V2].effectiveFrom).toBe('2021-05-01T00:00:00+08:00');
    expect(definitionOf(icbcStarTemplate, V1).tiers).toEqual(definitionOf(icbcStarTemplate, V2).tiers);
    expect(icbcStarTemplate.versions[V2].changeNote).toMatch(/region by region/);
  });

  it("marks the three-star and quasi-star bounds and the 六专 placement as the template's choice", () => {
    const d = definitionOf(icbcStarTemplate);
    const note = (key: string) => d.tiers.find((t) => t.key === key)?.note;
    expect(note('THREE')?.choice?.en).toMatch(/≥ 50/);
    expect(note('QUASI')?.choice?.zh).toMatch(/准星级/);
    expect(note('FIVE')?.source?.en).toMatch(/wealth account/);
    expect(note('FIVE')?.choice?.en).toMatch(/six services/);
    expect(note('FOUR')?.choice).toBeUndefined();
  });

  it('gives five stars and above the six 六专 wealth-account benefits and the gold credit card, and nothing of that below', () => {
    const wealth = ['专属贵宾通道', '专享费用优惠', '专家理财服务', '专供理财产品', '专业账户管理', '专有精彩活动', '可申请信用卡金卡'];
    for (const level of ['SEVEN', 'SIX', 'FIVE']) expect(benefitNamesOfTier(icbcStarTemplate, level)).toEqual(wealth);
    for (const level of ['FOUR', 'THREE', 'QUASI']) expect(benefitNamesOfTier(icbcStarTemplate, level).some((n) => wealth.includes(n))).toBe(false);
  });
});
