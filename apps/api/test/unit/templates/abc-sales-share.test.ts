/**
 * ABC by a customer's share of total sales (tiering-schemes.md §6): A above 70%, B 30–70%, C below 30%;
 * the share computed by the policy (customer sales × 100 ÷ total sales), its boundaries our choice.
 */
import { compileFast, explain } from '@tierwise/policy-engine';
import { definitionOf, evaluate, template } from './support';

const abc = template('abc-sales-share');
const rate = (customerSales: number | undefined, totalSales: number | undefined = 1_000_000) => evaluate(abc, { customerSales, totalSales });

describe('abc-sales-share', () => {
  it('computes the share from the two amounts: A above 70%, B from 30% to 70%, C below 30%', async () => {
    await expect(rate(800_000)).resolves.toMatchObject({ tier: { key: 'A' } });
    await expect(rate(500_000)).resolves.toMatchObject({ tier: { key: 'B' } });
    await expect(rate(100_000)).resolves.toMatchObject({ tier: { key: 'C' } });
    // the share, not the amount: the same 500,000 is A against a total of 600,000 and C against 2,000,000
    await expect(rate(500_000, 600_000)).resolves.toMatchObject({ tier: { key: 'A' } });
    await expect(rate(500_000, 2_000_000)).resolves.toMatchObject({ tier: { key: 'C' } });
  });

  it('at the boundaries the source leaves open (our choice, 以上 including the number): exactly 70% is A, 69.99% is B, exactly 30% is B, 29.99% is C', async () => {
    await expect(rate(700_000)).resolves.toMatchObject({ tier: { key: 'A' } });
    await expect(rate(699_900)).resolves.toMatchObject({ tier: { key: 'B' } });
    await expect(rate(300_000)).resolves.toMatchObject({ tier: { key: 'B' } });
    await expect(rate(299_900)).resolves.toMatchObject({ tier: { key: 'C' } });
    // a share that is not a round number in binary still lands on the right side (× 100 before ÷)
    await expect(rate(7, 10)).resolves.toMatchObject({ tier: { key: 'A' } });
    await expect(rate(3, 10)).resolves.toMatchObject({ tier: { key: 'B' } });
    const tiers = definitionOf(abc).tiers;
    expect(tiers[0].note?.choice?.en).toMatch(/A from 70% inclusive/);
    expect(tiers[0].note?.source?.en).toMatch(/inclusivity not stated/);
  });

  it('does not rate without a positive total or with a share outside 0–100% (our choice), never C by default', async () => {
    await expect(rate(0, 0)).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(rate(1_000_001)).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(rate(-1)).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(evaluate(abc, { customerSales: 500_000 })).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(rate(0)).resolves.toMatchObject({ tier: { key: 'C' } });
  });

  it('shows the computed share in the explanation and rates the same compiled', async () => {
    const r = await rate(750_000);
    const text = explain(r, definitionOf(abc), abc.facts, 'en').join('\n');
    expect(text).toMatch(/Share of total sales \(%\) 75/);
    const fast = compileFast(definitionOf(abc), abc.facts);
    for (const [c, t] of [
      [700_000, 1_000_000],
      [700_001, 1_000_000],
      [300_000, 1_000_000],
      [299_999, 1_000_000],
      [1, 0],
    ]) {
      const slow = await rate(c, t);
      const quick = fast({ customerSales: c, totalSales: t });
      expect([c, t, quick.eligible ? definitionOf(abc).tiers[quick.tierIndex]?.key : null]).toEqual([c, t, slow.tier?.key ?? null]);
    }
  });

  it("gives C the source's low-cost service (reduce cost and sales effort)", () => {
    const c = abc.benefitPackages.find((p) => p.key === 'abc-c');
    expect(c?.benefits).toEqual(['abc-low-cost-service']);
    expect(abc.benefits.find((b) => b.key === 'abc-low-cost-service')?.description).toMatch(/reduce cost and sales effort/);
  });
});
