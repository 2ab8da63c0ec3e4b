import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../common/access/access.decorators';
import { PoliciesService } from '../policies/policies.service';
import { PolicyRow } from '../policies/policy.entities';
import { TestCasesService } from '../policies/test-cases.service';
import { WorkflowService } from '../policies/workflow.service';
import { PolicyFilesService } from '../policy-files/policy-files.service';
import { templateCatalog, templates, type ShippedTemplate } from '../templates/template-library';

export const SEED_ACTOR: Principal = { userId: 'system', username: 'system:seed', roles: ['admin'] };

export interface SeedServices {
  ds: DataSource;
  audit: AuditService;
  policies: PoliciesService;
  workflow: WorkflowService;
  testCases: TestCasesService;
}

type Seeding = SeedServices & { files: PolicyFilesService };

/** One template as a policy: each of its files imported in order (the first creates the policy), approved by the seed and published at its date. */
async function seedTemplate(m: EntityManager, s: Seeding, t: ShippedTemplate): Promise<boolean> {
  if (await m.getRepository(PolicyRow).existsBy({ key: t.key })) return false;
  for (const v of t.versions) {
    const { version: draft } = await s.files.importIn(m, SEED_ACTOR.username, v.content);
    await m.query(`UPDATE policy_version SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1`, [draft.id, SEED_ACTOR.username]);
    await s.audit.record(m, {
      actor: SEED_ACTOR.username,
      action: 'version.approve',
      entityType: 'policy_version',
      entityId: draft.id,
      comment: 'shipped template: approved at installation',
    });
    await s.workflow.publish(
      SEED_ACTOR,
      draft.id,
      { effectiveFrom: v.effectiveFrom ? new Date(v.effectiveFrom) : undefined, allowPast: true },
      'shipped template',
      m,
    );
  }
  return true;
}

/** Load every shipped template that is not there yet, in one transaction. */
export async function seedTemplates(services: SeedServices): Promise<string[]> {
  const s: Seeding = { ...services, files: new PolicyFilesService(services.ds, services.audit, services.policies, services.testCases) };
  return s.ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock(7240003)');
    await s.files.addCatalog(m, SEED_ACTOR.username, { catalog: templateCatalog() }, 'seed template catalog');
    const added: string[] = [];
    for (const t of templates()) if (await seedTemplate(m, s, t)) added.push(t.key);
    return added;
  });
}
