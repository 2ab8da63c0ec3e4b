import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPolicyFile } from '@tierwise/policy-engine';
import type { Benefit, BenefitPackage, FactDefinition, PolicyFile } from '@tierwise/policy-engine';
import { z } from 'zod';

/**
 * The shipped templates: policy files (contract §11) in apps/api/templates, listed with their
 * history in templates.json (oldest version first; `effectiveFrom` is when a shipped version took
 * effect, used when the templates are seeded). No template is written as code: every one is a file
 * that an export could have produced, checked by the policy engine like any imported file.
 */
export const TEMPLATES_DIR = join(__dirname, '..', '..', 'templates');

export interface ShippedVersion {
  file: string;
  effectiveFrom?: string;
  content: PolicyFile;
}

export interface ShippedTemplate {
  key: string;
  /** Oldest first; the last one is the current version. */
  versions: ShippedVersion[];
  /** The current version's file. */
  current: PolicyFile;
}

const manifestSchema = z.strictObject({
  templates: z.array(
    z.strictObject({
      key: z.string().min(1),
      versions: z
        .array(z.strictObject({ file: z.string().regex(/^[a-z0-9.-]+\.policy\.json$/), effectiveFrom: z.iso.datetime({ offset: true }).optional() }))
        .min(1),
    }),
  ),
});

/** Reads and checks every template file in `dir`; a broken file stops the server with its name and the paths of its problems. */
export function loadTemplates(dir: string = TEMPLATES_DIR): ShippedTemplate[] {
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'templates.json'), 'utf8')));
  return manifest.templates.map((t) => {
    const versions = t.versions.map((v) => {
      const check = checkPolicyFile(JSON.parse(readFileSync(join(dir, v.file), 'utf8')) as unknown);
      if (!check.file) throw new Error(`Template file ${v.file} is invalid: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      if (check.file.policy.key !== t.key) throw new Error(`Template file ${v.file} holds policy ${check.file.policy.key}, listed as ${t.key}`);
      return { file: v.file, ...(v.effectiveFrom ? { effectiveFrom: v.effectiveFrom } : {}), content: check.file };
    });
    return { key: t.key, versions, current: versions[versions.length - 1].content };
  });
}

let shipped: ShippedTemplate[] | undefined;

/** The shipped templates, read once. */
export function templates(): ShippedTemplate[] {
  shipped ??= loadTemplates();
  return shipped;
}

export function getTemplate(key: string): ShippedTemplate | undefined {
  return templates().find((t) => t.key === key);
}

export interface TemplateCatalog {
  facts: FactDefinition[];
  benefits: Benefit[];
  benefitPackages: BenefitPackage[];
}

/** The union of the templates' catalogs (every version), each key once, first seen wins (the files agree on shared keys: a test checks it). */
export function templateCatalog(from: ShippedTemplate[] = templates()): TemplateCatalog {
  const unique = <T extends { key: string }>(items: T[]): T[] => {
    const seen = new Map<string, T>();
    for (const item of items) if (!seen.has(item.key)) seen.set(item.key, item);
    return [...seen.values()];
  };
  const files = from.flatMap((t) => t.versions.map((v) => v.content));
  return {
    facts: unique(files.flatMap((f) => f.catalog.facts)),
    benefits: unique(files.flatMap((f) => f.catalog.benefits)),
    benefitPackages: unique(files.flatMap((f) => f.catalog.benefitPackages)),
  };
}
