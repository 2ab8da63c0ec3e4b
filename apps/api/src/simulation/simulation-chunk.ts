/**
 * A simulation's unit of work, wherever it runs (a job thread of the API, or a `npm run worker`
 * process): read one dataset chunk, evaluate it with the run's compiled versions, store the part.
 */
import { ChunkBuilder, decodeChunk } from '../datasets/chunk-codec';
import { readChunk } from '../datasets/chunk-read';
import { CompiledSpec, compileSpec, evaluateChunk } from './chunk-evaluator';
import type { ChunkContext, ChunkDone, ChunkHandler } from '../jobs/chunk-handler';
import { pgSql } from '../jobs/sql';
import { getTemplate } from '../templates/template-library';
import { addHouseholdColumns, RunHouseholds } from './households';
import { simulationStore } from './simulation.job';
import type { SimulationSpec, VersionSnapshot } from './simulation-spec';
import type { SimulationCutoffs } from './simulation.entity';
import { ranksPopulation } from './population-collect';

export class SimulationChunkHandler implements ChunkHandler {
  private readonly compiled = new Map<string, CompiledSpec>();
  private readonly households: RunHouseholds;

  constructor(private readonly ctx: ChunkContext) {
    this.households = new RunHouseholds(ctx.db);
  }

  /** The run's compiled spec, cached per run; null when the chunk must be skipped. */
  private async prepare(simulationId: string, chunkNo: number): Promise<CompiledSpec | null> {
    const cached = this.compiled.get(simulationId);
    const state = await simulationStore.chunkState<SimulationSpec>(pgSql(this.ctx.db), simulationId, chunkNo, cached === undefined);
    if (!state || !simulationStore.isOpen(state.status) || state.done) return null;
    if (cached) return cached;
    const spec = state.spec as SimulationSpec;
    // the cut-offs the population pass froze before any chunk was dispatched
    const cutoffs =
      ranksPopulation(spec.candidate.definition) || ranksPopulation(spec.baseline.definition)
        ? ((await this.ctx.db.query<{ cutoffs: SimulationCutoffs | null }>('SELECT cutoffs FROM simulation WHERE id = $1', [simulationId])).rows[0]?.cutoffs ??
          null)
        : null;
    const compiled = compileSpec(spec, cutoffs);
    if (this.compiled.size >= 8) this.compiled.delete(this.compiled.keys().next().value as string);
    this.compiled.set(simulationId, compiled);
    return compiled;
  }

  async process(simulationId: string, chunkNo: number): Promise<ChunkDone> {
    const compiled = await this.prepare(simulationId, chunkNo);
    if (!compiled) return { rows: 0, skipped: true };
    const t0 = performance.now();
    const { spec } = compiled;
    const households = await this.households.get(simulationId, spec.datasetId, spec.chunkCount, [spec.baseline.definition, spec.candidate.definition]);
    const { rowStart, data } = await readChunk(this.ctx.db, spec.datasetId, chunkNo);
    const t1 = performance.now();
    const chunk = decodeChunk(data);
    addHouseholdColumns(chunk, households);
    const { summary, outcomes } = evaluateChunk(compiled, chunk, rowStart);
    summary.ms = { read: Math.round(t1 - t0), evaluate: Math.round(performance.now() - t1) };
    if (this.ctx.delayMs) await new Promise((resolve) => setTimeout(resolve, this.ctx.delayMs));
    const stored = await simulationStore.storePart(pgSql(this.ctx.db), simulationId, chunkNo, summary.rows, summary, this.ctx.who, { outcomes });
    return { rows: summary.rows, skipped: !stored };
  }

  /**
   * JIT warm-up while a fresh thread is idle: decode and evaluate a synthetic chunk a few times with
   * a shipped template, so that the first real run does not pay for compilation.
   */
  warmUp(): void {
    const shipped = getTemplate('cib-card');
    if (!shipped) return;
    const template = { definition: shipped.current.definition, facts: shipped.current.catalog.facts };
    const version: VersionSnapshot = {
      id: 'warm-up',
      policyId: 'warm-up',
      number: 1,
      status: 'draft',
      definition: template.definition,
      facts: template.facts,
      packages: {},
    };
    const keys = template.facts.map((f) => f.key);
    const raised = structuredClone(version.definition);
    raised.tiers = raised.tiers.slice(1);
    const spec: SimulationSpec = {
      baseline: version,
      candidate: { ...version, definition: raised },
      datasetId: 'warm-up',
      rowCount: 0,
      chunkCount: 1,
      inputFacts: keys,
      groupBy: ['group'],
      sampleFacts: [...keys, 'group'],
      columns: [],
      asOf: new Date().toISOString(),
    };
    const rows = 20_000;
    const builder = new ChunkBuilder([...template.facts.map((f) => ({ key: f.key, type: f.type })), { key: 'group', type: 'string' }], rows, true);
    for (let i = 0; i < rows; i++) {
      builder.append(`W${i}`, [
        ...template.facts.map((f) => (f.type === 'boolean' ? i % 7 !== 0 : f.type === 'number' ? (i % 3 ? (i * 7919) % 1_500_000 : null) : null)),
        `g${i % 7}`,
      ]);
    }
    const data = builder.encode();
    const compiled = compileSpec(spec);
    // both inner loops: memoised (this ladder) and every row evaluated (versions with scores, population conditions, …)
    const plain: CompiledSpec = { ...compiled, memoB: null, memoC: null };
    for (let k = 0; k < 12; k++) {
      evaluateChunk(compiled, decodeChunk(data), 0);
      evaluateChunk(plain, decodeChunk(data), 0);
    }
  }
}

export function createChunkHandler(ctx: ChunkContext): ChunkHandler {
  return new SimulationChunkHandler(ctx);
}
