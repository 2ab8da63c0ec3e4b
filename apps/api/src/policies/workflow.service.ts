import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../common/access/access.decorators';
import { freeze, loadCatalog } from './catalog-snapshot';
import { definitionDetails } from './definition-path';
import { PoliciesService } from './policies.service';
import { PolicyVersionRow, StoredStatus } from './policy.entities';
import { PolicyException, PolicyExceptionCode } from './policy.exception';
import { versionStamp, versionView } from './policy-view';
import { TestCasesService } from './test-cases.service';
import { EvaluationService } from '../evaluation/evaluation.service';

/** How far in the past an effective date may lie (clock skew between a browser and the server). */
const PAST_TOLERANCE_MS = 5 * 60_000;

export interface PublishOptions {
  effectiveFrom?: Date;
  /** Seeding history (templates) may publish with a past effective date; users may not. */
  allowPast?: boolean;
}

@Injectable()
export class WorkflowService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly policies: PoliciesService,
    private readonly testCases: TestCasesService,
    private readonly evaluation: EvaluationService,
  ) {}

  /** Lock the version, check its status, apply `change`, audit the step: all in one transaction. */
  private step(
    actor: Principal,
    id: string,
    action: string,
    from: StoredStatus[],
    comment: string | undefined,
    change: (m: EntityManager, v: PolicyVersionRow) => Promise<Partial<PolicyVersionRow>>,
    manager?: EntityManager,
  ) {
    const run = async (m: EntityManager) => {
      const v = await this.policies.versionRow(m, id, true);
      if (!from.includes(v.status)) {
        const immutable = v.status === 'published' || v.status === 'retired';
        throw new PolicyException(
          immutable ? PolicyExceptionCode.Immutable : PolicyExceptionCode.WrongStatus,
          `Cannot ${action} version ${v.number}: it is ${versionView(v).status} (needs ${from.join(' or ')})`,
        );
      }
      const before = versionStamp(v);
      const patch = await change(m, v);
      // jsonb columns (frozen) are plain JSON; TypeORM's deep-partial type cannot follow the recursive condition types.
      await m.getRepository(PolicyVersionRow).update({ id }, patch as QueryDeepPartialEntity<PolicyVersionRow>);
      const after = await this.policies.versionRow(m, id);
      await this.audit.record(m, {
        actor: actor.username,
        action: `version.${action}`,
        entityType: 'policy_version',
        entityId: id,
        before,
        after: versionStamp(after),
        comment: comment ?? null,
      });
      return versionView(after);
    };
    const done = manager ? run(manager) : this.ds.transaction(run);
    return done.finally(() => this.evaluation.invalidate());
  }

  submit(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'submit', ['draft'], comment, async (m, v) => {
      const validation = await this.policies.validate(v.definition, m);
      if (!validation.valid) {
        throw new PolicyException(
          PolicyExceptionCode.InvalidDefinition,
          `Version ${v.number} has ${validation.errors.length} validation error(s)`,
          definitionDetails(validation.errors),
        );
      }
      const run = await this.testCases.run(v, m);
      if (run.failed) {
        throw new PolicyException(
          PolicyExceptionCode.TestCasesFailed,
          `${run.failed} of ${run.results.length} test case(s) fail`,
          run.results
            .filter((r) => !r.passed)
            .map((r) => ({
              path: `testCases[${r.testCaseId}]`,
              message: `${r.name}: expected ${r.expectedTier ?? 'not rated'}, got ${r.actualTier ?? 'not rated'}`,
            })),
        );
      }
      return { status: 'in_review', submittedBy: actor.username, submittedAt: new Date() };
    });
  }

  approve(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'approve', ['in_review'], comment, async (_m, v) => {
      if (v.editors.includes(actor.username) || v.createdBy === actor.username || v.submittedBy === actor.username) {
        throw new PolicyException(
          PolicyExceptionCode.FourEyes,
          `Four-eyes rule: ${actor.username} authored, edited or submitted version ${v.number} and cannot approve it`,
        );
      }
      return { status: 'approved', approvedBy: actor.username, approvedAt: new Date() };
    });
  }

  reject(actor: Principal, id: string, comment: string) {
    return this.step(actor, id, 'reject', ['in_review', 'approved'], comment, async (_m, v) => ({
      status: 'draft',
      revision: v.revision + 1,
      submittedBy: null,
      submittedAt: null,
      approvedBy: null,
      approvedAt: null,
    }));
  }

  /**
   * approved → published, effective at `effectiveFrom` (default now). The version in effect at that
   * instant is superseded then; the catalog entries the version uses are frozen into it.
   */
  publish(actor: Principal, id: string, options: PublishOptions = {}, comment?: string, manager?: EntityManager) {
    const now = new Date();
    const at = options.effectiveFrom ?? now;
    if (!options.allowPast && at.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      throw new PolicyException(
        PolicyExceptionCode.EffectiveFromInvalid,
        'effectiveFrom cannot lie in the past: decisions already made must keep their version',
        [{ path: 'effectiveFrom', message: 'is in the past' }],
      );
    }
    return this.step(
      actor,
      id,
      'publish',
      ['approved'],
      comment,
      async (m, v) => {
        await this.policies.policyRow(m, v.policyId, true); // one publish per policy at a time
        const clash: { number: number }[] = await m.query(`SELECT number FROM policy_version WHERE policy_id = $1 AND effective_from = $2`, [v.policyId, at]);
        if (clash.length) {
          throw new PolicyException(PolicyExceptionCode.EffectiveFromTaken, `Version ${clash[0].number} already takes effect at ${at.toISOString()}`, [
            { path: 'effectiveFrom', message: 'is taken by another version' },
          ]);
        }
        // The version in effect at `at` ends there; this one ends where the next scheduled one begins.
        await m.query(
          `UPDATE policy_version SET superseded_at = $2, updated_at = now()
            WHERE policy_id = $1 AND status = 'published' AND effective_from < $2 AND (superseded_at IS NULL OR superseded_at > $2)`,
          [v.policyId, at],
        );
        const next: { at: Date | null }[] = await m.query(
          `SELECT min(effective_from) AS at FROM policy_version WHERE policy_id = $1 AND status = 'published' AND effective_from > $2`,
          [v.policyId, at],
        );
        return {
          status: 'published',
          publishedBy: actor.username,
          publishedAt: now,
          effectiveFrom: at,
          supersededAt: next[0].at,
          frozen: freeze(v.definition, await loadCatalog(m)),
        };
      },
      manager,
    );
  }

  retire(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'retire', ['draft', 'in_review', 'approved', 'published'], comment, async () => ({
      status: 'retired',
      retiredBy: actor.username,
      retiredAt: new Date(),
    }));
  }
}
