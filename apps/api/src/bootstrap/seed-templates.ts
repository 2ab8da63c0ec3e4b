import { templateCatalog, templates } from '@tierwise/policy-engine';
import type { PolicyTemplate } from '@tierwise/policy-engine';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../common/access/access.decorators';
import { PoliciesService } from '../policies/policies.service';
import { PolicyRow } from '../policies/policy.entities';
import { TestCasesService } from '../policies/test-cases.service';
import { WorkflowService } from '../policies/workflow.service';
import { addTemplateCatalog, createTemplatePolicy } from '../templates/template-catalog';

export const SEED_ACTOR: Principal = { userId: 'system', username: 'system:seed', roles: ['admin'] };

export interface SeedServices {
  ds: DataSource;
  audit: AuditService;
  policies: PoliciesService;
  workflow: WorkflowService;
  testCases: TestCasesService;
}

/** One template as a policy: its test cases, then each version drafted, approved by the seed and published in order. */
async function seedTemplate(m: EntityManager, s: SeedServices, t: PolicyTemplate): Promise<boolean> {
  if (await m.getRepository(PolicyRow).existsBy({ key: t.key })) return false;
  const policy = await createTemplatePolicy(m, s, SEED_ACTOR.username, t);
  for (const v of t.versions) {
    const draft = await s.policies.createVersionIn(m, SEED_ACTOR.username, policy.id, { definition: v.definition, changeNote: v.changeNote });
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
export async function seedTemplates(s: SeedServices): Promise<string[]> {
  return s.ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock(7240003)');
    await addTemplateCatalog(m, s.audit, SEED_ACTOR.username, templateCatalog(), 'seed template catalog');
    const added: string[] = [];
    for (const t of templates) if (await seedTemplate(m, s, t)) added.push(t.key);
    return added;
  });
}
