import { rolloutText, segmentText, type FactDefinition } from '../src';

const facts: FactDefinition[] = [
  { key: 'region', label: '地区', labelEn: 'Region', type: 'string' },
  { key: 'starPoints', label: '星点值', labelEn: 'Star points', type: 'number' },
];
const east = { all: [{ fact: 'region', operator: 'equal', value: 'east' }] };

describe('rollout text', () => {
  it('says which customers switch when, step by step, then everyone else — zh-CN and en', () => {
    const steps = [
      { segment: east, effectiveFrom: '2021-05-01T00:00:00+08:00' },
      {
        segment: { any: [{ fact: 'region', operator: 'in', value: ['north', 'south'] }, { not: { fact: 'starPoints', operator: 'lessThan', value: 500 } }] },
        effectiveFrom: '2021-06-01T00:00:00+08:00',
      },
    ];
    expect(rolloutText(steps, '2021-07-01T00:00:00+08:00', facts, 'zh-CN')).toEqual([
      '第 1 步：自 2021-05-01T00:00:00+08:00 起，地区 = east 的客户',
      '第 2 步：自 2021-06-01T00:00:00+08:00 起，地区 属于 [north, south] 或 非(星点值 < 500) 的客户',
      '其余客户：自 2021-07-01T00:00:00+08:00 起',
    ]);
    expect(rolloutText(steps, '2021-07-01T00:00:00+08:00', facts, 'en')[0]).toBe('Step 1: from 2021-05-01T00:00:00+08:00, customers where Region = east');
    expect(rolloutText([], null, facts, 'en')).toEqual([]);
  });

  it('brackets nested groups and reads a malformed segment as ?', () => {
    expect(
      segmentText(
        {
          all: [
            east,
            {
              any: [
                { fact: 'starPoints', operator: 'greaterThan', value: 1 },
                { fact: 'starPoints', operator: 'lessThan', value: -1 },
              ],
            },
          ],
        },
        facts,
        'en',
      ),
    ).toBe('Region = east and (Star points > 1 or Star points < -1)');
    expect(segmentText(42, facts, 'en')).toBe('?');
  });
});
