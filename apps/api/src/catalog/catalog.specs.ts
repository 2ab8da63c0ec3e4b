import { benefitPackageSchema, benefitSchema, factDefinitionSchema } from '@tierwise/policy-engine';
import type { Benefit, BenefitPackage, FactDefinition } from '@tierwise/policy-engine';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { z } from 'zod';
import { ErrorDetail } from '../common/errors/app.exception';
import { BenefitPackageRow, BenefitRow, FactRow } from './catalog.entities';

/** Everything that differs between the three catalogs; the service and controller are shared. */
export interface CatalogSpec<T extends { key: string }, R extends ObjectLiteral> {
  resource: string;
  entityType: string;
  label: string;
  entity: EntityTarget<R>;
  schema: z.ZodType<T>;
  sortable: string[];
  toItem(row: R): T;
  toRow(item: T): Partial<R>;
  /** References this item makes that must exist (422 with the path when not). */
  unknownReferences(m: EntityManager, item: T): Promise<ErrorDetail[]>;
  /** What blocks deleting `before`, or replacing it with `after`: a list of users, e.g. "cib-card v3". */
  blockers(m: EntityManager, before: T, after?: T): Promise<string[]>;
}

const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;

/** Versions that are not retired and use this key somewhere in their definition. */
async function versionsUsing(m: EntityManager, jsonPath: string, key: string): Promise<string[]> {
  const rows: { label: string }[] = await m.query(
    `SELECT p.key || ' v' || v.number AS label FROM policy_version v JOIN policy p ON p.id = v.policy_id
      WHERE v.status NOT IN ('retired', 'discarded') AND jsonb_path_exists(v.definition, $1::jsonpath, jsonb_build_object('k', $2::text))
      ORDER BY p.key, v.number`,
    [jsonPath, key],
  );
  return rows.map((r) => r.label);
}

const sameType = (a: FactDefinition, b: FactDefinition) => a.type === b.type && JSON.stringify(a.enumValues ?? null) === JSON.stringify(b.enumValues ?? null);

export const FACTS: CatalogSpec<FactDefinition, FactRow> = {
  resource: 'facts',
  entityType: 'fact',
  label: 'fact',
  entity: FactRow,
  schema: factDefinitionSchema as z.ZodType<FactDefinition>,
  sortable: ['key', 'label', 'type', 'updatedAt'],
  toItem: (r) =>
    strip({
      key: r.key,
      label: r.label,
      labelEn: r.labelEn,
      type: r.type,
      unit: r.unit,
      enumValues: r.enumValues ?? undefined,
      description: r.description,
      sensitivity: r.sensitivity,
    }) as FactDefinition,
  toRow: (f) => ({
    key: f.key,
    label: f.label,
    labelEn: f.labelEn ?? null,
    type: f.type,
    unit: f.unit ?? null,
    enumValues: f.enumValues ?? null,
    description: f.description ?? null,
    sensitivity: f.sensitivity ?? 'internal',
  }),
  unknownReferences: async () => [],
  async blockers(m, before, after) {
    if (after && sameType(before, after)) return []; // relabelling never changes a decision
    return versionsUsing(m, '$.** ? (@.fact == $k)', before.key);
  },
};

export const BENEFITS: CatalogSpec<Benefit, BenefitRow> = {
  resource: 'benefits',
  entityType: 'benefit',
  label: 'benefit',
  entity: BenefitRow,
  schema: benefitSchema as z.ZodType<Benefit>,
  sortable: ['key', 'name', 'unitCost', 'updatedAt'],
  toItem: (r) => strip({ key: r.key, name: r.name, nameEn: r.nameEn, description: r.description, unitCost: r.unitCost }) as Benefit,
  toRow: (b) => ({ key: b.key, name: b.name, nameEn: b.nameEn ?? null, description: b.description ?? null, unitCost: b.unitCost ?? null }),
  unknownReferences: async () => [],
  async blockers(m, before, after) {
    if (after) return []; // published versions froze their benefits; drafts follow the catalog
    const rows: { key: string }[] = await m.query(`SELECT key FROM benefit_package WHERE $1 = ANY(benefits) ORDER BY key`, [before.key]);
    return rows.map((r) => `package ${r.key}`);
  },
};

export const BENEFIT_PACKAGES: CatalogSpec<BenefitPackage, BenefitPackageRow> = {
  resource: 'benefit-packages',
  entityType: 'benefit_package',
  label: 'benefit package',
  entity: BenefitPackageRow,
  schema: benefitPackageSchema as z.ZodType<BenefitPackage>,
  sortable: ['key', 'name', 'updatedAt'],
  toItem: (r) => strip({ key: r.key, name: r.name, nameEn: r.nameEn, benefits: r.benefits }) as BenefitPackage,
  toRow: (p) => ({ key: p.key, name: p.name, nameEn: p.nameEn ?? null, benefits: p.benefits }),
  async unknownReferences(m, item) {
    const known: { key: string }[] = await m.query(`SELECT key FROM benefit WHERE key = ANY($1)`, [item.benefits]);
    const have = new Set(known.map((k) => k.key));
    return item.benefits.flatMap((b, i) => (have.has(b) ? [] : [{ path: `benefits[${i}]`, message: `unknown benefit ${b}` }]));
  },
  async blockers(m, before, after) {
    if (after) return [];
    return versionsUsing(m, '$.tiers[*] ? (@.benefitPackage == $k)', before.key);
  },
};
