/**
 * The one resolver of regional rollouts (contract §11), at its boundaries: a step starts at its
 * instant exactly, the first matching step wins, a retired version never applies, and the versions a
 * rating run freezes (`versionsAt`) pick what all versions pick.
 */
import type { FactDefinition } from '@tierwise/policy-engine';
import { RolloutResolver, versionsAt, type RolloutVersion } from '../../src/evaluation/rollout-version';

const facts: FactDefinition[] = [{ key: 'region', label: 'Region', type: 'string' }];
const inRegion = (region: string) => ({ all: [{ fact: 'region', operator: 'equal', value: region }] });
const T = Date.parse('2026-05-01T00:00:00Z');
const at = (minutes: number) => new Date(T + minutes * 60_000).toISOString();

const v1: RolloutVersion = { id: 'v1', number: 1, effectiveFrom: at(-1000), retiredAt: null, rollout: null };
const v2: RolloutVersion = {
  id: 'v2',
  number: 2,
  effectiveFrom: at(120),
  retiredAt: null,
  rollout: [
    { segment: inRegion('east'), effectiveFrom: at(60), facts },
    { segment: { any: [inRegion('east'), inRegion('north')] }, effectiveFrom: at(90), facts },
  ],
};

describe('regional rollout: which version applies', () => {
  const resolver = new RolloutResolver();
  const pick = (versions: RolloutVersion[], minutes: number, region?: string) => {
    const p = resolver.pick(versions, T + minutes * 60_000, region === undefined ? {} : { region });
    return p && { version: p.version.id, step: p.rolloutStep };
  };

  it('a step starts at its instant exactly; others keep the old version until the version’s own effectiveFrom', () => {
    expect(pick([v1, v2], 59.99, 'east')).toEqual({ version: 'v1', step: null });
    expect(pick([v1, v2], 60, 'east')).toEqual({ version: 'v2', step: 0 });
    expect(pick([v1, v2], 60, 'west')).toEqual({ version: 'v1', step: null });
    expect(pick([v1, v2], 120, 'west')).toEqual({ version: 'v2', step: null });
    // a customer without the segment's fact is in no segment
    expect(pick([v1, v2], 100)).toEqual({ version: 'v1', step: null });
  });

  it('the first matching step decides, even when a later step also matches', () => {
    expect(pick([v1, v2], 95, 'east')).toEqual({ version: 'v2', step: 0 });
    expect(pick([v1, v2], 89, 'north')).toEqual({ version: 'v1', step: null });
    expect(pick([v1, v2], 90, 'north')).toEqual({ version: 'v2', step: 1 });
  });

  it('a retired version never applies; with none started the answer is null', () => {
    expect(pick([v1, { ...v2, retiredAt: at(70) }], 75, 'east')).toEqual({ version: 'v1', step: null });
    expect(pick([{ ...v1, effectiveFrom: at(200) }, v2], 30, 'east')).toBeNull();
  });

  it('the versions a run freezes at an instant pick what all versions pick', () => {
    const v0: RolloutVersion = { id: 'v0', number: 0, effectiveFrom: at(-2000), retiredAt: null, rollout: null };
    const all = [v0, v1, v2];
    for (const minutes of [30, 60, 95, 120]) {
      const { base, started } = versionsAt(all, T + minutes * 60_000);
      expect(base?.id).toBe(minutes >= 120 ? 'v2' : 'v1');
      expect(started.map((v) => v.id)).toEqual(minutes >= 60 && minutes < 120 ? ['v2'] : []);
      const frozen = [base as RolloutVersion, ...started];
      for (const region of ['east', 'north', 'west']) expect(pick(frozen, minutes, region)).toEqual(pick(all, minutes, region));
    }
    expect(versionsAt([{ ...v1, effectiveFrom: at(200) }, v2], T + 61 * 60_000)).toMatchObject({ base: null, started: [{ id: 'v2' }] });
  });
});
