/**
 * Every template, structurally: it validates with zero errors and zero warnings, every reference
 * resolves, its test cases pass, and all templates can share one catalog.
 */
import { validatePolicy } from '@tierwise/policy-engine';
import { readdirSync } from 'node:fs';
import { getTemplate, TEMPLATES_DIR, templateCatalog } from '../../../src/templates/template-library';
import { definitionOf, referencesOf, templates, tierOf, type PolicyTemplate } from './support';

const EXPECTED_KEYS = [
  'cib-card',
  'cib-asset-ladder',
  'cib-corporate-revenue',
  'icbc-star',
  'corporate-layering',
  'dealer-loyalty',
  'gov-mms',
  'gov-city-management',
  'gov-police',
  'gov-digital-city',
  'gov-transport',
  'gov-emergency',
  'gov-tourism',
  'insurer-income',
  'fund-risk',
  'abc-sales-share',
  'customer-pyramid',
  'abc-population-share',
  'rfm-segments',
  'ecommerce-buyers',
];

/**
 * Warnings a template is allowed, as `code path`, each explained in its description. The insurer's
 * top layer is "> 200,000" while the rest are "≥": the source's own wording.
 */
const EXPLAINED_WARNINGS: Record<string, string[]> = {
  'insurer-income': ['inconsistent-boundary tiers[1].when'],
};

const everyTemplate: PolicyTemplate[] = templates;

const versionsOf = (list: PolicyTemplate[]) => list.flatMap((t) => t.versions.map((v, i) => ({ t, v, i, name: `${t.key} v${i + 1}` })));

describe('the template registry', () => {
  it('has every scheme of tiering-schemes.md §1–5 (the government scheme once per product line) plus the insurer income layers, the fund risk types, ABC by share of sales and the population-relative schemes of §6 (pyramid, ABC over the population, RFM, e-commerce buyers)', () => {
    expect(templates.map((t) => t.key)).toEqual(EXPECTED_KEYS);
  });

  it('finds templates by key', () => {
    for (const key of EXPECTED_KEYS) expect(getTemplate(key)?.key).toBe(key);
    expect(getTemplate('no-such-template')).toBeUndefined();
  });

  it('ships every template as policy files listed in templates.json, and no stray file', () => {
    const listed = templates.flatMap((t) => t.versions.map((v) => v.file)).sort();
    expect(
      readdirSync(TEMPLATES_DIR)
        .filter((f) => f.endsWith('.policy.json'))
        .sort(),
    ).toEqual(listed);
    for (const t of templates) expect(t.versions[t.versions.length - 1].file).toBe(`${t.key}.policy.json`);
  });
});

