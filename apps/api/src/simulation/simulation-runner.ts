import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { PartSummary } from './chunk-evaluator';
import { JOB_RUNNER } from '../jobs/jobs.module';
import { JobRunner, JobSession } from '../jobs/job-runner';
import { typeormSql } from '../jobs/sql';
import { SampleExplainer } from './sample-explainer';
import { simulationStore, SIMULATION_JOB, SimulationStatus } from './simulation.job';
import { buildResult, mergeParts } from './simulation-result';
import type { SimulationSpec } from './simulation-spec';
import type { SimulationCutoffs } from './simulation.entity';
import { computeCutoffsInThread, ranksPopulation } from './population-pass';
import { cutoffMoves } from './cutoff-report';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PopulationCutoffsSource } from '../evaluation/population-cutoffs';

export const SIMULATION_LOGGER = Symbol('SIMULATION_LOGGER');

/**
 * Simulations on the shared job machinery: each dataset chunk is one unit of work (see
 * simulation-chunk.ts); once all are stored the parts are merged, the samples explained through
 * json-rules-engine, and the run succeeds with its result.
 */
@Injectable()
export class SimulationRunner implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
    @Inject(SIMULATION_LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig & { databaseUrl: string },
    private readonly population: PopulationCutoffsSource,
  ) {}

  /**
   * The population pass (issue 16): the cut-offs of the candidate's (and the baseline's) population conditions
   * over the simulation's dataset, computed in a thread of their own before any chunk, written once.
   */
  private async populationPass(id: string, spec: SimulationSpec): Promise<SimulationCutoffs | null> {
    const ranks = [spec.candidate, spec.baseline].map((v) => ranksPopulation(v.definition));
    if (!ranks.some(Boolean)) return null;
    const [have]: { cutoffs: SimulationCutoffs | null }[] = await this.ds.query('SELECT cutoffs FROM simulation WHERE id = $1', [id]);
    if (have?.cutoffs) return have.cutoffs;
    const [dataset]: { as_of: string | null }[] = await this.ds.query(`SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of FROM dataset WHERE id = $1`, [
      spec.datasetId,
    ]);
    const pass = (v: SimulationSpec['candidate']) =>
      computeCutoffsInThread(this.config.databaseUrl, {
        datasetId: spec.datasetId,
        chunkCount: spec.chunkCount,
        definition: v.definition,
        facts: v.facts,
        asOf: dataset?.as_of ?? null,
        evaluatedAt: spec.asOf,
      }).then((r) => r.cutoffs);
    const candidate = ranks[0] ? await pass(spec.candidate) : null;
    const cutoffs: SimulationCutoffs = {
      candidate,
      baseline: ranks[1] ? (spec.baseline.id === spec.candidate.id && candidate ? candidate : await pass(spec.baseline)) : null,
    };
    await this.ds.query('UPDATE simulation SET cutoffs = $2 WHERE id = $1 AND cutoffs IS NULL', [id, JSON.stringify(cutoffs)]);
    const [stored]: { cutoffs: SimulationCutoffs }[] = await this.ds.query('SELECT cutoffs FROM simulation WHERE id = $1', [id]);
    return stored.cutoffs;
  }

  get executorName(): string {
    return this.runner.executorName;
  }

  onModuleInit(): void {
    this.runner.register<SimulationStatus, SimulationSpec>({
      kind: SIMULATION_JOB,
      store: simulationStore,
      chunkCount: (spec) => spec.chunkCount,
      session: (id, spec) => this.session(id, spec),
    });
  }

  /** The simulation's cut-offs beside those of the policy's last applied run: how they would move. */
  private async cutoffReport(spec: SimulationSpec, frozen: SimulationCutoffs) {
    const last = await this.population.find(spec.candidate.policyId, new Date());
    return {
      candidate: frozen.candidate,
      baseline: frozen.baseline,
      lastApplied: last ? { runId: last.runId, effectiveAt: last.effectiveAt, asOf: last.cutoffs.asOf, population: last.cutoffs.population } : null,
      moves: frozen.candidate ? cutoffMoves(last?.cutoffs ?? null, frozen.candidate) : [],
    };
  }

  poke(): void {
    this.runner.poke();
  }

  cancelLocal(id: string): void {
    this.runner.stopLocal(id);
  }

  private session(id: string, spec: SimulationSpec): JobSession {
    const sql = typeormSql(this.ds);
    // the explainer needs the cut-offs of population conditions: built once they are known (after the pass)
    let cutoffs: Promise<SimulationCutoffs | null> | undefined;
    const cutoffsOnce = () => (cutoffs ??= this.populationPass(id, spec));
    let explainerOf: Promise<SampleExplainer> | undefined;
    const explainer = () => (explainerOf ??= cutoffsOnce().then((c) => new SampleExplainer(spec, c)));
    return {
      prepare: async () => {
        await cutoffsOnce();
      },
      // The first chunk holds most of the report's samples (they are the first customers of each
      // cell): explain them on this thread while the other chunks are evaluated.
      onPart: (chunkNo) => {
        if (chunkNo !== 0) return;
        void simulationStore
          .summary<PartSummary>(sql, id, 0)
          .then((first) => {
            return explainer().then(async (e) => {
              for (const s of first?.samples ?? []) await e.prefetch(s.rows);
            });
          })
          .catch(() => undefined);
      },
      complete: async ({ startedAt, chunksDoneAt, resumedWithRows }) => {
        const parts = await simulationStore.summaries<PartSummary>(sql, id);
        const merged = mergeParts(spec, parts);
        if (merged.rows !== spec.rowCount || parts.length !== spec.chunkCount) {
          throw new Error(`the stored parts cover ${merged.rows} of ${spec.rowCount} customers`);
        }
        const t2 = Date.now();
        const explained = await (await explainer()).explainAll(merged.samples);
        const frozen = await cutoffsOnce();
        const t3 = Date.now();
        if (explained.mismatches)
          this.logger.error({ simulationId: id, mismatches: explained.mismatches }, 'compiled and json-rules-engine outcomes differ on samples');
        const result = {
          ...buildResult(spec, merged, explained.samples),
          sampleCheck: { checked: explained.checked, mismatches: explained.mismatches },
          ...(frozen ? { cutoffs: await this.cutoffReport(spec, frozen) } : {}),
          executor: this.runner.executorName,
          evaluationMs: Date.now() - startedAt,
          timings: {
            chunksMs: chunksDoneAt - startedAt,
            mergeMs: t2 - chunksDoneAt,
            explainMs: t3 - t2,
            resumedWithRows,
            // Summed over chunks (they overlap on the threads): reading from PostgreSQL, evaluating.
            chunkReadMs: parts.reduce((s, p) => s + (p.ms?.read ?? 0), 0),
            chunkEvaluateMs: parts.reduce((s, p) => s + (p.ms?.evaluate ?? 0), 0),
          },
        };
        await simulationStore.finish(sql, id, { result: '$3' }, [JSON.stringify(result)]);
      },
    };
  }
}
