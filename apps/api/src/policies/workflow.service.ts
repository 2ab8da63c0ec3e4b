import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { factsInCondition, validatePolicy } from '@tierwise/policy-engine';
import type { TopLevelCondition } from '@tierwise/policy-engine';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../common/access/access.decorators';
import type { ErrorDetail } from '../common/errors/app.exception';
import { freeze, loadCatalog } from './catalog-snapshot';
import { definitionDetails } from './definition-path';
import { PoliciesService } from './policies.service';
import { PolicyVersionRow, RolloutStep, StoredStatus } from './policy.entities';
import { PolicyException, PolicyExceptionCode } from './policy.exception';
import { versionStamp, versionView } from './policy-view';
import { PolicyEvents } from './policy-events';
import { TestCasesService } from './test-cases.service';
import { assertNotControlledBy } from '../users/account-control';
import { describeGap, restorePredecessor, retirementGap, retirementNeedsFourEyes } from './retirement';

export interface RetireOptions {
  comment?: string;
  /** Needed when the retirement would leave the policy with nothing in effect for a while. */
  acknowledgeGap?: boolean;
}

export interface PublishOptions {
  effectiveFrom?: Date;
  /** Regional rollout: customers matching a segment switch at its instant, all others at effectiveFrom. */
  rollout?: { segment: unknown; effectiveFrom: Date }[];
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
    private readonly events: PolicyEvents,
  ) {}

  /** Lock the version, check its status, apply `change`, audit the step: all in one transaction. */
  private step(
    actor: Principal,
    id: string,
    action: string | ((v: PolicyVersionRow) => string),
    from: StoredStatus[],
    comment: string | undefined,
    change: (m: EntityManager, v: PolicyVersionRow) => Promise<Partial<PolicyVersionRow>>,
    manager?: EntityManager,
  ) {
    const run = async (m: EntityManager) => {
      const v = await this.policies.versionRow(m, id, true);
      const name = typeof action === 'string' ? action : action(v);
      if (!from.includes(v.status)) {
        const immutable = v.status === 'published' || v.status === 'retired' || v.status === 'discarded';
        const status = versionView(v).status;
        throw new PolicyException(
          immutable ? PolicyExceptionCode.Immutable : PolicyExceptionCode.WrongStatus,
          `Cannot ${name.replace(/_/g, ' ')} version ${v.number}: it is ${status} (needs ${from.join(' or ')})`,
          undefined,
          { action: name, number: v.number, status, needs: from.join(',') },
        );
      }
      const before = versionStamp(v);
      const patch = await change(m, v);
      // jsonb columns (frozen) are plain JSON; TypeORM's deep-partial type cannot follow the recursive condition types.
      await m.getRepository(PolicyVersionRow).update({ id }, patch as QueryDeepPartialEntity<PolicyVersionRow>);
      const after = await this.policies.versionRow(m, id);
      await this.audit.record(m, {
        actor: actor.username,
        action: `version.${name}`,
        entityType: 'policy_version',
        entityId: id,
        before,
        after: versionStamp(after),
        comment: comment ?? null,
      });
      return versionView(after);
    };
    const done = manager ? run(manager) : this.ds.transaction(run);
    return done.finally(() => this.events.versionChanged());
  }

  submit(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'submit', ['draft'], comment, async (m, v) => {
      const validation = await this.policies.validate(v.definition, m);
      if (!validation.valid) {
        throw new PolicyException(
          PolicyExceptionCode.InvalidDefinition,
          `Version ${v.number} has ${validation.errors.length} validation error(s)`,
          definitionDetails(validation.errors),
          { number: v.number, errors: validation.errors.length },
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
              code: 'TEST_CASE_FAILED',
              params: { testCaseId: r.testCaseId, name: r.name, expectedTier: r.expectedTier, actualTier: r.actualTier },
            })),
          { failed: run.failed, total: run.results.length },
        );
      }
      return { status: 'in_review', submittedBy: actor.username, submittedAt: new Date() };
    });
  }

  /**
   * in_review → approved. The catalog entries the version uses are frozen here, not at publication:
   * what the approver reviewed is what publishes, whatever the catalog becomes in between (an edit
   * after approval reaches the next version, which is reviewed in its turn).
   */
  approve(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'approve', ['in_review'], comment, async (m, v) => {
      if (v.editors.includes(actor.username) || v.createdBy === actor.username || v.submittedBy === actor.username) {
        throw new PolicyException(
          PolicyExceptionCode.FourEyes,
          `Four-eyes rule: ${actor.username} authored, edited or submitted version ${v.number} and cannot approve it`,
          undefined,
          { username: actor.username, number: v.number },
        );
      }
      await assertNotControlledBy(m, actor.username, [...v.editors, v.createdBy, v.submittedBy], `version ${v.number}`);
      return { status: 'approved', approvedBy: actor.username, approvedAt: new Date(), frozen: freeze(v.definition, await loadCatalog(m)) };
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
      frozen: null,
    }));
  }

  /**
   * approved → published, effective at `effectiveFrom` (default now). The version in effect at that
   * instant is superseded then; the catalog entries the version uses are frozen into it.
   */
  publish(actor: Principal, id: string, options: PublishOptions = {}, comment?: string, manager?: EntityManager) {
    const requested = options.effectiveFrom;
    if (requested && !options.allowPast && requested.getTime() < Date.now()) {
      throw new PolicyException(
        PolicyExceptionCode.EffectiveFromInvalid,
        'effectiveFrom cannot lie in the past: decisions already made keep the version that made them. Leave it out to publish now.',
        [{ path: 'effectiveFrom', message: 'is in the past (leave it out to publish now)' }],
      );
    }
    (options.rollout ?? []).forEach((r, i) => {
      if (!options.allowPast && r.effectiveFrom.getTime() < Date.now()) {
        throw new PolicyException(PolicyExceptionCode.EffectiveFromInvalid, 'A rollout step cannot start in the past', [
          { path: `rollout[${i}].effectiveFrom`, message: 'is in the past' },
        ]);
      }
    });
    return this.step(
      actor,
      id,
      'publish',
      ['approved'],
      comment,
      async (m, v) => {
        await this.policies.policyRow(m, v.policyId, true); // one publish per policy at a time
        const rollout = options.rollout?.length ? await rolloutSteps(m, options.rollout) : null;
        // "now" once the version and its policy are locked: a requested instant that passed while waiting becomes now, never earlier.
        const now = new Date();
        const at = requested && (options.allowPast || requested > now) ? requested : now;
        const clash: { number: number }[] = await m.query(`SELECT number FROM policy_version WHERE policy_id = $1 AND effective_from = $2`, [v.policyId, at]);
        if (clash.length) {
          throw new PolicyException(
            PolicyExceptionCode.EffectiveFromTaken,
            `Version ${clash[0].number} already takes effect at ${at.toISOString()}`,
            [{ path: 'effectiveFrom', message: 'is taken by another version' }],
            { number: clash[0].number, at: at.toISOString() },
          );
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
          // frozen at approval (versions approved before that froze at publication)
          frozen: v.frozen ?? freeze(v.definition, await loadCatalog(m)),
          rollout,
        };
      },
      manager,
    );
  }

  /** A submission taken back by its author (or another author): in_review → draft, editable again. Nothing is approved by it. */
  withdraw(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'withdraw', ['in_review'], comment, async (_m, v) => ({
      status: 'draft',
      revision: v.revision + 1,
      submittedBy: null,
      submittedAt: null,
    }));
  }

  /** A draft nobody wants: kept (its number, history and simulations stay) but never editable, submittable or evaluated again. */
  discard(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'discard', ['draft'], comment, async () => ({ status: 'discarded' }));
  }

  /**
   * Retire a version. One that is in effect or scheduled changes what every caller gets, so it takes
   * two people: this records the request (the version stays in effect) and another approver approves
   * it (`approveRetirement`). Drafts, versions in review or approved, and superseded versions retire at
   * once. Either step refuses, unless `acknowledgeGap`, when nothing would be in effect for a while.
   */
  retire(actor: Principal, id: string, options: RetireOptions = {}) {
    const now = new Date();
    const fourEyes = (v: PolicyVersionRow) => v.status === 'published' && retirementNeedsFourEyes(v, now);
    return this.step(
      actor,
      id,
      (v) => (fourEyes(v) ? 'retire_request' : 'retire'),
      ['draft', 'in_review', 'approved', 'published'],
      options.comment,
      async (m, v): Promise<Partial<PolicyVersionRow>> => {
        if (!fourEyes(v)) return { status: 'retired', retiredBy: actor.username, retiredAt: now };
        if (v.retireRequestedBy) {
          throw new PolicyException(
            PolicyExceptionCode.RetirementPending,
            `${v.retireRequestedBy} already asked to retire version ${v.number}: another approver approves or rejects that request`,
          );
        }
        await this.checkGap(m, v, now, options.acknowledgeGap);
        return { retireRequestedBy: actor.username, retireRequestedAt: now, retireRequestComment: options.comment ?? null };
      },
    );
  }

  /** The second pair of eyes on a retirement: someone other than who asked for it. */
  approveRetirement(actor: Principal, id: string, options: RetireOptions = {}) {
    const now = new Date();
    return this.step(actor, id, 'retire', ['published'], options.comment, async (m, v) => {
      const requester = this.pendingRequest(v);
      if (requester === actor.username) {
        throw new PolicyException(PolicyExceptionCode.FourEyes, `Four-eyes rule: ${actor.username} asked to retire version ${v.number} and cannot approve it`);
      }
      await assertNotControlledBy(m, actor.username, [requester], `the retirement of version ${v.number}`);
      if (retirementNeedsFourEyes(v, now)) await this.checkGap(m, v, now, options.acknowledgeGap);
      await restorePredecessor(m, v, now);
      return { status: 'retired', retiredBy: actor.username, retiredAt: now };
    });
  }

  /** Turn a retirement request down (or withdraw one's own): the version stays as it is. */
  rejectRetirement(actor: Principal, id: string, comment?: string) {
    return this.step(actor, id, 'retire_reject', ['published'], comment, async (_m, v) => {
      this.pendingRequest(v);
      return { retireRequestedBy: null, retireRequestedAt: null, retireRequestComment: null };
    });
  }

  private pendingRequest(v: PolicyVersionRow): string {
    if (!v.retireRequestedBy) {
      throw new PolicyException(PolicyExceptionCode.NoRetirementRequest, `Nobody asked to retire version ${v.number}: ask first (retire)`);
    }
    return v.retireRequestedBy;
  }

  private async checkGap(m: EntityManager, v: PolicyVersionRow, now: Date, acknowledged: boolean | undefined): Promise<void> {
    const gap = await retirementGap(m, v, now);
    if (gap && !acknowledged) {
      throw new PolicyException(
        PolicyExceptionCode.RetirementLeavesGap,
        `Retiring version ${v.number}: ${describeGap(gap)}, and every evaluation of this policy then answers 404. Send acknowledgeGap: true to go ahead.`,
        [{ path: 'acknowledgeGap', message: describeGap(gap) }],
      );
    }
  }
}

