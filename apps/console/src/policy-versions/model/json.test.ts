import { type Condition, type PolicyDefinition } from '@tierwise/policy-engine';
import { templateFiles } from '../../../test/template-files';
import { definitionToJson, parseDefinitionJson } from './json';
import { getIn, moveItem, setIn, type Path } from './paths';
import { switchGroupKind, groupKind } from './conditions';
import { walkDefinitionConditions } from './engine';

const files = templateFiles();
const everyVersion = files.map((f) => [`${f.policy.key} ${f.changeNote?.slice(0, 12) ?? ''}`, f.definition] as const);

/** Every condition node's path in a definition, so each can be rewritten through the builder's helpers. */
function conditionPaths(definition: PolicyDefinition): Path[] {
  const out: Path[] = [];
  const push = (site: { segments: Path }) => void out.push(site.segments);
  walkDefinitionConditions(definition, {
    leaf: (_n, site) => push(site),
    group: (_n, _kind, site) => push(site),
    not: (_n, site) => push(site),
    reference: (_n, site) => push(site),
  });
  return out;
}

describe('JSON tab', () => {
  it('has templates to check', () => {
    expect(everyVersion.length).toBeGreaterThanOrEqual(9);
  });

  it.each(everyVersion)('round-trips %s exactly (text → definition → text)', (_name, definition) => {
    const text = definitionToJson(definition);
    const parsed = parseDefinitionJson(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.definition).toStrictEqual(definition);
    expect(definitionToJson(parsed.definition)).toBe(text);
    expect(text).toBe(JSON.stringify(JSON.parse(JSON.stringify(definition)), null, 2));
  });

  it.each(everyVersion)('keeps %s byte-identical when the builder rewrites every node with itself', (_name, definition) => {
    const text = definitionToJson(definition);
    let edited = definition;
    for (const path of conditionPaths(definition)) {
      edited = setIn(edited, path, getIn(edited, path));
      const node = getIn(edited, path) as Condition;
      const kind = groupKind(node);
      if (kind) edited = setIn(edited, path, switchGroupKind(switchGroupKind(node, kind === 'all' ? 'any' : 'all'), kind));
    }
    edited.tiers.forEach((tier, i) => {
      edited = setIn(edited, ['tiers', i], { ...tier });
    });
    if (edited.tiers.length > 1) edited = { ...edited, tiers: moveItem(moveItem(edited.tiers, 0, 1), 1, 0) };
    expect(definitionToJson(edited)).toBe(text);
  });

  it('reports malformed JSON and a missing tiers array instead of accepting them', () => {
    expect(parseDefinitionJson('{').ok).toBe(false);
    expect(parseDefinitionJson('[]')).toEqual({ ok: false, error: 'tw.builder.json.notObject' });
    expect(parseDefinitionJson('{"schemaVersion":1}')).toEqual({ ok: false, error: 'tw.builder.json.noTiers' });
  });
});

describe('setIn', () => {
  it('replaces a nested value without reordering keys or touching siblings', () => {
    const def = { schemaVersion: 1, tiers: [{ key: 'A', name: 'a', when: { all: [{ fact: 'x', operator: 'equal', value: 1 }] } }] };
    const next = setIn(def, ['tiers', 0, 'when', 'all', 0, 'value'], 2);
    expect(JSON.stringify(next)).toBe(JSON.stringify(def).replace('"value":1', '"value":2'));
    expect(def.tiers[0].when.all[0].value).toBe(1);
  });
  it('removes a key when set to undefined', () => {
    expect(setIn({ a: 1, b: 2 }, ['a'], undefined)).toEqual({ b: 2 });
  });
});
