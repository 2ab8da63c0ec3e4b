import { cibCardTemplate, templateCatalog } from '@tierwise/policy-engine';
import type { SimulationResult } from '../dataProvider/types';
import { simulationCsv } from './csv';
import { guessIdColumn, syntheticRows } from './synthetic';
import { movement, tierAxis } from './tiers';

const result: SimulationResult = {
  baseline: { GOLD: 3, SILVER: 5, null: 2 },
  candidate: { GOLD: 2, SILVER: 6, null: 2 },
  matrix: { GOLD: { GOLD: 2, SILVER: 1 }, SILVER: { SILVER: 5 }, null: { null: 2 } },
  upgrades: 0,
  downgrades: 1,
  unchanged: 9,
  groups: [{ group: { region: '惠城区' }, baseline: { GOLD: 3 }, candidate: { GOLD: 2, SILVER: 1 } }],
};

describe('tier axis', () => {
  it('orders tiers as the ladder, then "not rated" last', () => {
    const axis = tierAxis(
      result,
      new Map([
        ['BLACK', '黑金'],
        ['GOLD', '金卡'],
        ['SILVER', '银卡'],
      ]),
      '不评级',
    );
    expect(axis.map((t) => t.key)).toEqual(['BLACK', 'GOLD', 'SILVER', 'null']);
    expect(movement(axis[1], axis[2])).toBe('down');
    expect(movement(axis[3], axis[0])).toBe('up');
  });
});

describe('simulation CSV', () => {
  it('has the distribution, the matrix and the groups, with a BOM for Excel', () => {
    const axis = tierAxis(
      result,
      new Map([
        ['GOLD', '金卡'],
        ['SILVER', '银卡'],
      ]),
      '不评级',
    );
    const csv = simulationCsv(result, axis, { tier: 'Tier', baseline: 'Baseline', candidate: 'Candidate', group: 'Group' });
    expect(csv.startsWith('\uFEFFTier,Baseline,Candidate\r\n金卡,3,2\r\n')).toBe(true);
    expect(csv).toContain('金卡,2,1,0');
    expect(csv).toContain('惠城区,3,2,0,1,0,0');
  });
});

describe('synthetic customers', () => {
  const definition = cibCardTemplate.versions[0].definition;
  const rows = syntheticRows(definition, templateCatalog().facts, 500, 7);
  it('are deterministic for a seed and cover every fact the policy uses', () => {
    expect(syntheticRows(definition, templateCatalog().facts, 500, 7)).toEqual(rows);
    expect(Object.keys(rows[0]).sort()).toEqual(['avgDailyAssets', 'customerId', 'familyAvgDailyAssets', 'hasValidId']);
  });
  it('mostly pass the eligibility check (hasValidId = true), but not all', () => {
    const valid = rows.filter((r) => r.hasValidId === true).length;
    expect(valid / rows.length).toBeGreaterThan(0.9);
    expect(valid).toBeLessThan(rows.length);
  });
  it('spread assets across every threshold of the ladder', () => {
    const assets = rows.map((r) => r.avgDailyAssets as number);
    for (const threshold of [100_000, 300_000, 1_000_000]) {
      expect(assets.some((a) => a < threshold)).toBe(true);
      expect(assets.some((a) => a >= threshold)).toBe(true);
    }
  });
});

describe('guessIdColumn', () => {
  it('finds the customer id column of a CSV header', () => {
    expect(guessIdColumn('\uFEFFcustomerId,avgDailyAssets\n1,2')).toBe('customerId');
    expect(guessIdColumn('"客户号",日均资产\r\n')).toBe('客户号');
    expect(guessIdColumn('avgDailyAssets,region')).toBeUndefined();
  });
});
