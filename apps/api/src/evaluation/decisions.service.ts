import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EvaluationResult } from '@tierwise/policy-engine';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { FactMaskingService } from '../catalog/fact-masking';
import type { Role } from '../common/access/roles';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DATABASE_CONNECT_TIMEOUT_MS } from '../common/errors/database-unavailable';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { LOGGER } from '../common/logging/logger';
import { Metrics } from '../metrics/metrics.service';
import { EvaluatorCache, PreparedVersion } from '../policies/evaluator-cache';
import { PolicyVersionRow } from '../policies/policy.entities';
import { DecisionRow } from './decision.entity';
import { explanations } from './answer';
import { PopulationCutoffsSource } from './population-cutoffs';

/** `stored`: the row carries the trace it was logged with (rows from before DecisionDerivedTrace). `derived`: re-derived on read. */
export type TraceSource = 'stored' | 'derived';

/** A decision as the list shows it: everything but the trace. */
export type DecisionSummary = Omit<DecisionRow, 'trace'>;

export interface DecisionListQuery {
  customerId?: string;
  policyId?: string;
  from?: Date;
  to?: Date;
  sortField: 'evaluatedAt' | 'customerId' | 'policyKey';
  sortOrder: 'ASC' | 'DESC';
  skip: number;
  take: number;
}

/**
 * The list's total is counted exactly up to this many rows beyond the page asked for; past that it is the page's
 * end plus this many (still more rows to page to) or, for the unfiltered list, PostgreSQL's estimate of the log's
 * size when that is larger. Counting a year's log of 100M rows on every page would read all of it.
 */
export const COUNT_BEYOND_PAGE = 10_000;

const SORT_COLUMNS = { evaluatedAt: 'evaluated_at', customerId: 'customer_id', policyKey: 'policy_key' } as const;

/** The list's columns, named as DecisionRow names them (pg returns Dates, numbers and parsed jsonb as TypeORM did). */
const SUMMARY = `id, evaluated_at AS "evaluatedAt", as_of AS "asOf", policy_id AS "policyId", policy_key AS "policyKey", version_id AS "versionId",
  version_number AS "versionNumber", customer_id AS "customerId", actor, facts, eligible, tier_key AS "tierKey", tier_rank AS "tierRank",
  benefit_package_key AS "benefitPackageKey", scores, rollout_step AS "rolloutStep", cutoff_run_id AS "cutoffRunId"`;

/** The planner's row count of the whole log: the sum over its months (a month never analysed counts -1 and is left out). */
const ESTIMATE = {
  name: 'tierwise-decisions-estimate',
  text: `SELECT coalesce(sum(c.reltuples) FILTER (WHERE c.reltuples > 0), 0)::float8 AS n FROM pg_partition_tree('decision') t JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf`,
};

/** Whether a re-derived result is the outcome that was logged: eligibility, tier (key, rank, benefit package) and every score. */
function sameOutcome(d: DecisionRow, r: EvaluationResult): boolean {
  if (r.eligible !== d.eligible || (r.tier?.key ?? null) !== d.tierKey || (r.tier?.rank ?? null) !== d.tierRank) return false;
  if ((r.tier?.benefitPackage ?? null) !== d.benefitPackageKey) return false;
  const a = Object.keys(r.scores);
  const b = Object.keys(d.scores);
  return a.length === b.length && a.every((k) => d.scores[k] === r.scores[k]);
}

/**
 * One logged decision as GET /api/decisions/:id shows it: inputs, the version that decided, the outcome and why.
 *
 * A decision is logged without its trace (issue 17: the cheapest stored form that still answers "why"): the trace
 * is a pure function of the published version (its definition and frozen catalog never change), the logged facts
 * and the frozen cut-offs of the rating run its population conditions used, so it is re-derived here with the
 * version's prepared evaluator — the one that decided. The re-derived outcome is checked against the stored one;
 * should they ever differ (the engine changed since), the answer says so (`traceMismatch`) and shows neither a
 * trace nor an explanation, rather than a "why" that does not match what was decided.
 */
