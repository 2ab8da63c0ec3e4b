import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DATABASE_CONNECT_TIMEOUT_MS } from '../common/errors/database-unavailable';
import { Metrics } from '../metrics/metrics.service';
import type { DecisionRow } from './decision.entity';

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

const SORT_COLUMNS = { evaluatedAt: 'evaluated_at', customerId: 'customer_id', policyKey: 'policy_key' } as const;

/** The list's columns, named as DecisionRow names them (pg returns Dates, numbers and parsed jsonb as TypeORM did). */
const SUMMARY = `id, evaluated_at AS "evaluatedAt", as_of AS "asOf", policy_id AS "policyId", policy_key AS "policyKey", version_id AS "versionId",
  version_number AS "versionNumber", customer_id AS "customerId", actor, facts, eligible, tier_key AS "tierKey", tier_rank AS "tierRank",
  benefit_package_key AS "benefitPackageKey", scores, rollout_step AS "rolloutStep", cutoff_run_id AS "cutoffRunId"`;

/**
 * Reading the decision log's list (GET /api/decisions): a page and its total, as named (prepared)
 * statements on connections of their own. The log has one table per policy and month (48 for four
 * policies over a year), and planning a statement over all of them costs more than running it: on
 * a log of 100M decisions a customer's page took ~4 ms to plan (70 ms on a connection's first) and
 * ~1.5 ms to run, twice (page, then count) — TypeORM's getManyAndCount planned both on every request.
 * A named statement is planned once per connection and shape (after five runs PostgreSQL keeps the
 * generic plan when it is as cheap), so a lookup pays only for running it. Shapes are bounded: which
 * filters are present × the sort; values, LIMIT and OFFSET are parameters. The trace is not read
 * (the list never shows it).
 */
@Injectable()
export class DecisionQueryService implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig, metrics: Metrics) {
    this.pool = new Pool({
      connectionString: config.databaseUrl,
      max: 4,
      application_name: 'tierwise-decision-read',
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    });
    this.pool.on('error', () => undefined); // an idle connection dropped: the next read reconnects
    metrics.watchPool('decision-read', this.pool);
  }

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
    const order = `${SORT_COLUMNS[q.sortField]} ${q.sortOrder}`;
    const n = values.length;
    const [page, count] = await Promise.all([
      this.pool.query<DecisionSummary>({
        name: `tierwise-decisions-${shape.join('')}-${q.sortField}-${q.sortOrder}`,
        text: `SELECT ${SUMMARY} FROM decision ${filter} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
        values: [...values, q.take, q.skip],
      }),
      this.pool.query<{ total: string }>({
        name: `tierwise-decisions-count-${shape.join('')}`,
        text: `SELECT count(*) AS total FROM decision ${filter}`,
        values,
      }),
    ]);
    return { rows: page.rows, total: Number(count.rows[0].total) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
