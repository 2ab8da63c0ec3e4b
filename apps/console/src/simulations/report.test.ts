import { guessIdColumn } from './id-column';
import { movement, tierAxis, type TierAxisSource } from './tiers';

const result: TierAxisSource = {
  notRatedKey: 'null',
  baseline: { GOLD: 3, SILVER: 5, null: 2 },
  candidate: { GOLD: 2, SILVER: 6, null: 2 },
  matrix: { GOLD: { GOLD: 2, SILVER: 1 }, SILVER: { SILVER: 5 }, null: { null: 2 } },
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

  it('puts last the key the API names "not rated", and only that one', () => {
    const axis = tierAxis({ notRatedKey: 'NONE', matrix: { GOLD: { NONE: 1 }, null: { GOLD: 1 } } }, new Map([['GOLD', '金卡']]), '不评级');
    expect(axis.map((t) => [t.key, t.name])).toEqual([
      ['GOLD', '金卡'],
      ['null', 'null'],
      ['NONE', '不评级'],
    ]);
  });
});

describe('guessIdColumn', () => {
  it('finds the customer id column of a CSV header', () => {
    expect(guessIdColumn('\uFEFFcustomerId,avgDailyAssets\n1,2')).toBe('customerId');
    expect(guessIdColumn('"客户号",日均资产\r\n')).toBe('客户号');
    expect(guessIdColumn('avgDailyAssets,region')).toBeUndefined();
  });
});
