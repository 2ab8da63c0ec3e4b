import { templateCatalog, templates } from '@tierwise/policy-engine';
import type { PolicyTemplate } from '@tierwise/policy-engine';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/auth.decorators';
import { BenefitPackageRow, BenefitRow, FactRow } from '../catalog/catalog.entities';
import { BENEFIT_PACKAGES, BENEFITS, FACTS } from '../catalog/catalog.specs';
import { PoliciesService } from '../policies/policies.service';
import { PolicyRow } from '../policies/policy.entities';
import { TestCasesService } from '../policies/test-cases.service';
import { WorkflowService } from '../policies/workflow.service';

export const SEED_ACTOR: Principal = { userId: 'system', username: 'system:seed', roles: ['admin'] };

export interface SeedServices {
  ds: DataSource;
  audit: AuditService;
  policies: PoliciesService;
  workflow: WorkflowService;
  testCases: TestCasesService;
}

/** Catalog entries of the templates that are not in the catalog yet (existing keys are left as they are). */
async function seedCatalog(m: EntityManager, s: SeedServices): Promise<void> {
  const catalog = templateCatalog();
  const add = async <T extends { key: string }>(entity: typeof FactRow | typeof BenefitRow | typeof BenefitPackageRow, entityType: string, items: T[], toRow: (t: T) => object) => {
    for (const item of items) {
      const inserted: unknown[] = await m.createQueryBuilder().insert().into(entity).values(toRow(item)).orIgnore().returning('key').execute().then((r) => r.raw as unknown[]);
      if (inserted.length) await s.audit.record(m, { actor: SEED_ACTOR.username, action: `${entityType}.create`, entityType, entityId: item.key, after: item, comment: 'seed template catalog' });
    }
  };
  await add(FactRow, 'fact', catalog.facts, FACTS.toRow);
  await add(BenefitRow, 'benefit', catalog.benefits, BENEFITS.toRow);
  await add(BenefitPackageRow, 'benefit_package', catalog.benefitPackages, BENEFIT_PACKAGES.toRow);
}

/** One template as a policy: its test cases, then each version drafted, approved by the seed and published in order. */
async function seedTemplate(m: EntityManager, s: SeedServices, t: PolicyTemplate): Promise<boolean> {
  if (await m.getRepository(PolicyRow).existsBy({ key: t.key })) return false;
  const policy = await s.policies.createPolicyIn(m, SEED_ACTOR.username, { key: t.key, name: `${t.name} ${t.nameEn}`, description: t.description });
  for (const c of t.testCases) await s.testCases.createIn(m, SEED_ACTOR.username, policy.id, c);
  for (const v of t.versions) {
    const draft = await s.policies.createVersionIn(m, SEED_ACTOR.username, policy.id, { definition: v.definition, changeNote: v.changeNote });
    await m.query(`UPDATE policy_version SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1`, [draft.id, SEED_ACTOR.username]);
    await s.audit.record(m, { actor: SEED_ACTOR.username, action: 'version.approve', entityType: 'policy_version', entityId: draft.id, comment: 'shipped template: approved at installation' });
    await s.workflow.publish(SEED_ACTOR, draft.id, { effectiveFrom: v.effectiveFrom ? new Date(v.effectiveFrom) : undefined, allowPast: true }, 'shipped template', m);
  }
  return true;
}

/** Load every shipped template that is not there yet, in one transaction. */
export async function seedTemplates(s: SeedServices): Promise<string[]> {
  return s.ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock(7240003)');
    await seedCatalog(m, s);
    const added: string[] = [];
    for (const t of templates) if (await seedTemplate(m, s, t)) added.push(t.key);
    return added;
  });
}
