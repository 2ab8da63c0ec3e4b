import { canonicalPolicyFile, checkPolicyFile, POLICY_FILE_FORMAT, type PolicyFile } from '../src';
import { templateFiles } from './support/template-files';

const file = (): PolicyFile => ({
  format: POLICY_FILE_FORMAT,
  policy: { key: 'p', name: 'P' },
  definition: {
    schemaVersion: 1,
    tiers: [
      { key: 'HIGH', name: '高', benefitPackage: 'pk', when: { all: [{ fact: 'assets', operator: 'greaterThanInclusive', value: 10 }] } },
      { key: 'LOW', name: '低' },
    ],
  },
  testCases: [{ name: 'at 10', facts: { assets: 10 }, expectedTier: 'HIGH' }],
  catalog: {
    facts: [{ key: 'assets', label: '资产', type: 'number' }],
    benefits: [{ key: 'b', name: '权益' }],
    benefitPackages: [{ key: 'pk', name: '包', benefits: ['b'] }],
  },
});
const paths = (value: unknown) => checkPolicyFile(value).errors.map((e) => e.path);

describe('checkPolicyFile', () => {
  it('accepts a good file and answers it canonical (sensitivity spelled out, catalog sorted)', () => {
    const r = checkPolicyFile(file());
    expect(r.errors).toEqual([]);
    expect(r.file?.catalog.facts[0].sensitivity).toBe('internal');
    expect(canonicalPolicyFile(r.file!)).toEqual(r.file);
  });

  it('names the place of every problem in the file', () => {
    expect(paths([])).toEqual(['']);
    expect(paths({ ...file(), format: 'x' })).toEqual(['format']);
    const f = file();
    f.definition.tiers[0].when = { all: [{ fact: 'nope', operator: 'equal', value: 1 }] };
    expect(paths(f)).toContain('definition.tiers[0].when.all[0].fact');
    expect(paths({ ...file(), testCases: [{ name: 'x', facts: { other: 1 }, expectedTier: 'MID' }] })).toEqual([
      'testCases[0].expectedTier',
      'testCases[0].facts.other',
    ]);
    expect(paths({ ...file(), catalog: { ...file().catalog, benefits: [] } })).toEqual(['catalog.benefitPackages[0].benefits[0]']);
    const dup = file();
    dup.catalog.facts.push({ key: 'assets', label: 'again', type: 'number' });
    expect(paths(dup)).toEqual(['catalog.facts[1].key']);
  });

  it('accepts every shipped template file as it is written (canonical already)', () => {
    for (const f of templateFiles()) expect(canonicalPolicyFile(f)).toEqual(f);
  });
});