@Injectable()
export class DecisionsService implements OnApplicationShutdown {
  /** The list's own connections, so its named statements stay prepared on them (see list). */
  private readonly pool: Pool;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly evaluators: EvaluatorCache,
    private readonly population: PopulationCutoffsSource,
    private readonly masking: FactMaskingService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
    metrics: Metrics,
  ) {
    this.pool = new Pool({
      connectionString: config.databaseUrl,
      max: 4,
      application_name: 'tierwise-decision-read',
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    });
    this.pool.on('error', () => undefined); // an idle connection dropped: the next read reconnects
    metrics.watchPool('decision-read', this.pool);
  }

  /**
   * A page of the decision log (GET /api/decisions) and its total, as named (prepared) statements on connections
   * of their own. The log has one table per policy and month (48 for four policies over a year), and planning a
   * statement over all of them costs more than running it: on a log of 100M decisions a customer's page took ~4 ms
   * to plan (70 ms on a connection's first) and ~1.5 ms to run. A named statement is planned once per connection
   * and shape (after five runs PostgreSQL keeps the generic plan when it is as cheap), so a lookup pays only for
   * running it. Shapes are bounded: which filters are present × the sort; values, LIMIT and OFFSET are parameters.
   * The id breaks ties of the sort (a batch's decisions share their instant), so that paging neither skips nor
   * repeats a row. The total is exact up to COUNT_BEYOND_PAGE rows beyond the page (see there). The trace is not
   * read (the list never shows it).
   */
  async list(q: DecisionListQuery): Promise<{ rows: DecisionSummary[]; total: number }> {
    const where: string[] = [];
    const values: unknown[] = [];
    const shape: string[] = [];
    const add = (key: string, column: string, op: string, value: unknown) => {
      if (value === undefined) return;
      values.push(value);
      where.push(`${column} ${op} $${values.length}`);
      shape.push(key);
    };
    add('c', 'customer_id', '=', q.customerId);
    add('p', 'policy_id', '=', q.policyId);
    add('f', 'evaluated_at', '>=', q.from);
    add('t', 'evaluated_at', '<=', q.to);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = `${SORT_COLUMNS[q.sortField]} ${q.sortOrder}, id ${q.sortOrder}`;
    const n = values.length;
    const cap = q.skip + q.take + COUNT_BEYOND_PAGE;
    const [page, count] = await Promise.all([
      this.pool.query<DecisionSummary>({
        name: `tierwise-decisions-${shape.join('')}-${q.sortField}-${q.sortOrder}`,
        text: `SELECT ${SUMMARY} FROM decision ${filter} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
        values: [...values, q.take, q.skip],
      }),
      this.pool.query<{ total: string }>({
        name: `tierwise-decisions-count-${shape.join('')}`,
        text: `SELECT count(*) AS total FROM (SELECT FROM decision ${filter} LIMIT $${n + 1}) x`,
        values: [...values, cap + 1],
      }),
    ]);
    const counted = Number(count.rows[0].total);
    if (counted <= cap) return { rows: page.rows, total: counted };
    if (n > 0) return { rows: page.rows, total: cap };
    const estimate = Math.round((await this.pool.query<{ n: number }>(ESTIMATE)).rows[0].n);
    return { rows: page.rows, total: Math.max(cap, estimate) };
  }

  /**
   * The trace as the evaluator gives it for this decision's inputs, or null when that does not reproduce the logged
   * outcome (logged as a warning: the log holds a decision whose "why" cannot be shown).
   */
  private async derive(d: DecisionRow, p: PreparedVersion): Promise<EvaluationResult | null> {
    const failed = (reason: string, err?: unknown) => {
      this.logger.warn({ err, decisionId: d.id, versionId: d.versionId, cutoffRunId: d.cutoffRunId, reason }, 'could not re-derive the trace of a decision');
      return null;
    };
    const run = d.cutoffRunId ? await this.population.run(d.policyId, d.cutoffRunId) : null;
    if (d.cutoffRunId && !run) return failed('cut-off run not found'); // nothing to re-derive against
    try {
      const r = await p.evaluator.evaluate(d.facts, run ? { cutoffs: run.cutoffs } : {});
      return sameOutcome(d, r) ? r : failed('outcome differs from the logged one');
    } catch (e) {
      return failed('evaluation failed', e); // e.g. a population condition with no cut-offs: the logged outcome cannot be reproduced
    }
  }

  async get(id: string, roles: readonly Role[]) {
    const d = await this.ds.getRepository(DecisionRow).findOneBy({ id });
    if (!d) throw new CommonException(CommonExceptionCode.NotFound, `No decision with id ${id}`);
    const v = await this.ds.getRepository(PolicyVersionRow).findOneByOrFail({ id: d.versionId });
    const p = await this.evaluators.prepare(v);
    const version = { id: v.id, number: v.number, effectiveFrom: v.effectiveFrom };
    const masker = await this.masking.forRoles(roles);
    const facts = masker.facts(d.facts);
    let result: EvaluationResult;
    let traceSource: TraceSource;
    if (d.trace) {
      const tier = p.definition.tiers.find((t) => t.key === d.tierKey);
      result = {
        eligible: d.eligible,
        tier: tier && d.tierRank ? { key: tier.key, name: tier.name, nameEn: tier.nameEn, rank: d.tierRank, benefitPackage: tier.benefitPackage } : null,
        scores: d.scores,
        trace: d.trace,
      };
      traceSource = 'stored';
    } else {
      const derived = await this.derive(d, p);
      if (!derived) {
        const values = facts.masked.length ? { facts: facts.values, maskedFacts: facts.masked } : {};
        return { ...d, ...values, trace: [], traceSource: 'derived' as const, traceMismatch: true, version, explanation: null, explanationWithheld: true };
      }
      result = derived;
      traceSource = 'derived';
    }
    // Values the reader may not see are masked in the inputs and the trace; the explanation quotes them, so it is withheld then.
    const trace = masker.trace(result.trace);
    const masked = [...new Set([...facts.masked, ...trace.masked])];
    if (masked.length)
      return { ...d, facts: facts.values, trace: trace.trace, traceSource, version, explanation: null, explanationWithheld: true, maskedFacts: masked };
    return { ...d, trace: result.trace, traceSource, version, explanation: explanations(p, result) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
