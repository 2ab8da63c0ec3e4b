import { Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { FactMasker } from '../catalog/fact-masking';
import { Cell, ExportFormat, exportFile } from '../common/export';
import { reportTable, type ReportLanguage } from './simulation-report';
import { ListQuery, filterString } from '../common/list-query';
import { decodeChunk } from '../datasets/chunk-codec';
import { DatasetRow } from '../datasets/dataset.entity';
import { EvaluatorCache } from '../policies/evaluator-cache';
import { displayStatus, PolicyVersionRow } from '../policies/policy.entities';
import { decodeOutcomes } from './chunk-evaluator';
import { typeormSql } from '../jobs/sql';
import { queuedRun } from '../jobs/job-store';
import { SimulationRunner } from './simulation-runner';
import { SIMULATION_JOB, simulationStore } from './simulation.job';
import { SimulationRow } from './simulation.entity';
import { SimulationException, SimulationExceptionCode } from './simulation.exception';
import { mergeLadder, withTierCosts } from './simulation-result';
import { SimulationSpec, versionSnapshot } from './simulation-spec';
import { checkDatasetInputs, datasetJobInput } from './dataset-inputs';

export interface SimulationRequest {
  candidateVersionId: string;
  baselineVersionId?: string;
  datasetId: string;
  groupBy?: string[];
}

export function simulationView(s: SimulationRow, withResult: boolean) {
  return {
    id: s.id,
    status: s.status,
    progress: { done: s.progressDone, total: s.progressTotal },
    policyId: s.policyId,
    candidateVersionId: s.candidateVersionId,
    baselineVersionId: s.baselineVersionId,
    datasetId: s.datasetId,
    groupBy: s.groupBy,
    asOf: s.asOf,
    candidate: { id: s.spec.candidate.id, number: s.spec.candidate.number, status: s.spec.candidate.status },
    baseline: { id: s.spec.baseline.id, number: s.spec.baseline.number, status: s.spec.baseline.status },
    executor: s.executor,
    attempts: s.attempts,
    error: s.error,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    cancelledBy: s.cancelledBy,
    ...(withResult ? { result: s.result ? withTierCosts(s.result) : undefined } : {}),
  };
}

@Injectable()
export class SimulationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly evaluators: EvaluatorCache,
    private readonly runner: SimulationRunner,
  ) {}

  private async versionRef(id: string, path: string): Promise<PolicyVersionRow> {
    const v = await this.ds.getRepository(PolicyVersionRow).findOneBy({ id });
    if (!v)
      throw new SimulationException(SimulationExceptionCode.UnknownVersion, `No policy version with id ${id}`, [{ path, message: 'unknown policy version' }]);
    return v;
  }

  /**
   * Check everything a run needs before queueing it (so a run never fails for bad input): both
   * versions of one policy and valid, a dataset holding every input fact they use with a fitting
   * type, groupBy facts in the dataset.
   */
  async create(actor: string, req: SimulationRequest) {
    const candidate = await this.versionRef(req.candidateVersionId, 'candidateVersionId');
    let baseline: PolicyVersionRow;
    if (req.baselineVersionId) {
      baseline = await this.versionRef(req.baselineVersionId, 'baselineVersionId');
      if (baseline.policyId !== candidate.policyId) {
        throw new SimulationException(SimulationExceptionCode.DifferentPolicies, 'The candidate and the baseline are versions of different policies', [
          { path: 'baselineVersionId', message: 'must be a version of the same policy as the candidate' },
        ]);
      }
    } else {
      const versions = await this.ds.getRepository(PolicyVersionRow).findBy({ policyId: candidate.policyId });
      const active = versions.find((v) => displayStatus(v) === 'published');
      if (!active) {
        throw new SimulationException(SimulationExceptionCode.NoBaseline, 'The policy has no version in effect to compare with; pass baselineVersionId', [
          { path: 'baselineVersionId', message: 'is required: the policy has no active version' },
        ]);
      }
      baseline = active;
    }
    const dataset = await this.ds.getRepository(DatasetRow).findOneBy({ id: req.datasetId });
    if (!dataset)
      throw new SimulationException(SimulationExceptionCode.UnknownDataset, `No dataset with id ${req.datasetId}`, [
        { path: 'datasetId', message: 'unknown dataset' },
      ]);

    const [b, c] = [await versionSnapshot(this.evaluators, baseline), await versionSnapshot(this.evaluators, candidate)];
    const groupBy = req.groupBy ?? [];
    const check = checkDatasetInputs(dataset, [b, c], groupBy);
    if (check.missing.length) {
      throw new SimulationException(
        SimulationExceptionCode.DatasetMissingFacts,
        `The dataset has no column for ${check.missingKeys.length} fact(s) the policy uses: ${check.missingKeys.join(', ')}`,
        check.missing,
      );
    }
    if (check.clashes.length) {
      throw new SimulationException(
        SimulationExceptionCode.IncompatibleColumn,
        'Some dataset columns were imported with a type the policy does not use',
        check.clashes,
      );
    }
    if (check.badGroups.length)
      throw new SimulationException(SimulationExceptionCode.BadGroupBy, 'groupBy must name categorical facts of the dataset', check.badGroups);

    const asOf = new Date();
    const spec: SimulationSpec = { baseline: b, candidate: c, ...datasetJobInput(dataset, check, groupBy, asOf) };
    const row = await this.ds.transaction(async (m) => {
      const repo = m.getRepository(SimulationRow);
      const created = repo.create({
        ...queuedRun(dataset.rowCount, this.runner.executorName),
        policyId: candidate.policyId,
        candidateVersionId: candidate.id,
        baselineVersionId: baseline.id,
        datasetId: dataset.id,
        groupBy,
        asOf,
        spec,
        createdBy: actor,
        startedAt: null,
        finishedAt: null,
        heartbeatAt: null,
        cancelledBy: null,
      });
      await repo.save(created);
      await this.audit.record(m, {
        actor,
        action: 'simulation.create',
        entityType: 'simulation',
        entityId: created.id,
        after: {
          candidateVersionId: candidate.id,
          baselineVersionId: baseline.id,
          datasetId: dataset.id,
          groupBy,
          rowCount: dataset.rowCount,
          executor: created.executor,
        },
      });
      return created;
    });
    this.runner.poke();
    return simulationView(row, false);
  }

  async row(id: string): Promise<SimulationRow> {
    const s = await this.ds.getRepository(SimulationRow).findOneBy({ id });
    if (!s) throw new SimulationException(SimulationExceptionCode.SimulationNotFound, `No simulation with id ${id}`);
    return s;
  }

  /** With `masker`, sample customers' hidden facts read `***`, and explanations that would quote them are withheld. */
  async get(id: string, masker?: FactMasker) {
    const view = simulationView(await this.row(id), true);
    const samples = (view.result as { samples?: Record<string, Record<string, Record<string, unknown>[]>> } | undefined)?.samples;
    if (!masker || !samples) return view;
    const masked = Object.fromEntries(
      Object.entries(samples).map(([from, cells]) => [
        from,
        Object.fromEntries(
          Object.entries(cells).map(([to, list]) => [
            to,
            list.map((s) => {
              const { values, masked: hidden } = masker.facts((s.facts ?? {}) as Record<string, unknown>);
              return hidden.length ? { ...s, facts: values, explanation: null, baselineExplanation: null, next: null, explanationWithheld: true } : s;
            }),
          ]),
        ),
      ]),
    );
    return { ...view, result: { ...(view.result as object), samples: masked } };
  }

  async list(q: ListQuery) {
    const qb = this.ds
      .getRepository(SimulationRow)
      .createQueryBuilder('s')
      .select(
        [
          'id',
          'status',
          'policyId',
          'candidateVersionId',
          'baselineVersionId',
          'datasetId',
          'groupBy',
          'asOf',
          'spec',
          'progressDone',
          'progressTotal',
          'error',
          'attempts',
          'executor',
          'createdBy',
          'createdAt',
          'startedAt',
          'finishedAt',
          'heartbeatAt',
          'cancelledBy',
        ].map((f) => `s.${f}`),
      );
    const filters: [string, string][] = [
      ['status', 'status'],
      ['policyId', 'policyId'],
      ['datasetId', 'datasetId'],
      ['candidateVersionId', 'candidateVersionId'],
    ];
    for (const [param, field] of filters) {
      const v = filterString(q.filter, param);
      if (v !== undefined) qb.andWhere(`s.${field} = :${param}`, { [param]: v });
    }
    const [rows, total] = await qb.orderBy(`s.${q.sortField}`, q.sortOrder).skip(q.skip).take(q.take).getManyAndCount();
    return { rows: rows.map((r) => simulationView(r, false)), total };
  }

  /** Queued or running → cancelled (409 otherwise); the coordinator stops within a tick. */
  async cancel(actor: string, id: string) {
    const row = await this.ds.transaction(async (m) => {
      const before = await this.row(id);
      if (!(await simulationStore.cancel(typeormSql(m), id, actor))) {
        const s = await this.row(id);
        throw new SimulationException(
          SimulationExceptionCode.NotCancellable,
          `The simulation is ${s.status}; only queued or running simulations can be cancelled`,
        );
      }
      await this.audit.record(m, {
        actor,
        action: 'simulation.cancel',
        entityType: 'simulation',
        entityId: id,
        before: { status: before.status },
        after: { status: 'cancelled' },
      });
      return (await m.getRepository(SimulationRow).findOneBy({ id })) as SimulationRow;
    });
    this.runner.cancelLocal(id);
    return simulationView(row, false);
  }

  /**
   * Per-customer outcomes as CSV, streamed chunk by chunk: row, customerId, baseline and candidate
   * tier (empty = not rated), movement, eligibility and every score of each version.
   */
  /** The report's figures (counts, matrix, cost per tier and package, groups) as a CSV or XLSX download. */
  async reportFile(id: string, format: ExportFormat, lang: ReportLanguage): Promise<StreamableFile> {
    const sim = await this.row(id);
    if (sim.status !== 'succeeded' || !sim.result)
      throw new SimulationException(SimulationExceptionCode.NotFinished, `The simulation is ${sim.status}; the report is available once it has succeeded`);
    return exportFile(reportTable(sim.result, lang), format, `simulation-${id}-report`);
  }

  /** One row per customer: both tiers, the movement, eligibility and scores (CSV or XLSX). */
  async resultsCsv(id: string, format: ExportFormat = 'csv'): Promise<StreamableFile> {
    const sim = await this.row(id);
    if (sim.status !== SIMULATION_JOB.doneStatus)
      throw new SimulationException(SimulationExceptionCode.NotFinished, `The simulation is ${sim.status}; results are available once it has succeeded`);
    const spec = sim.spec;
    if (!(await this.ds.getRepository(DatasetRow).existsBy({ id: spec.datasetId })))
      throw new SimulationException(SimulationExceptionCode.DatasetDeleted, 'The dataset of this simulation was deleted, and its per-customer results with it');
    const tiersB = spec.baseline.definition.tiers.map((t) => t.key);
    const tiersC = spec.candidate.definition.tiers.map((t) => t.key);
    const ladder = mergeLadder(spec.baseline.definition.tiers, spec.candidate.definition.tiers);
    const rank = new Map(ladder.map((t) => [t.key, t.rank]));
    const scoresB = (spec.baseline.definition.scores ?? []).map((s) => s.key);
    const scoresC = (spec.candidate.definition.scores ?? []).map((s) => s.key);
    const header = [
      'row',
      'customerId',
      'baselineTier',
      'candidateTier',
      'movement',
      'baselineEligible',
      'candidateEligible',
      ...scoresB.map((k) => `baseline.${k}`),
      ...scoresC.map((k) => `candidate.${k}`),
    ];
    const tierOf = (keys: string[], code: number) => (code >= 0 ? keys[code] : null);
    const ds = this.ds;
    async function* rows(): AsyncGenerator<Cell[]> {
      for (let chunkNo = 0; chunkNo < spec.chunkCount; chunkNo++) {
        const [part]: { outcomes: Buffer }[] = await ds.query('SELECT outcomes FROM simulation_part WHERE simulation_id = $1 AND chunk_no = $2', [id, chunkNo]);
        const [chunk]: { row_start: number; data: Buffer }[] = await ds.query(
          'SELECT row_start, data FROM dataset_chunk WHERE dataset_id = $1 AND chunk_no = $2',
          [spec.datasetId, chunkNo],
        );
        if (!part || !chunk) break;
        const o = decodeOutcomes(part.outcomes);
        const ids = decodeChunk(chunk.data).ids;
        for (let i = 0; i < o.rows; i++) {
          const b = o.baseline[i];
          const c = o.candidate[i];
          const kb = tierOf(tiersB, b);
          const kc = tierOf(tiersC, c);
          const rb = kb ? (rank.get(kb) as number) : Infinity;
          const rc = kc ? (rank.get(kc) as number) : Infinity;
          const movement = rc < rb ? 'upgrade' : rc > rb ? 'downgrade' : 'unchanged';
          const line: Cell[] = [chunk.row_start + i + 1, ids?.[i] ?? null, kb, kc, movement, b !== -2, c !== -2];
          for (let s = 0; s < o.nsB; s++) line.push(o.scoresB[i * o.nsB + s]);
          for (let s = 0; s < o.nsC; s++) line.push(o.scoresC[i * o.nsC + s]);
          yield line;
        }
      }
    }
    return exportFile({ header, rows: rows(), sheetName: 'simulation' }, format, `simulation-${id}`);
  }
}
