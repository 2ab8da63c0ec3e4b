import { type PolicyDefinition } from '@tierwise/policy-engine';
import { templateFile, templateFiles } from '../../../test/template-files';
import { getIn } from './paths';
import { cellText, ladderGrid, ladderTable, wanYi } from './ladder';

const format = (n: number) => new Intl.NumberFormat('en-US').format(n);
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

describe('ladder table', () => {
  const card = templateFile('cib-card').definition;

  it('has one row per tier in order and one column per fact compared, named conditions resolved into their cells', () => {
    const table = ladderTable(card);
    expect(table.rows.map((r) => r.tier.key)).toEqual(['BLACK', 'PLATINUM', 'GOLD', 'SILVER']);
    // the valid ID is the Silver card's own condition (it gates only Silver)
    expect(table.columns).toEqual(['avgDailyAssets', 'familyAvgDailyAssets', 'hasValidId']);
    const black = table.rows[0];
    expect(black).toMatchObject({ kind: 'any', hidden: 0, via: ['blackGoldAssets'] });
    expect(black.cells.avgDailyAssets).toEqual([
      {
        path: ['conditions', 'blackGoldAssets', 'any', 0],
        leaf: { fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 1_000_000 },
        via: 'blackGoldAssets',
      },
    ]);
    expect(cellText(black.cells.familyAvgDailyAssets[0].leaf, format, 'en', yesNo)).toBe('≥ 800,000');
    expect(table.rows[3].cells.hasValidId[0].leaf).toEqual({ fact: 'hasValidId', operator: 'equal', value: true });
  });

  it('gives every cell the path of the leaf it shows, in every template', () => {
    for (const version of templateFiles()) {
      for (const row of ladderTable(version.definition).rows) {
        for (const cells of Object.values(row.cells)) for (const cell of cells) expect(getIn(version.definition, cell.path)).toBe(cell.leaf);
      }
    }
  });

  it('counts what it cannot show (a nested group, a NOT) as hidden, for the tree editor', () => {
    const definition: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        {
          key: 'A',
          name: 'A',
          when: {
            all: [
              { fact: 'x', operator: 'greaterThan', value: 5 },
              { any: [{ fact: 'y', operator: 'equal', value: true }] },
              { not: { all: [{ fact: 'z', operator: 'equal', value: 'q' }] } },
            ],
          },
        },
        { key: 'B', name: 'B' },
      ],
    };
    const row = ladderTable(definition).rows[0];
    expect(row).toMatchObject({ kind: 'all', hidden: 2 });
    expect(Object.keys(row.cells)).toEqual(['x']);
    expect(cellText(row.cells.x[0].leaf, format, 'en', yesNo)).toBe('> 5');
  });

  it('reads amounts in 万 and 亿', () => {
    expect(wanYi(1_000_000)).toBe('100万');
    expect(wanYi(250_000_000)).toBe('2.5亿');
    expect(wanYi(9_999)).toBeNull();
    expect(wanYi(10_000)).toBe('1万');
  });
});

describe('ladder grid (two dimensions)', () => {
  const loyaltyCapacity: PolicyDefinition = {
    schemaVersion: 1,
    tiers: [
      {
        key: 'PREMIUM',
        name: '优质',
        when: {
          all: [
            { fact: 'loyaltyScore', operator: 'greaterThanInclusive', value: 8 },
            { fact: 'economicCapacity', operator: 'equal', value: 'high' },
          ],
        },
      },
      {
        key: 'POTENTIAL',
        name: '潜力',
        when: {
          all: [
            { fact: 'loyaltyScore', operator: 'greaterThanInclusive', value: 5 },
            { fact: 'economicCapacity', operator: 'equal', value: 'medium' },
          ],
        },
      },
      { key: 'ORDINARY', name: '一般' },
    ],
  };

  it('places each pair of bands in the first tier that takes it, the catch-all elsewhere', () => {
    const grid = ladderGrid(ladderTable(loyaltyCapacity), format)!;
    expect(grid.rowFact).toBe('loyaltyScore');
    expect(grid.rows.map((b) => b.label)).toEqual(['≥ 8', '5 – 8', '< 5']);
    expect(grid.columns.map((b) => b.label)).toEqual(['high', 'medium']);
    // ≥ 8 & high → PREMIUM; ≥ 8 & medium → POTENTIAL (loyalty ≥ 5 holds too); 5–8 & high → ORDINARY
    expect(grid.cells).toEqual([
      [0, 1],
      [2, 1],
      [2, 2],
    ]);
  });

  it('is not offered for a one-dimension ladder or one with hidden conditions', () => {
    expect(ladderGrid(ladderTable(templateFile('cib-card').definition), format)).toBeNull();
  });
});

describe('population conditions in the ladder (issue 16)', () => {
  const format = (n: number) => n.toLocaleString('en-US');
  it('reads 前 20% / top 20%, shares and quantiles with their parameters', () => {
    expect(cellText({ fact: 'profit', operator: 'topPercent', value: 20 }, format, 'zh-CN', String)).toBe('前 20%');
    expect(cellText({ fact: 'profit', operator: 'topPercent', value: 20 }, format, 'en', String)).toBe('top 20%');
    expect(cellText({ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 70 }, format, 'zh-CN', String)).toBe('≥ 总额的 70%');
    expect(cellText({ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 80, params: { cumulative: true } }, format, 'en', String)).toBe(
      'first 80% of total',
    );
    expect(
      cellText({ fact: 'f', operator: 'quantileAtLeast', value: 4, params: { quantiles: 5, best: 'lowest', groupBy: 'region' } }, format, 'zh-CN', String),
    ).toBe('第 4 档及以上（共 5 档）（越低越好，按 region）');
  });
});
