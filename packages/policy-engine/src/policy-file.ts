/**
 * Policy files (contract §11): one policy — its definition, test cases and the catalog items it
 * uses — as one JSON document, `format: "tierwise.policy/1"`. Exported by the API, imported as a
 * draft, and the form the shipped templates take. `checkPolicyFile` is the one check of a file:
 * its envelope, its catalog, its definition (by `validatePolicy`, against the file's own catalog)
 * and its test cases, every problem with its path in the file.
 */
import { z } from 'zod';
import { issue } from './issues';
import { indexPath, isPlainObject, propPath } from './keys';
import { benefitPackageSchema, benefitSchema, factDefinitionSchema, keySchema } from './schema';
import type { Benefit, BenefitPackage, FactDefinition, Facts, Issue, PolicyDefinition } from './types';
import { validatePolicy } from './validate';

export const POLICY_FILE_FORMAT = 'tierwise.policy/1';

export interface PolicyFileTestCase {
  name: string;
  facts: Facts;
  /** null = not rated. */
  expectedTier: string | null;
}

export interface PolicyFileCatalog {
  facts: FactDefinition[];
  benefits: Benefit[];
  benefitPackages: BenefitPackage[];
}

export interface PolicyFile {
  format: typeof POLICY_FILE_FORMAT;
  policy: { key: string; name: string; description?: string };
  definition: PolicyDefinition;
  changeNote?: string;
  testCases: PolicyFileTestCase[];
  catalog: PolicyFileCatalog;
}

export interface PolicyFileCheck {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  /** The file, canonical (see `canonicalPolicyFile`), when valid. */
  file?: PolicyFile;
}

/** Most test cases and catalog items of each kind in one file. */
export const POLICY_FILE_LIMITS = { testCases: 1000, catalogItems: 2000 } as const;

const text = (max: number) => z.string().trim().min(1, 'is required').max(max, 'is too long');

const envelopeSchema = z.strictObject({
  format: z.literal(POLICY_FILE_FORMAT, { message: `must be "${POLICY_FILE_FORMAT}"` }),
  policy: z.strictObject({ key: keySchema, name: text(200), description: z.string().max(20000, 'is too long').optional() }),
  definition: z.unknown(),
  changeNote: z.string().max(20000, 'is too long').optional(),
  testCases: z
    .array(
      z.strictObject({
        name: text(200),
        facts: z.record(z.string().max(64, 'fact keys are at most 64 characters'), z.unknown()),
        expectedTier: z.string().max(64).nullable(),
      }),
    )
    .max(POLICY_FILE_LIMITS.testCases, `at most ${POLICY_FILE_LIMITS.testCases} test cases`),
  catalog: z.strictObject({
    facts: z.array(factDefinitionSchema).max(POLICY_FILE_LIMITS.catalogItems),
    benefits: z.array(benefitSchema).max(POLICY_FILE_LIMITS.catalogItems),
    benefitPackages: z.array(benefitPackageSchema).max(POLICY_FILE_LIMITS.catalogItems),
  }),
});

function zodPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const s of segments) path = typeof s === 'number' ? indexPath(path, s) : propPath(path, String(s));
  return path;
}

function under(prefix: string, path: string): string {
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** A fact as the catalog stores it: the default sensitivity spelled out. */
function canonicalFact(f: FactDefinition): FactDefinition {
  return { ...f, sensitivity: f.sensitivity ?? 'internal' };
}

/**
 * The one written form of a file, so that export → import → export gives the same document:
 * catalog items sorted by key, facts with their sensitivity spelled out, optional texts only when
 * given. Test cases keep their order.
 */
export function canonicalPolicyFile(file: PolicyFile): PolicyFile {
  const policy: PolicyFile['policy'] = { key: file.policy.key, name: file.policy.name };
  if (file.policy.description) policy.description = file.policy.description;
  const out: PolicyFile = {
    format: POLICY_FILE_FORMAT,
    policy,
    definition: file.definition,
    testCases: file.testCases.map((c) => ({ name: c.name, facts: c.facts, expectedTier: c.expectedTier })),
    catalog: {
      facts: [...file.catalog.facts].map(canonicalFact).sort(byKey),
      benefits: [...file.catalog.benefits].sort(byKey),
      benefitPackages: [...file.catalog.benefitPackages].sort(byKey),
    },
  };
  if (file.changeNote) out.changeNote = file.changeNote;
  return out;
}

function duplicateKeys(items: { key: string }[], path: string, out: Issue[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.key)) {
      out.push(issue(propPath(indexPath(path, i), 'key'), 'duplicate-key', `"${item.key}" appears twice in the file.`, `"${item.key}" 在文件中重复出现。`));
    }
    seen.add(item.key);
  });
}

