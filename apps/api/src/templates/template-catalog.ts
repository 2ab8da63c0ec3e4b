import type { Benefit, BenefitPackage, FactDefinition, PolicyTemplate } from '@tierwise/policy-engine';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { BenefitPackageRow, BenefitRow, FactRow } from '../catalog/catalog.entities';
import { BENEFIT_PACKAGES, BENEFITS, FACTS } from '../catalog/catalog.specs';
import { PoliciesService } from '../policies/policies.service';
import { TestCasesService } from '../policies/test-cases.service';

export interface TemplateCatalogItems {
  facts: FactDefinition[];
  benefits: Benefit[];
  benefitPackages: BenefitPackage[];
}

/**
 * Adds the catalog entries a template needs that the catalog does not have yet, each audited as a
 * create by `actor`. Existing keys are left exactly as they are (the bank's own definitions win).
 * Returns the keys added.
 */
export async function addTemplateCatalog(
  m: EntityManager,
  audit: AuditService,
  actor: string,
  items: TemplateCatalogItems,
  comment: string,
): Promise<string[]> {
  const added: string[] = [];
  const add = async <T extends { key: string }>(
    entity: typeof FactRow | typeof BenefitRow | typeof BenefitPackageRow,
    entityType: string,
    list: T[],
    toRow: (t: T) => object,
  ) => {
    for (const item of list) {
      const inserted: unknown[] = await m
        .createQueryBuilder()
        .insert()
        .into(entity)
        .values(toRow(item))
        .orIgnore()
        .returning('key')
        .execute()
        .then((r) => r.raw as unknown[]);
      if (inserted.length) {
        await audit.record(m, { actor, action: `${entityType}.create`, entityType, entityId: item.key, after: item, comment });
        added.push(item.key);
      }
    }
  };
  await add(FactRow, 'fact', items.facts, FACTS.toRow);
  await add(BenefitRow, 'benefit', items.benefits, BENEFITS.toRow);
  await add(BenefitPackageRow, 'benefit_package', items.benefitPackages, BENEFIT_PACKAGES.toRow);
  return added;
}

/** A template's policy with its test cases (no versions yet): the key and name default to the template's. */
export async function createTemplatePolicy(
  m: EntityManager,
  s: { policies: PoliciesService; testCases: TestCasesService },
  actor: string,
  t: PolicyTemplate,
  given: { key?: string; name?: string } = {},
) {
  const policy = await s.policies.createPolicyIn(m, actor, {
    key: given.key ?? t.key,
    name: given.name ?? `${t.name} ${t.nameEn}`,
    description: t.description,
  });
  for (const c of t.testCases) await s.testCases.createIn(m, actor, policy.id, c);
  return policy;
}