describe.each(everyTemplate.map((t) => [t.key, t] as const))('template %s', (_key, template) => {
  const factKeys = new Set(template.facts.map((f) => f.key));
  const benefitKeys = new Set(template.benefits.map((b) => b.key));
  const packageKeys = template.benefitPackages.map((p) => p.key);

  it('has Chinese and English names, a description and at least one version', () => {
    expect(template.name).toMatch(/[\u4e00-\u9fff]/);
    expect(template.name).toMatch(/[A-Za-z]{3}/);
    expect(template.description.length).toBeGreaterThan(100);
    expect(template.versions.length).toBeGreaterThanOrEqual(1);
    for (const v of template.versions) expect(v.changeNote.length).toBeGreaterThan(0);
  });

  it('declares typed, bilingual facts with unique keys', () => {
    expect(factKeys.size).toBe(template.facts.length);
    for (const f of template.facts) {
      expect(f.label).toMatch(/[\u4e00-\u9fff]/);
      expect(f.labelEn).toEqual(expect.any(String));
      if (f.type === 'enum') expect(f.enumValues?.length).toBeGreaterThan(0);
      else expect(f.enumValues).toBeUndefined();
      if (/Assets|Revenue|Deposits|Income|Volume/.test(f.key)) expect(f.unit).toBe('CNY');
    }
  });

  it('has bilingual benefits with a unit cost, and says the costs are illustrative', () => {
    expect(benefitKeys.size).toBe(template.benefits.length);
    for (const b of template.benefits) {
      expect(b.name).toMatch(/[\u4e00-\u9fff]/);
      expect(b.nameEn).toEqual(expect.any(String));
      expect(b.unitCost).toEqual(expect.any(Number));
      expect(b.unitCost).toBeGreaterThanOrEqual(0);
    }
    expect(template.description).toMatch(/illustrative/);
    expect(template.description).toMatch(/示例/);
  });

  it('resolves every package → benefit reference, and every tier → package reference', () => {
    expect(new Set(packageKeys).size).toBe(packageKeys.length);
    for (const p of template.benefitPackages) {
      expect(p.name).toMatch(/[\u4e00-\u9fff]/);
      expect(p.nameEn).toEqual(expect.any(String));
      expect(p.benefits.length).toBeGreaterThan(0);
      for (const b of p.benefits) expect(benefitKeys).toContain(b);
    }
    for (const { v } of versionsOf([template])) {
      for (const tier of v.definition.tiers) {
        expect(tier.name).toMatch(/[\u4e00-\u9fff]/);
        expect(tier.nameEn).toEqual(expect.any(String));
        expect(packageKeys).toContain(tier.benefitPackage);
      }
    }
  });

  it('uses no benefit and no package that no tier hands out', () => {
    const usedPackages = new Set(template.versions.flatMap((v) => v.definition.tiers.map((t) => t.benefitPackage)));
    for (const p of packageKeys) expect(usedPackages).toContain(p);
    const usedBenefits = new Set(template.benefitPackages.flatMap((p) => p.benefits));
    for (const b of benefitKeys) expect(usedBenefits).toContain(b);
  });

  it.each(versionsOf([template]).map((x) => [x.name, x] as const))('%s references only its own facts, scores and named conditions', (_n, { v }) => {
    const refs = referencesOf(v.definition);
    const scoreKeys = new Set((v.definition.scores ?? []).map((s) => s.key));
    const computedKeys = new Set(Object.keys(v.definition.computed ?? {}));
    for (const fact of refs.facts) expect(factKeys.has(fact) || scoreKeys.has(fact) || computedKeys.has(fact)).toBe(true);
    for (const k of computedKeys) expect(factKeys.has(k)).toBe(false);
    for (const name of refs.conditions) expect(Object.keys(v.definition.conditions ?? {})).toContain(name);
    for (const s of scoreKeys) expect(factKeys.has(s)).toBe(false);
  });

  it.each(versionsOf([template]).map((x) => [x.name, x] as const))(
    '%s validates with zero errors and no warnings but those its description explains',
    (_n, { v }) => {
      const result = validatePolicy(v.definition, template.facts, { packages: packageKeys });
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      const expected = EXPLAINED_WARNINGS[template.key] ?? [];
      expect(result.warnings.map((w) => `${w.code} ${w.path}`)).toEqual(expected);
      for (const w of expected) expect(template.description).toContain(w.split(' ')[0]);
    },
  );

  it.each(versionsOf([template]).map((x) => [x.name, x] as const))(
    '%s says where every rule comes from — the source, or "our choice" — in zh-CN and en',
    (_n, { v }) => {
      const d = v.definition;
      const noted = (n: unknown) => typeof n === 'object' && n !== null && ('source' in n || 'choice' in n);
      const missing: string[] = [];
      d.tiers.forEach((t, i) => noted(t.note) || missing.push(`tiers[${i}]`));
      (d.scores ?? []).forEach((s, i) => {
        if (!noted(s.note)) missing.push(`scores[${i}]`);
        s.components.forEach((c, j) => noted(c.note) || missing.push(`scores[${i}].components[${j}]`));
        (s.multipliers ?? []).forEach((m, j) => noted(m.note) || missing.push(`scores[${i}].multipliers[${j}]`));
      });
      if (d.eligibility && !noted(d.notes?.eligibility)) missing.push('eligibility');
      for (const [key, c] of Object.entries(d.computed ?? {})) if (!noted(c.note)) missing.push(`computed.${key}`);
      for (const name of Object.keys(d.conditions ?? {})) if (!noted(d.notes?.conditions?.[name])) missing.push(`conditions.${name}`);
      expect(missing).toEqual([]);
      // each note in both languages (the engine's validation refuses one without), and the description says what is the template's choice
      expect(JSON.stringify(d)).toMatch(/"choice"|"source"/);
      expect(template.description).toMatch(/choice/);
      expect(template.description).toMatch(/选择/);
    },
  );

  it('lists its catalog items by key, as an export writes them (so import → export gives the file back exactly)', () => {
    for (const v of template.shipped.versions) {
      for (const items of [v.content.catalog.facts, v.content.catalog.benefits, v.content.catalog.benefitPackages]) {
        const keys = items.map((x) => x.key);
        expect(keys).toEqual([...keys].sort());
      }
    }
  });

  it('is plain JSON (survives a JSON round trip unchanged)', () => {
    expect(JSON.parse(JSON.stringify(template))).toEqual(template);
  });

  it('has at least six test cases, each naming a tier of the current version or null', () => {
    expect(template.testCases.length).toBeGreaterThanOrEqual(6);
    const tiers = definitionOf(template).tiers.map((t) => t.key);
    for (const c of template.testCases) if (c.expectedTier !== null) expect(tiers).toContain(c.expectedTier);
    expect(template.testCases.some((c) => c.expectedTier === null) || !definitionOf(template).eligibility).toBe(true);
    const names = template.testCases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists versions oldest first', () => {
    const dates = template.versions.map((v) => v.effectiveFrom).filter((d): d is string => d !== undefined);
    const sorted = [...dates].sort((a, b) => Date.parse(a) - Date.parse(b));
    expect(dates).toEqual(sorted);
  });

  // Test cases become the policy's test cases in the API, where every version must pass them.
  it.each(versionsOf([template]).flatMap((x) => x.t.testCases.map((c) => [`${x.name}: ${c.name}`, x.i, c] as const)))(
    'test case %s',
    async (_n, versionIndex, testCase) => {
      await expect(tierOf(template, testCase.facts, versionIndex)).resolves.toBe(testCase.expectedTier);
    },
  );
});

