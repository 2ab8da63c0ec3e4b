import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalPolicyFile, checkPolicyFile, jsonEqual, POLICY_FILE_FORMAT } from '@tierwise/policy-engine';
import type { Benefit, BenefitPackage, FactDefinition, PolicyFile } from '@tierwise/policy-engine';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { BenefitPackageRow, BenefitRow, FactRow } from '../catalog/catalog.entities';
import { BENEFIT_PACKAGES, BENEFITS, FACTS } from '../catalog/catalog.specs';
import type { ErrorDetail } from '../common/errors/app.exception';
import { catalogFor, loadCatalog } from '../policies/catalog-snapshot';
import { PoliciesService } from '../policies/policies.service';
import { displayStatus, PolicyRow, PolicyVersionRow, TestCaseRow } from '../policies/policy.entities';
import { PolicyException, PolicyExceptionCode } from '../policies/policy.exception';
import { policyView } from '../policies/policy-view';
import { TestCasesService } from '../policies/test-cases.service';
import { PolicyFileException, PolicyFileExceptionCode } from './policy-file.exception';

/** What an import may change about the file: the policy's key and name (templates started under another key). */
export interface ImportOverrides {
  key?: string;
  name?: string;
}

export interface ImportResult {
  policy: ReturnType<typeof policyView>;
  version: Awaited<ReturnType<PoliciesService['createVersionIn']>>;
  /** Whether the policy was created by this import (false: a draft added to an existing policy). */
  createdPolicy: boolean;
  /** Catalog keys the import added (existing items are kept as they are). */
  addedToCatalog: string[];
  testCases: { added: number; kept: number };
}

/** Catalog items whose differences change what a policy decides or costs; labels and descriptions may differ (the bank's wording wins). */
const sameFact = (a: FactDefinition, b: FactDefinition) =>
  a.type === b.type && (a.unit ?? null) === (b.unit ?? null) && jsonEqual(a.enumValues ?? null, b.enumValues ?? null);
const sameBenefit = (a: Benefit, b: Benefit) => (a.unitCost ?? null) === (b.unitCost ?? null);
const samePackage = (a: BenefitPackage, b: BenefitPackage) => jsonEqual([...a.benefits].sort(), [...b.benefits].sort());

/** Parses a policy file (already JSON) with the engine's one check: 422 with every problem's path in the file. */
export function parsePolicyFile(value: unknown): PolicyFile {
  const check = checkPolicyFile(value);
  if (!check.file) {
    throw new PolicyFileException(
      PolicyFileExceptionCode.Invalid,
      `Not a valid policy file (${POLICY_FILE_FORMAT}): ${check.errors.length} problem(s)`,
      check.errors.slice(0, 200).map((e) => ({ path: e.path, message: e.message, code: e.code, ...(e.messageZh ? { messageZh: e.messageZh } : {}) })),
      { problems: check.errors.length },
    );
  }
  return check.file;
}

/**
 * Policies as files (contract §11): a policy version exported with its test cases and the catalog
 * items it uses, and such a file imported as a draft — of a new policy, or of the existing policy
 * with the file's key — through the ordinary four-eyes workflow afterwards. The shipped templates
 * are imported through here too.
 */