/**
 * Everything wrong with a policy file, each with its path in the file (`definition.tiers[0].when…`,
 * `catalog.facts[2].type`, `testCases[3].expectedTier`). The definition must be valid against the
 * file's own catalog (warnings are kept, not errors); every package a package names must be in the
 * file; every test case must expect a tier of the definition (or null) and name only catalog facts.
 */
export function checkPolicyFile(value: unknown): PolicyFileCheck {
  if (!isPlainObject(value)) {
    return { valid: false, errors: [issue('', 'invalid-type', 'A policy file is a JSON object.', '策略文件必须是 JSON 对象。')], warnings: [] };
  }
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => issue(zodPath(i.path), i.code, i.message));
    return { valid: false, errors, warnings: [] };
  }
  const f = parsed.data;
  const errors: Issue[] = [];
  const catalog = f.catalog as PolicyFileCatalog;
  duplicateKeys(catalog.facts, 'catalog.facts', errors);
  duplicateKeys(catalog.benefits, 'catalog.benefits', errors);
  duplicateKeys(catalog.benefitPackages, 'catalog.benefitPackages', errors);
  const benefitKeys = new Set(catalog.benefits.map((b) => b.key));
  catalog.benefitPackages.forEach((p, i) =>
    p.benefits.forEach((b, j) => {
      if (!benefitKeys.has(b)) {
        errors.push(
          issue(
            indexPath(propPath(indexPath('catalog.benefitPackages', i), 'benefits'), j),
            'unknown-benefit',
            `Benefit "${b}" is not in the file's catalog.benefits.`,
            `权益 "${b}" 不在文件的 catalog.benefits 中。`,
          ),
        );
      }
    }),
  );
  const validation = validatePolicy(f.definition, catalog.facts, { packages: catalog.benefitPackages.map((p) => p.key) });
  for (const e of validation.errors) errors.push({ ...e, path: under('definition', e.path) });
  const warnings = validation.warnings.map((w) => ({ ...w, path: under('definition', w.path) }));
  const definition = f.definition as PolicyDefinition;
  const tierKeys = new Set(validation.valid && Array.isArray(definition.tiers) ? definition.tiers.map((t) => t.key) : []);
  const factKeys = new Set(catalog.facts.map((x) => x.key));
  f.testCases.forEach((c, i) => {
    const at = indexPath('testCases', i);
    if (validation.valid && c.expectedTier !== null && !tierKeys.has(c.expectedTier)) {
      errors.push(
        issue(propPath(at, 'expectedTier'), 'unknown-tier', `"${c.expectedTier}" is not a tier of the definition.`, `"${c.expectedTier}" 不是本策略的等级。`),
      );
    }
    for (const k of Object.keys(c.facts)) {
      if (!factKeys.has(k)) {
        errors.push(
          issue(
            propPath(propPath(at, 'facts'), k),
            'unknown-fact',
            `Fact "${k}" is not in the file's catalog.facts.`,
            `事实 "${k}" 不在文件的 catalog.facts 中。`,
          ),
        );
      }
    }
  });
  if (errors.length) return { valid: false, errors, warnings };
  return { valid: true, errors, warnings, file: canonicalPolicyFile({ ...f, definition, catalog } as PolicyFile) };
}
