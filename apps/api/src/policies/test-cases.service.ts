import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { cutoffsOfExamples, explain } from '@tierwise/policy-engine';
import type { Facts } from '@tierwise/policy-engine';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ListQuery } from '../common/list-query';
import { EvaluatorCache } from './evaluator-cache';
import { PolicyVersionRow, TestCaseRow } from './policy.entities';
import { PolicyException, PolicyExceptionCode } from './policy.exception';

export interface TestCaseInput {
  name: string;
  facts: Facts;
  expectedTier: string | null;
}

export interface TestCaseResult {
  testCaseId: string;
  name: string;
  expectedTier: string | null;
  actualTier: string | null;
  passed: boolean;
  explanation: { 'zh-CN': string[]; en: string[] };
}

const view = (t: TestCaseRow) => ({
  id: t.id,
  policyId: t.policyId,
  name: t.name,
  facts: t.facts,
  expectedTier: t.expectedTier,
  createdBy: t.createdBy,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});
const audited = (t: TestCaseRow) => ({ policyId: t.policyId, name: t.name, facts: t.facts, expectedTier: t.expectedTier });

@Injectable()
export class TestCasesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly evaluators: EvaluatorCache,
  ) {}

  async list(policyId: string, q: ListQuery) {
    await this.policyExists(this.ds.manager, policyId);
    const [rows, total] = await this.ds
      .getRepository(TestCaseRow)
      .createQueryBuilder('t')
      .where('t.policyId = :policyId', { policyId })
      .orderBy(`t.${q.sortField}`, q.sortOrder)
      .skip(q.skip)
      .take(q.take)
      .getManyAndCount();
    return { rows: rows.map(view), total };
  }

  async get(policyId: string, id: string) {
    return view(await this.row(this.ds.manager, policyId, id));
  }

  private async row(m: EntityManager, policyId: string, id: string, lock = false) {
    const qb = m.getRepository(TestCaseRow).createQueryBuilder('t').where('t.id = :id AND t.policyId = :policyId', { id, policyId });
    if (lock) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    if (!row) throw new PolicyException(PolicyExceptionCode.TestCaseNotFound, `No test case ${id} in this policy`);
    return row;
  }

  create(actor: string, policyId: string, input: TestCaseInput) {
    return this.ds.transaction((m) => this.createIn(m, actor, policyId, input));
  }

  /** `stamps.createdAt` keeps a file's order when several cases are created in one transaction (which shares now()). */
  async createIn(m: EntityManager, actor: string, policyId: string, input: TestCaseInput, stamps: Pick<Partial<TestCaseRow>, 'createdAt'> = {}) {
    await this.policyExists(m, policyId);
    const row = m
      .getRepository(TestCaseRow)
      .create({ policyId, name: input.name, facts: input.facts, expectedTier: input.expectedTier, createdBy: actor, ...stamps });
    await m.getRepository(TestCaseRow).save(row);
    await this.audit.record(m, { actor, action: 'test_case.create', entityType: 'test_case', entityId: row.id, after: audited(row) });
    return view(row);
  }

  update(actor: string, policyId: string, id: string, input: TestCaseInput) {
    return this.ds.transaction(async (m) => {
      const before = await this.row(m, policyId, id, true);
      const beforeAudit = audited(before);
      Object.assign(before, input);
      await m.getRepository(TestCaseRow).save(before);
      await this.audit.record(m, { actor, action: 'test_case.update', entityType: 'test_case', entityId: id, before: beforeAudit, after: audited(before) });
      return view(before);
    });
  }

  remove(actor: string, policyId: string, id: string) {
    return this.ds.transaction(async (m) => {
      const row = await this.row(m, policyId, id, true);
      await m.getRepository(TestCaseRow).delete({ id });
      await this.audit.record(m, { actor, action: 'test_case.delete', entityType: 'test_case', entityId: id, before: audited(row) });
      return view(row);
    });
  }

  private async policyExists(m: EntityManager, policyId: string): Promise<void> {
    const exists: unknown[] = await m.query('SELECT 1 FROM policy WHERE id = $1', [policyId]);
    if (!exists.length) throw new PolicyException(PolicyExceptionCode.PolicyNotFound, `No policy with id ${policyId}`);
  }

  /** Every test case of the version's policy, evaluated by that version (or by `definition` in its place: unsaved edits). */
  async run(
    v: PolicyVersionRow,
    m: EntityManager = this.ds.manager,
    definition?: unknown,
  ): Promise<{ passed: number; failed: number; results: TestCaseResult[] }> {
    const cases = await m.getRepository(TestCaseRow).find({ where: { policyId: v.policyId }, order: { createdAt: 'ASC' } });
    const prepared = await this.evaluators.prepare(definition === undefined ? v : this.evaluators.unsaved(v, definition));
    const results: TestCaseResult[] = [];
    // a policy that ranks customers against each other: its test cases, taken together, are the population
    const cutoffs = cutoffsOfExamples(
      prepared.definition,
      prepared.catalog.facts,
      cases.map((c) => c.facts),
    );
    for (const c of cases) {
      const r = await prepared.evaluator.evaluate(c.facts, cutoffs ? { cutoffs } : {});
      const actualTier = r.tier?.key ?? null;
      results.push({
        testCaseId: c.id,
        name: c.name,
        expectedTier: c.expectedTier,
        actualTier,
        passed: actualTier === c.expectedTier,
        explanation: {
          'zh-CN': explain(r, prepared.definition, prepared.catalog.facts, 'zh-CN'),
          en: explain(r, prepared.definition, prepared.catalog.facts, 'en'),
        },
      });
    }
    const passed = results.filter((r) => r.passed).length;
    return { passed, failed: results.length - passed, results };
  }
}
