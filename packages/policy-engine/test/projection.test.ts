import { compileFast, createProjector, projectionText, type FactDefinition, type Facts, type PolicyDefinition, type Projection } from '../src';
import { templateFile } from './support/template-files';

/** A shipped template (its current policy file, apps/api/templates): its definition and catalog facts. */
interface Template {
  definition: PolicyDefinition;
  facts: FactDefinition[];
}
const template = (key: string): Template => {
  const file = templateFile(key);
  return { definition: file.definition, facts: file.catalog.facts };
};
const definitionOf = (t: Template): PolicyDefinition => t.definition;
const cibCardTemplate = template('cib-card');
const dealerLoyaltyTemplate = template('dealer-loyalty');
const govMmsTemplate = template('gov-mms');
const icbcStarTemplate = template('icbc-star');
const insurerIncomeTemplate = template('insurer-income');

const project = (t: Template, facts: Facts): Projection | null => createProjector(definitionOf(t), t.facts)(facts);
const byFact = (p: Projection | null) => Object.fromEntries((p?.options ?? []).map((o) => [o.fact, o]));

/** Every option reported must, applied alone, rate the customer at the projected tier or better. */
function expectOptionsReach(def: PolicyDefinition, facts: FactDefinition[], input: Facts, p: Projection | null): void {
  const fast = compileFast(def, facts);
  for (const o of p?.options.filter((x) => x.kind === 'fact') ?? []) {
    const v =
      o.strict && typeof o.needed === 'number'
        ? o.needed + (typeof o.current === 'number' && o.current > o.needed ? -1e-6 : 1e-6) * Math.max(1, Math.abs(o.needed))
        : o.needed;
    const r = fast({ ...input, [o.fact]: v });
    expect([o.fact, r.eligible && r.tierIndex >= 0 && r.tierIndex < p!.tier.rank]).toEqual([o.fact, true]);
  }
}