/**
 * Rollout steps as stored: each segment checked by the policy engine like a condition of a definition
 * (422 with its path under `rollout[i].segment`), with the catalog facts it reads frozen beside it.
 */
async function rolloutSteps(m: EntityManager, steps: { segment: unknown; effectiveFrom: Date }[]): Promise<RolloutStep[]> {
  const catalog = await loadCatalog(m);
  const details: ErrorDetail[] = [];
  const out = steps.map((s, i) => {
    const definition = { schemaVersion: 1, eligibility: s.segment, tiers: [{ key: 'IN', name: 'in segment' }] };
    const r = validatePolicy(definition, catalog.facts);
    for (const e of r.errors) {
      const rest = e.path.replace(/^eligibility/, '');
      details.push({ path: `rollout[${i}].segment${rest}`, message: e.message, code: e.code, ...(e.messageZh ? { messageZh: e.messageZh } : {}) });
    }
    const used = factsInCondition(s.segment);
    return { segment: s.segment as TopLevelCondition, effectiveFrom: s.effectiveFrom.toISOString(), facts: catalog.facts.filter((f) => used.has(f.key)) };
  });
  if (details.length) throw new PolicyException(PolicyExceptionCode.InvalidDefinition, 'A rollout segment is not a valid condition', details);
  return out;
}