describe('one shared catalog', () => {
  it('gives every fact key one definition across all templates', () => {
    const byKey = new Map<string, { def: unknown; from: string }>();
    for (const t of everyTemplate) {
      for (const f of t.facts) {
        const seen = byKey.get(f.key);
        if (seen) expect({ key: f.key, def: f, from: t.key }).toEqual({ key: f.key, def: seen.def, from: t.key });
        else byKey.set(f.key, { def: f, from: t.key });
      }
    }
    expect(byKey.get('avgDailyAssets')?.def).toMatchObject({ type: 'number', unit: 'CNY' });
  });

  it('gives every benefit key one definition, and every package key one owner', () => {
    const benefits = new Map<string, unknown>();
    for (const t of everyTemplate) {
      for (const b of t.benefits) {
        if (benefits.has(b.key)) expect(b).toEqual(benefits.get(b.key));
        else benefits.set(b.key, b);
      }
    }
    const owners = new Map<string, string>();
    for (const t of everyTemplate) {
      for (const p of t.benefitPackages) {
        expect(owners.get(p.key) ?? t.key).toBe(t.key);
        owners.set(p.key, t.key);
      }
    }
  });

  it('merges into one catalog with each key once', () => {
    const catalog = templateCatalog();
    const keys = (xs: { key: string }[]) => xs.map((x) => x.key);
    expect(new Set(keys(catalog.facts)).size).toBe(catalog.facts.length);
    expect(new Set(keys(catalog.benefits)).size).toBe(catalog.benefits.length);
    expect(new Set(keys(catalog.benefitPackages)).size).toBe(catalog.benefitPackages.length);
    for (const t of templates) {
      for (const f of t.facts) expect(catalog.facts).toContainEqual(f);
      for (const p of t.benefitPackages) expect(catalog.benefitPackages).toContainEqual(p);
    }
  });

  it('keeps every template valid against the merged catalog', () => {
    const catalog = templateCatalog();
    const packages = catalog.benefitPackages.map((p) => p.key);
    for (const { t, v, name } of versionsOf(templates)) {
      const r = validatePolicy(v.definition, catalog.facts, { packages });
      const warnings = r.warnings.map((w) => `${w.code} ${w.path}`);
      expect({ name, errors: r.errors, warnings }).toEqual({ name, errors: [], warnings: EXPLAINED_WARNINGS[t.key] ?? [] });
    }
  });
});