describe('projection: the next better tier and each single change that reaches it', () => {
  it('兴业 card: 金卡 with 250,000 personal and 200,000 family → 白金 needs 300,000 personal or 250,000 family', () => {
    const input = { hasValidId: true, avgDailyAssets: 250_000, familyAvgDailyAssets: 200_000 };
    const p = project(cibCardTemplate, input);
    expect(p?.tier).toMatchObject({ key: 'PLATINUM', rank: 2 });
    expect(p?.options).toEqual([
      { fact: 'avgDailyAssets', kind: 'fact', current: 250_000, needed: 300_000 },
      { fact: 'familyAvgDailyAssets', kind: 'fact', current: 200_000, needed: 250_000 },
    ]);
    const def = definitionOf(cibCardTemplate);
    expect(projectionText(p, def, cibCardTemplate.facts, 'zh-CN')[0]).toMatch(/^距主要客户（白金卡）还差.+ 50,000（需达到 300,000）$/);
    expect(projectionText(p, def, cibCardTemplate.facts, 'en')[0]).toMatch(/^Major customer \(Platinum card\): 50,000 more .+ \(needs 300,000\)$/);
    // one below the boundary and exactly at it
    expect(byFact(project(cibCardTemplate, { ...input, avgDailyAssets: 299_999.99 })).avgDailyAssets).toMatchObject({ needed: 300_000 });
    expect(project(cibCardTemplate, { ...input, avgDailyAssets: 300_000 })?.tier.key).toBe('BLACK');
    expectOptionsReach(def, cibCardTemplate.facts, input, p);
  });

  it('at the top there is no next tier; the black card says so in both languages', () => {
    const p = project(cibCardTemplate, { hasValidId: true, avgDailyAssets: 1_000_000 });
    expect(p).toBeNull();
    expect(projectionText(p, definitionOf(cibCardTemplate), cibCardTemplate.facts, 'zh-CN')).toEqual(['已是最高等级']);
  });

  it('strict thresholds: 富裕以上 needs more than 200,000 (200,000 itself is not enough)', () => {
    const p = project(insurerIncomeTemplate, { householdAnnualIncome: 150_000 });
    expect(p?.tier.key).toBe('AFFLUENT_PLUS');
    expect(p?.options).toEqual([{ fact: 'householdAnnualIncome', kind: 'fact', current: 150_000, needed: 200_000, strict: true }]);
    expect(projectionText(p, definitionOf(insurerIncomeTemplate), insurerIncomeTemplate.facts, 'zh-CN')[0]).toContain('50,000（需超过 200,000）');
  });

  it('scores: how many more points, and the input that alone would give them (government A needs 90 points)', () => {
    const eligible = {
      govCustomerRole: 'endUser',
      mmsCanCloseThisYear: true,
      mmsProductNeed: true,
      mmsBudgetFits: true,
      mmsTimetable: true,
      mmsDecisionMakersKnown: true,
    };
    // history 500,000 → 70, forecast 4,000,000 → 80 (the template's step tables), margin met: 75 → B
    const input = { ...eligible, mmsHistorySales: 500_000, mmsForecastSales: 4_000_000, mmsMarginPct: 12 };
    const p = project(govMmsTemplate, input);
    expect(p?.tier.key).toBe('A');
    const o = byFact(p);
    expect(o.govScore).toEqual({ fact: 'govScore', kind: 'score', current: 75, needed: 90 });
    // 1,000,000 of history sales (the next band, 100 points) alone reaches 90; no forecast amount alone does (100 → 85)
    expect(o.mmsHistorySales).toMatchObject({ current: 500_000, needed: 1_000_000 });
    expect(o.mmsForecastSales).toBeUndefined();
    expect(projectionText(p, definitionOf(govMmsTemplate), govMmsTemplate.facts, 'zh-CN')).toContainEqual(
      expect.stringMatching(/^距A 级客户还差.+ 15 分（需达到 90）$/),
    );
    expectOptionsReach(definitionOf(govMmsTemplate), govMmsTemplate.facts, input, p);
    // not eligible: the next tier is the lowest, reached by meeting the missing criterion
    const out = project(govMmsTemplate, { ...input, mmsProductNeed: false });
    expect(out?.tier.key).toBe('D');
    expect(out?.options).toEqual([{ fact: 'mmsProductNeed', kind: 'fact', current: false, needed: true }]);
  });

  it('points scorecard × capacity (dealer): the points 优质 needs, the item that adds them, and the capacity it needs', () => {
    const def = definitionOf(dealerLoyaltyTemplate);
    const input = { economicCapacity: 'high', vehicleComplaint: 'none', staffComplaint: 'none', servicedOnSchedule: true, repairsAtDealer: true };
    const p = project(dealerLoyaltyTemplate, input); // 1 + 1 + 2 + 1 = 5 → 潜力
    expect(p?.tier.key).toBe('PREMIUM');
    expect(byFact(p).loyaltyScore).toEqual({ fact: 'loyaltyScore', kind: 'score', current: 5, needed: 8 });
    expectOptionsReach(def, dealerLoyaltyTemplate.facts, input, p);
    // enough points but low capacity: capacity is the single change
    const rich = { ...input, attendsEvents: true, bringsBuyers: true, cooperatesWithConsultant: true, passesLeadsFirst: true, economicCapacity: 'low' };
    const q = project(dealerLoyaltyTemplate, rich);
    expect(q?.tier.key).toBe('PREMIUM');
    expect(q?.options.filter((o) => o.fact === 'economicCapacity').map((o) => o.needed)).toEqual(expect.arrayContaining(['high', 'medium']));
    expectOptionsReach(def, dealerLoyaltyTemplate.facts, rich, q);
  });

  it('ICBC star points as the bank supplies them: 1,999 points → 五星 needs 2,000', () => {
    const p = project(icbcStarTemplate, { starPoints: 1_999 });
    expect(p?.tier.key).toBe('FIVE');
    expect(byFact(p).starPoints).toEqual({ fact: 'starPoints', kind: 'fact', current: 1_999, needed: 2_000 });
    expectOptionsReach(definitionOf(icbcStarTemplate), icbcStarTemplate.facts, { starPoints: 1_999 }, p);
  });

  const facts: FactDefinition[] = [
    { key: 'assets', label: '资产', labelEn: 'Assets', type: 'number' },
    { key: 'sales', label: '销售额', labelEn: 'Sales', type: 'number' },
    { key: 'target', label: '目标', labelEn: 'Target', type: 'number' },
    { key: 'region', label: '地区', labelEn: 'Region', type: 'enum', enumValues: ['north', 'south', 'east'] },
  ];

  it('`not`, all and any: excluded values, and "none" where no single change suffices', () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        {
          key: 'TOP',
          name: '顶级',
          when: {
            all: [{ fact: 'assets', operator: 'greaterThanInclusive', value: 100 }, { not: { all: [{ fact: 'region', operator: 'equal', value: 'north' }] } }],
          },
        },
        { key: 'BASE', name: '基础' },
      ],
    };
    const ladder = createProjector(def, facts);
    expect(ladder({ assets: 200, region: 'north' })?.options).toEqual([
      { fact: 'region', kind: 'fact', current: 'north', needed: 'south' },
      { fact: 'region', kind: 'fact', current: 'north', needed: 'east' },
    ]);
    // two conditions unmet: no single change reaches it
    const none = ladder({ assets: 50, region: 'north' });
    expect(none).toEqual({ tier: { key: 'TOP', name: '顶级', rank: 1 }, options: [] });
    expect(projectionText(none, def, facts, 'zh-CN')).toEqual(['距顶级：没有单一条件的改变即可达到']);
    expect(projectionText(none, def, facts, 'en')).toEqual(['顶级: no single change reaches it']);
    // a lessThan condition: lowering the value
    const low: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        { key: 'LOW', name: '低风险', when: { all: [{ fact: 'assets', operator: 'lessThanInclusive', value: 10 }] } },
        { key: 'HIGH', name: '高' },
      ],
    };
    const down = createProjector(low, facts)({ assets: 40 });
    expect(down?.options).toEqual([{ fact: 'assets', kind: 'fact', current: 40, needed: 10 }]);
    expect(projectionText(down, low, facts, 'zh-CN')).toEqual(['距低风险需资产降至 10（现为 40）']);
  });

  it('fact-vs-fact comparisons: sales above target needs more sales or a lower target', () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        { key: 'HIT', name: '达标', when: { all: [{ fact: 'sales', operator: 'greaterThan', value: { fact: 'target' } }] } },
        { key: 'MISS', name: '未达标' },
      ],
    };
    const p = createProjector(def, facts)({ sales: 80, target: 100 });
    expect(p?.options).toEqual([
      { fact: 'sales', kind: 'fact', current: 80, needed: 100, strict: true },
      { fact: 'target', kind: 'fact', current: 100, needed: 80, strict: true },
    ]);
    expect(projectionText(p, def, facts, 'en')).toEqual(['达标: 20 more Sales (needs above 100)', '达标: Target down to below 80 (now 100)']);
  });

  it('computed facts: a share of total sales above 70% needs 700,000 of 1,000,000 (strictly more)', () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      computed: { share: { label: '占比', expr: { div: [{ fact: 'sales' }, { fact: 'target' }] } } },
      tiers: [
        { key: 'A', name: 'A', when: { all: [{ fact: 'share', operator: 'greaterThan', value: 0.7 }] } },
        { key: 'C', name: 'C' },
      ],
    };
    const p = createProjector(def, facts)({ sales: 500_000, target: 1_000_000 });
    expect(byFact(p).sales).toEqual({ fact: 'sales', kind: 'fact', current: 500_000, needed: 700_000, strict: true });
    expectOptionsReach(def, facts, { sales: 500_000, target: 1_000_000 }, p);
  });

  it('every option reported reaches the tier, for random card customers', () => {
    const def = definitionOf(cibCardTemplate);
    const projector = createProjector(def, cibCardTemplate.facts);
    for (let i = 0; i < 300; i++) {
      const input = { hasValidId: i % 7 !== 0, avgDailyAssets: (i * 7919) % 1_200_000, familyAvgDailyAssets: (i * 104_729) % 900_000 };
      expectOptionsReach(def, cibCardTemplate.facts, input, projector(input));
    }
  });
});
