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
  ) {}

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

  poke(): void {
    this.runner.poke();
  }

  cancelLocal(id: string): void {
    this.runner.stopLocal(id);
  }

  private session(id: string, spec: SimulationSpec): JobSession {
    const sql = typeormSql(this.ds);
    const explainer = new SampleExplainer(spec);
    return {
      // The first chunk holds most of the report's samples (they are the first customers of each
      // cell): explain them on this thread while the other chunks are evaluated.
      onPart: (chunkNo) => {
        if (chunkNo !== 0) return;
        void simulationStore
          .summary<PartSummary>(sql, id, 0)
          .then((first) => {
            for (const s of first?.samples ?? []) explainer.prefetch(s.rows);
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
        const explained = await explainer.explainAll(merged.samples);
        const t3 = Date.now();
        if (explained.mismatches)
          this.logger.error({ simulationId: id, mismatches: explained.mismatches }, 'compiled and json-rules-engine outcomes differ on samples');
        const result = {
          ...buildResult(spec, merged, explained.samples),
          sampleCheck: { checked: explained.checked, mismatches: explained.mismatches },
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
