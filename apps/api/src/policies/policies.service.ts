import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { validatePolicy } from '@tierwise/policy-engine';
import type { PolicyDefinition, ValidationResult } from '@tierwise/policy-engine';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ListQuery } from '../common/list-query';
import { loadCatalog } from './catalog-snapshot';
import { versionDiff, type VersionDiff } from './definition-diff';
import { definitionDetails } from './definition-path';
import { PolicyRow, PolicyVersionRow } from './policy.entities';
import { PolicyException, PolicyExceptionCode } from './policy.exception';
import { policyView, versionView } from './policy-view';
import { retirementGap } from './retirement';

export interface PolicyInput {
  key: string;
  name: string;
  description?: string;
}

export interface VersionInput {
  definition?: unknown;
  changeNote?: string;
  basedOn?: string;
}

/** Problems that make a definition unstorable even as a draft: hostile size, non-JSON data, dangerous keys. */
const UNSTORABLE = /^(limit-|not-json|forbidden-key)/;

@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  // ---- policies -------------------------------------------------------------------------------

  async listPolicies(q: ListQuery) {
    const qb = this.ds.getRepository(PolicyRow).createQueryBuilder('p');
    const search = q.filter.q;
    if (typeof search === 'string' && search) qb.where('(p.key ILIKE :q OR p.name ILIKE :q)', { q: `%${search}%` });
    const [rows, total] = await qb.orderBy(`p.${q.sortField}`, q.sortOrder).skip(q.skip).take(q.take).getManyAndCount();
    const versions = rows.length ? await this.ds.getRepository(PolicyVersionRow).find({ where: { policyId: In(rows.map((r) => r.id)) } }) : [];
    return {
      rows: rows.map((p) =>
        policyView(
          p,
          versions.filter((v) => v.policyId === p.id),
        ),
      ),
      total,
    };
  }

  async getPolicy(id: string) {
    const p = await this.policyRow(this.ds.manager, id);
    const versions = await this.ds.getRepository(PolicyVersionRow).find({ where: { policyId: id } });
    return policyView(p, versions);
  }

  async policyRow(m: EntityManager, id: string, lock = false): Promise<PolicyRow> {
    const qb = m.getRepository(PolicyRow).createQueryBuilder('p').where('p.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const p = await qb.getOne();
    if (!p) throw new PolicyException(PolicyExceptionCode.PolicyNotFound, `No policy with id ${id}`);
    return p;
  }

  async policyByKey(m: EntityManager, key: string): Promise<PolicyRow> {
    const p = await m.getRepository(PolicyRow).findOneBy({ key });
    if (!p) throw new PolicyException(PolicyExceptionCode.PolicyNotFound, `No policy with key ${key}`, [{ path: 'policy', message: 'unknown policy' }]);
    return p;
  }

  createPolicy(actor: string, input: PolicyInput) {
    return this.ds.transaction((m) => this.createPolicyIn(m, actor, input));
  }

  async createPolicyIn(m: EntityManager, actor: string, input: PolicyInput) {
    if (await m.getRepository(PolicyRow).existsBy({ key: input.key })) {
      throw new PolicyException(PolicyExceptionCode.KeyTaken, `A policy with key ${input.key} exists`, [{ path: 'key', message: 'is taken' }], {
        key: input.key,
      });
    }
    const row = m.getRepository(PolicyRow).create({ key: input.key, name: input.name, description: input.description ?? null, createdBy: actor });
    await m.getRepository(PolicyRow).insert(row);
    const view = policyView(row, []);
    await this.audit.record(m, {
      actor,
      action: 'policy.create',
      entityType: 'policy',
      entityId: row.id,
      after: { key: row.key, name: row.name, description: row.description },
    });
    return view;
  }

  // ---- versions -------------------------------------------------------------------------------

  async listVersions(policyId: string, q: ListQuery) {
    await this.policyRow(this.ds.manager, policyId);
    const [rows, total] = await this.ds
      .getRepository(PolicyVersionRow)
      .createQueryBuilder('v')
      .where('v.policyId = :policyId', { policyId })
      .orderBy(`v.${q.sortField}`, q.sortOrder)
      .skip(q.skip)
      .take(q.take)
      .getManyAndCount();
    return { rows: rows.map((v) => versionView(v)), total };
  }

  async versionRow(m: EntityManager, id: string, lock = false): Promise<PolicyVersionRow> {
    const qb = m.getRepository(PolicyVersionRow).createQueryBuilder('v').where('v.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const v = await qb.getOne();
    if (!v) throw new PolicyException(PolicyExceptionCode.VersionNotFound, `No policy version with id ${id}`);
    return v;
  }

  version(id: string): Promise<PolicyVersionRow> {
    return this.versionRow(this.ds.manager, id);
  }

  async getVersion(id: string) {
    const v = await this.versionRow(this.ds.manager, id);
    // what retiring it now would leave without a version in effect (null: nothing, or it cannot be retired)
    return { ...versionView(v), validation: await this.validate(v.definition), retirementGap: await retirementGap(this.ds.manager, v) };
  }

  async validate(definition: unknown, m: EntityManager = this.ds.manager): Promise<ValidationResult> {
    const catalog = await loadCatalog(m);
    return validatePolicy(definition, catalog.facts, { packages: catalog.packages.map((p) => p.key) });
  }

  /** A draft may be incomplete, but never hostile: size limits and key safety are enforced on every save. */
  private async checkStorable(m: EntityManager, definition: unknown): Promise<ValidationResult> {
    const result = await this.validate(definition, m);
    const fatal = result.errors.filter((e) => UNSTORABLE.test(e.code));
    const notObject = typeof definition !== 'object' || definition === null || Array.isArray(definition);
    if (notObject || fatal.length) {
      throw new PolicyException(
        PolicyExceptionCode.InvalidDefinition,
        'The definition cannot be stored',
        notObject ? [{ path: 'definition', message: 'must be a JSON object' }] : definitionDetails(fatal),
      );
    }
    return result;
  }

  createVersion(actor: string, policyId: string, input: VersionInput) {
    return this.ds.transaction((m) => this.createVersionIn(m, actor, policyId, input));
  }

  async createVersionIn(m: EntityManager, actor: string, policyId: string, input: VersionInput, stamps: Partial<PolicyVersionRow> = {}) {
    await this.policyRow(m, policyId, true); // serialises version numbering per policy
    let definition = input.definition;
    if (input.basedOn) {
      const base = await this.versionRow(m, input.basedOn);
      if (base.policyId !== policyId) {
        throw new PolicyException(PolicyExceptionCode.DifferentPolicies, 'basedOn must be a version of the same policy', [
          { path: 'basedOn', message: 'belongs to another policy' },
        ]);
      }
      definition ??= base.definition;
    }
    if (definition === undefined)
      throw new PolicyException(PolicyExceptionCode.InvalidDefinition, 'A definition is required', [{ path: 'definition', message: 'is required' }]);
    const validation = await this.checkStorable(m, definition);
    const max: { n: number | null }[] = await m.query('SELECT max(number) AS n FROM policy_version WHERE policy_id = $1', [policyId]);
    const row = m.getRepository(PolicyVersionRow).create({
      policyId,
      number: (max[0].n ?? 0) + 1,
      status: 'draft',
      revision: 1,
      definition: definition as PolicyDefinition,
      changeNote: input.changeNote ?? null,
      basedOn: input.basedOn ?? null,
      createdBy: actor,
      editors: [actor],
      ...stamps,
    });
    await m.getRepository(PolicyVersionRow).save(row);
    const saved = await this.versionRow(m, row.id);
    await this.audit.record(m, {
      actor,
      action: 'version.create',
      entityType: 'policy_version',
      entityId: saved.id,
      after: { policyId, number: saved.number, definition: saved.definition, changeNote: saved.changeNote, basedOn: saved.basedOn },
      comment: saved.changeNote,
    });
    return { ...versionView(saved), validation };
  }

  /** Optimistic concurrency: the caller's revision must be the current one; only drafts change. */
  updateVersion(actor: string, id: string, ifMatch: number, input: { definition: unknown; changeNote?: string }) {
    return this.ds.transaction(async (m) => {
      const current = await this.versionRow(m, id, true);
      if (current.status !== 'draft') {
        throw new PolicyException(
          current.status === 'in_review' || current.status === 'approved' ? PolicyExceptionCode.WrongStatus : PolicyExceptionCode.Immutable,
          `Version ${current.number} is ${current.status}: only drafts can be edited`,
          undefined,
          { number: current.number, status: current.status },
        );
      }
      if (current.revision !== ifMatch) {
        throw new PolicyException(
          PolicyExceptionCode.StaleRevision,
          `Version ${current.number} was changed by someone else (revision ${current.revision}, yours ${ifMatch}): reload and apply your change again`,
          [{ path: 'If-Match', message: `current revision is ${current.revision}` }],
          { number: current.number, current: current.revision, yours: ifMatch },
        );
      }
      const validation = await this.checkStorable(m, input.definition);
      const editors = current.editors.includes(actor) ? current.editors : [...current.editors, actor];
      await m.query(
        `UPDATE policy_version SET definition = $1, change_note = $2, revision = $3, editors = $4, updated_at = now()
          WHERE id = $5 AND revision = $6 AND status = 'draft'`,
        [JSON.stringify(input.definition), input.changeNote ?? current.changeNote, ifMatch + 1, editors, id, ifMatch],
      );
      const saved = await this.versionRow(m, id);
      await this.audit.record(m, {
        actor,
        action: 'version.update',
        entityType: 'policy_version',
        entityId: id,
        before: { definition: current.definition, changeNote: current.changeNote, revision: current.revision },
        after: { definition: saved.definition, changeNote: saved.changeNote, revision: saved.revision },
        comment: input.changeNote ?? null,
      });
      return { ...versionView(saved), validation };
    });
  }

  async diff(id: string, againstId: string): Promise<VersionDiff> {
    const [v, other] = await Promise.all([this.versionRow(this.ds.manager, id), this.versionRow(this.ds.manager, againstId)]);
    if (v.policyId !== other.policyId) {
      throw new PolicyException(PolicyExceptionCode.DifferentPolicies, 'Both versions must belong to the same policy', [
        { path: 'against', message: 'belongs to another policy' },
      ]);
    }
    return versionDiff(other, v, await loadCatalog(this.ds.manager));
  }
}
