import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  compileFast,
  compileTraceJson,
  createProjector,
  createServingEvaluator,
  FastEvaluator,
  hasPopulationConditions,
  InvalidPolicyError,
  PolicyEvaluator,
  Projector,
  TracedEvaluator,
  TraceJsonEvaluator,
} from '@tierwise/policy-engine';
import type { PolicyDefinition, PopulationCutoffs } from '@tierwise/policy-engine';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { PolicyException, PolicyExceptionCode } from './policy.exception';
import { PolicyVersionRow, type FrozenCatalog } from './policy.entities';
import { definitionDetails } from './definition-path';
import { catalogFor } from './catalog-snapshot';

export interface PreparedVersion {
  version: PolicyVersionRow;
  definition: PolicyDefinition;
  catalog: FrozenCatalog;
  evaluator: PolicyEvaluator;
  /**
   * The evaluator when it is the compiled one with the trace (compileTraced: no population conditions), synchronous
   * (`evaluator.evaluate` is it behind a promise); null for json-rules-engine. It is built from the same closures as
   * `fast()`: then `fast()` gives its outcomes without building a trace.
   */
  traced: TracedEvaluator | null;
  /** The definition has population conditions (ranks customers against a rating run's frozen cut-offs); walked once here. */
  ranksPopulation: boolean;
  /** Built on first use (simulations, a batch that answers without the trace). */
  fast(): FastEvaluator;
  /**
   * Where `traced` is the compiled evaluator: the same outcome with the trace as JSON text (JSON.stringify of
   * `traced`'s trace, without its objects; compileTraceJson), built on first use — a batch that answers with the
   * trace and without the explanation. Null where `traced` is.
   */
  traceJson(): TraceJsonEvaluator | null;
  /**
   * The next better tier and the single changes that reach it (contract §9), built on first use; a version
   * with population conditions projects against the cut-offs given (one projector per cut-offs object).
   */
  projector(cutoffs?: PopulationCutoffs): Projector;
}

const MAX_CACHED = 256;

/**
 * Engines are built once per approved or published version and reused (their frozen catalog never changes).
 * Drafts are rebuilt per call, against the live catalog, since they and the catalog may change.
 */
@Injectable()
export class EvaluatorCache {
  /** lru-cache, the one eviction rule: the least recently used version goes when MAX_CACHED are held. */
  private readonly cache = new LRUCache<string, PreparedVersion>({ max: MAX_CACHED });

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The version as it would be with `definition` (never cached: not frozen, evaluated against the live catalog). */
  unsaved(v: PolicyVersionRow, definition: unknown): PolicyVersionRow {
    // the catalog is frozen from the definition before the engine sees it: anything but an object is refused here (null gave a 500)
    if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
      throw new PolicyException(PolicyExceptionCode.InvalidDefinition, 'The definition must be an object', [
        { path: 'definition', message: 'must be an object (leave it out to use the saved rules)' },
      ]);
    }
    return Object.assign(new PolicyVersionRow(), v, { definition: definition as PolicyDefinition, frozen: null });
  }

  async prepare(v: PolicyVersionRow): Promise<PreparedVersion> {
    // A frozen catalog is taken at approval; a rejected and re-approved version freezes anew, so the key includes the approval.
    const key = `${v.id}@${v.approvedAt?.getTime() ?? ''}`;
    const cached = v.frozen ? this.cache.get(key) : undefined;
    if (cached) {
      cached.version = v; // lifecycle stamps (superseded, retired) may have changed
      return cached;
    }
    const catalog = await catalogFor(this.ds.manager, v);
    let evaluator: PolicyEvaluator & { traced: TracedEvaluator | null };
    try {
      // compiled with the trace (same results as json-rules-engine, property-tested in the engine) where it applies
      evaluator = createServingEvaluator(v.definition, catalog.facts);
    } catch (e) {
      if (e instanceof InvalidPolicyError) {
        throw new PolicyException(
          PolicyExceptionCode.InvalidDefinition,
          `Version ${v.number} is not valid and cannot be evaluated`,
          definitionDetails(e.issues),
        );
      }
      throw e;
    }
    let fast: FastEvaluator | undefined;
    let traceJson: TraceJsonEvaluator | null | undefined;
    let projector: Projector | undefined;
    const withCutoffs = new WeakMap<PopulationCutoffs, Projector>();
    const prepared: PreparedVersion = {
      version: v,
      definition: v.definition,
      catalog,
      evaluator,
      traced: evaluator.traced,
      ranksPopulation: hasPopulationConditions(v.definition),
      fast: () => (fast ??= compileFast(v.definition, catalog.facts)),
      traceJson: () => {
        if (traceJson === undefined) traceJson = evaluator.traced ? compileTraceJson(v.definition, catalog.facts) : null;
        return traceJson;
      },
      projector: (cutoffs) => {
        if (cutoffs === undefined) return (projector ??= createProjector(v.definition, catalog.facts));
        let p = withCutoffs.get(cutoffs);
        if (p === undefined) {
          p = createProjector(v.definition, catalog.facts, { cutoffs });
          withCutoffs.set(cutoffs, p);
        }
        return p;
      },
    };
    if (v.frozen) {
      this.cache.set(key, prepared);
    }
    return prepared;
  }
}