@Injectable()
export class PolicyFilesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly policies: PoliciesService,
    private readonly testCases: TestCasesService,
  ) {}

  /** The policy file of `versionId`, or of the version in effect now (else the latest one). */
  async export(policyId: string, versionId?: string): Promise<{ file: PolicyFile; fileName: string }> {
    const m = this.ds.manager;
    const policy = await this.policies.policyRow(m, policyId);
    const versions = await m.getRepository(PolicyVersionRow).find({ where: { policyId }, order: { number: 'DESC' } });
    let version: PolicyVersionRow | undefined;
    if (versionId !== undefined) {
      version = versions.find((v) => v.id === versionId);
      if (!version) {
        throw new PolicyException(PolicyExceptionCode.VersionNotFound, `No version ${versionId} of this policy`, [
          { path: 'version', message: 'is not a version of this policy' },
        ]);
      }
    } else {
      const now = new Date();
      version = versions.find((v) => displayStatus(v, now) === 'published') ?? versions[0];
      if (!version) throw new PolicyException(PolicyExceptionCode.VersionNotFound, `Policy ${policy.key} has no version to export`);
    }
    const cases = await m.getRepository(TestCaseRow).find({ where: { policyId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const frozen = await catalogFor(m, version);
    const facts = new Map(frozen.facts.map((f) => [f.key, f]));
    const named = new Set(cases.flatMap((c) => Object.keys(c.facts)).filter((k) => !facts.has(k)));
    if (named.size) for (const f of (await loadCatalog(m)).facts) if (named.has(f.key)) facts.set(f.key, f);
    const packages = Object.values(frozen.packages);
    const benefits = new Map(packages.flatMap((p) => p.benefits).map((b) => [b.key, b]));
    const file = canonicalPolicyFile({
      format: POLICY_FILE_FORMAT,
      policy: { key: policy.key, name: policy.name, ...(policy.description ? { description: policy.description } : {}) },
      definition: version.definition,
      ...(version.changeNote ? { changeNote: version.changeNote } : {}),
      testCases: cases.map((c) => ({ name: c.name, facts: c.facts, expectedTier: c.expectedTier })),
      catalog: {
        facts: [...facts.values()],
        benefits: [...benefits.values()],
        benefitPackages: packages.map((p) => ({ key: p.key, name: p.name, ...(p.nameEn ? { nameEn: p.nameEn } : {}), benefits: p.benefits.map((b) => b.key) })),
      },
    });
    return { file, fileName: `${policy.key}.v${version.number}.policy.json` };
  }

  import(actor: string, value: unknown, overrides: ImportOverrides = {}): Promise<ImportResult> {
    const file = parsePolicyFile(value);
    return this.ds.transaction((m) => this.importIn(m, actor, file, overrides));
  }

  /** Imports a checked file inside `m`: everything or nothing (conflicts are found before anything is written). */
  async importIn(m: EntityManager, actor: string, file: PolicyFile, overrides: ImportOverrides = {}): Promise<ImportResult> {
    const key = overrides.key ?? file.policy.key;
    const existing = await m.getRepository(PolicyRow).findOneBy({ key });
    const conflicts = await this.catalogConflicts(m, file);
    if (conflicts.length) {
      throw new PolicyFileException(
        PolicyFileExceptionCode.CatalogConflict,
        `The catalog already has ${conflicts.map((c) => c.params?.key).join(', ')} with another meaning`,
        conflicts,
        { keys: conflicts.map((c) => c.params?.key).join(', ') },
      );
    }
    const present = existing ? await m.getRepository(TestCaseRow).find({ where: { policyId: existing.id } }) : [];
    const byName = new Map(present.map((c) => [c.name, c]));
    const clashes: ErrorDetail[] = [];
    file.testCases.forEach((c, i) => {
      const had = byName.get(c.name);
      if (had && !(jsonEqual(had.facts, c.facts) && had.expectedTier === c.expectedTier)) {
        clashes.push({
          path: `testCases[${i}]`,
          message: `the policy has a test case "${c.name}" with other facts or another expected tier`,
          params: { name: c.name },
        });
      }
    });
    if (clashes.length) {
      throw new PolicyFileException(PolicyFileExceptionCode.TestCaseConflict, `Policy ${key} has test cases of these names that differ`, clashes, {
        names: clashes.map((c) => c.params?.name).join(', '),
      });
    }
    const comment = `imported from ${POLICY_FILE_FORMAT} file ${file.policy.key}`;
    const addedToCatalog = await this.addCatalog(m, actor, file, comment);
    const policyId = existing
      ? existing.id
      : (await this.policies.createPolicyIn(m, actor, { key, name: overrides.name ?? file.policy.name, description: file.policy.description })).id;
    // file order is kept: each case one millisecond after the previous (one transaction shares now())
    const base = Date.now();
    let added = 0;
    for (const [i, c] of file.testCases.entries()) {
      if (byName.has(c.name)) continue;
      await this.testCases.createIn(m, actor, policyId, c, { createdAt: new Date(base + i) });
      added++;
    }
    const version = await this.policies.createVersionIn(m, actor, policyId, { definition: file.definition, changeNote: file.changeNote });
    const row = await this.policies.policyRow(m, policyId);
    const versions = await m.getRepository(PolicyVersionRow).find({ where: { policyId } });
    return {
      policy: policyView(row, versions),
      version,
      createdPolicy: !existing,
      addedToCatalog,
      testCases: { added, kept: file.testCases.length - added },
    };
  }

  private async catalogConflicts(m: EntityManager, file: PolicyFile): Promise<ErrorDetail[]> {
    const out: ErrorDetail[] = [];
    const check = async <T extends { key: string }>(
      path: string,
      kind: string,
      items: T[],
      load: (keys: string[]) => Promise<T[]>,
      same: (a: T, b: T) => boolean,
    ) => {
      if (!items.length) return;
      const have = new Map((await load(items.map((i) => i.key))).map((i) => [i.key, i]));
      items.forEach((item, i) => {
        const had = have.get(item.key);
        if (had && !same(had, item))
          out.push({ path: `${path}[${i}]`, message: `${kind} ${item.key} exists with another meaning`, params: { key: item.key, kind } });
      });
    };
    await check('catalog.facts', 'fact', file.catalog.facts, async (keys) => (await m.findBy(FactRow, { key: In(keys) })).map(FACTS.toItem), sameFact);
    await check(
      'catalog.benefits',
      'benefit',
      file.catalog.benefits,
      async (keys) => (await m.findBy(BenefitRow, { key: In(keys) })).map(BENEFITS.toItem),
      sameBenefit,
    );
    await check(
      'catalog.benefitPackages',
      'benefit_package',
      file.catalog.benefitPackages,
      async (keys) => (await m.findBy(BenefitPackageRow, { key: In(keys) })).map(BENEFIT_PACKAGES.toItem),
      samePackage,
    );
    return out;
  }

  /** Adds the file's catalog items the catalog lacks, each audited as a create; existing keys stay exactly as they are. */
  async addCatalog(m: EntityManager, actor: string, items: Pick<PolicyFile, 'catalog'>, comment: string): Promise<string[]> {
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
          await this.audit.record(m, { actor, action: `${entityType}.create`, entityType, entityId: item.key, after: item, comment });
          added.push(item.key);
        }
      }
    };
    await add(FactRow, 'fact', items.catalog.facts, FACTS.toRow);
    await add(BenefitRow, 'benefit', items.catalog.benefits, BENEFITS.toRow);
    await add(BenefitPackageRow, 'benefit_package', items.catalog.benefitPackages, BENEFIT_PACKAGES.toRow);
    return added;
  }
}
