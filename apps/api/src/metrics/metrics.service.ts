import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config/config';

/** Seconds buckets for HTTP and flush latencies: 1 ms … 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Rows per group-commit INSERT (DECISION_LOG_BATCH is at most a few thousand). */
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];
/** Job durations: 1 s … 2 h. */
const JOB_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200];
/**
 * How often the event-loop lag series (`tierwise_nodejs_eventloop_lag_*`) sample the loop. prom-client's
 * default, 10 ms, wakes the process 100 times a second: measured ~15 ms of CPU a second on this
 * 2-core machine, idle or loaded (RESULTS.md §"Metrics cost"). At 100 ms a stall of the loop still
 * shows in the next sample's delay; the percentiles are over 150 samples per 15 s scrape.
 */
const EVENT_LOOP_SAMPLE_MS = 100;
/**
 * How long `tierwise_jobs`' status counts (one `GROUP BY status` per run table) are reused: scrapes
 * closer together than this (two Prometheus of an HA pair, someone's curl) share one read; a run
 * ending on this process drops them at once. Prometheus' own interval (15 s) always reads afresh.
 */
const JOB_COUNTS_TTL_MS = 5_000;

/** How a job run ended on this process. */
export type JobOutcome = 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** What the job machinery tells metrics (apps/api/src/simulation/jobs): kinds it runs and how runs end. */
export interface JobObserver {
  kind(name: string, table: string): void;
  finished(kind: string, outcome: JobOutcome, seconds: number): void;
}

/** One method + route + status: its request count since the last scrape, and its latency histogram's child. */
interface RequestSeries {
  readonly labels: { method: string; route: string; status: string };
  pending: number;
  readonly duration: { observe(seconds: number): void };
}

type StatusCounts = (table: string) => Promise<{ status: string; count: number }[]>;
/** The jobs gauge's counts as read at `at`. */
interface JobCounts {
  at: number;
  rows: Promise<{ kind: string; status: string; count: number }[]>;
}

/**
 * The application's Prometheus series, in a registry of its own (one per app: the tests run several
 * in one process). Label values are bounded: route templates (never raw paths or ids), HTTP
 * methods and status codes, job kinds and statuses, audit actions (names in the code), pool names.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  /** Counted per request in the series' own `pending` (a number, no label hashing) and added here when scraped. */
  readonly httpRequests = new Counter({
    name: 'tierwise_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
    collect: () => this.flushRequestCounts(),
  });
  readonly httpDuration = this.histogram(
    'tierwise_http_request_duration_seconds',
    'HTTP request latency, by route template, method and status',
    LATENCY_BUCKETS,
    ['method', 'route', 'status'],
  );
  readonly decisionsEvaluated = this.counter('tierwise_decisions_evaluated_total', 'Decisions evaluated by /api/evaluate and /api/evaluate/batch');
  readonly decisionsLogged = this.counter('tierwise_decisions_logged_total', 'Decisions written durably to the decision log');
  readonly decisionLogFailures = this.counter(
    'tierwise_decision_log_failed_batches_total',
    'Group-commit batches the database refused (their callers got an error)',
  );
  readonly decisionLogBatchSize = this.histogram('tierwise_decision_log_batch_size', 'Decisions per group-commit INSERT', BATCH_BUCKETS);
  readonly decisionLogFlush = this.histogram('tierwise_decision_log_flush_seconds', 'Time to write one group-commit batch', LATENCY_BUCKETS);
  readonly jobsFinished = this.counter('tierwise_jobs_finished_total', 'Job runs (simulations, rating runs) that ended on this process, by kind and outcome', [
    'kind',
    'outcome',
  ]);
  readonly jobDuration = this.histogram('tierwise_job_duration_seconds', 'Job run duration on this process, by kind and outcome', JOB_BUCKETS, [
    'kind',
    'outcome',
  ]);
  readonly auditEvents = this.counter(
    'tierwise_audit_events_total',
    'Audit events appended to the chain, by action (counted at the INSERT: a transaction rolled back afterwards takes its event back, not the count)',
    ['action'],
  );
  readonly loginFailures = this.counter('tierwise_login_failures_total', 'Sign-ins refused for a wrong username or password');
  readonly loginThrottled = this.counter('tierwise_login_throttled_total', 'Sign-ins refused (429) because the account or the address is locked');

  /**
   * The series of each route → status → method, found per request without building a key (a template
   * string per request cost more than the counter; RESULTS.md §"Metrics cost"), and all of them in a
   * list for the scrape.
   */
  private readonly requestSeries = new Map<string, Map<number, Map<string, RequestSeries>>>();
  private readonly requestSeriesList: RequestSeries[] = [];
  private readonly pools = new Map<string, Pool>();
  private readonly jobTables = new Map<string, string>();
  private statusCounts?: StatusCounts;
  /** The jobs gauge's last counts (a promise, so scrapes at the same moment share one read); dropped when a run ends here. */
  private jobCounts?: JobCounts;

  /** METRICS=off (the benchmark's twin): nothing is recorded. */
  readonly enabled: boolean;

  /** A counter in this app's registry. */
  private counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram in this app's registry. */
  private histogram<L extends string = never>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram<L>({ name, help, buckets, labelNames, registers: [this.registry] });
  }

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.enabled = config.metrics;
    if (this.enabled) collectDefaultMetrics({ register: this.registry, prefix: 'tierwise_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    const pools = this.pools;
    new Gauge({
      name: 'tierwise_db_pool_connections',
      help: 'Database pool connections by pool and state (in_use, idle, waiting = callers waiting for a connection)',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        for (const [name, pool] of pools) {
          this.set({ pool: name, state: 'in_use' }, pool.totalCount - pool.idleCount);
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
          this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
        }
      },
    });
    const buffers = this.partBuffers;
    new Gauge({
      name: 'tierwise_dataset_import_part_buffer_bytes',
      help: 'Bytes the CSV imports read in parts hold in their shared part buffers: now (held), and the most at once since start (peak)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'held' }, buffers.held);
        this.set({ state: 'peak' }, buffers.peak);
      },
    });
    const jobs = this.jobTables;
    const counts = () => this.statusCounts;
    const cached = () => this.jobCounts;
    const cache = (c: JobCounts) => (this.jobCounts = c);
    new Gauge({
      name: 'tierwise_jobs',
      help: `Job runs by kind and status, as the database holds them (queued = the queue depth; read at most every ${JOB_COUNTS_TTL_MS / 1000} s)`,
      labelNames: ['kind', 'status'] as const,
      registers: [this.registry],
      // Every HTTP worker reads the same database: the primary's sum over workers (main.ts) takes one worker's counts, not their sum.
      aggregator: 'first',
      async collect() {
        const query = counts();
        if (!query) return;
        let c = cached();
        if (!c || Date.now() - c.at >= JOB_COUNTS_TTL_MS) {
          const read = async () => {
            const all: { kind: string; status: string; count: number }[] = [];
            for (const [kind, table] of jobs) {
              const rows = await query(table).catch(() => []); // database down: the series are simply absent
              for (const r of rows) all.push({ kind, status: r.status, count: r.count });
            }
            return all;
          };
          c = cache({ at: Date.now(), rows: read() });
        }
        const rows = await c.rows;
        this.reset();
        for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.count);
      },
    });
  }

  /** Report this pg pool's connections (the app's pool, the decision log's writers). */
  watchPool(name: string, pool: Pool): void {
    this.pools.set(name, pool);
  }

  /** How `tierwise_jobs` reads a run table's status counts (set by the module, on the app's DataSource). */
  countStatusesWith(query: StatusCounts): void {
    this.statusCounts = query;
  }

  readonly jobs: JobObserver = {
    kind: (name, table) => {
      this.jobTables.set(name, table);
    },
    finished: (kind, outcome, seconds) => {
      this.jobCounts = undefined; // the next scrape reads the statuses afresh
      if (!this.enabled) return;
      this.jobsFinished.inc({ kind, outcome });
      this.jobDuration.observe({ kind, outcome }, seconds);
    },
  };

  private readonly partBuffers = { held: 0, peak: 0 };

  /** The CSV imports' shared part buffers (csv-import.ts): bytes allocated (+) or let go (−). */
  readonly importBuffers = {
    add: (bytes: number): void => {
      const b = this.partBuffers;
      b.held += bytes;
      if (b.held > b.peak) b.peak = b.held;
    },
  };

  /** Decisions evaluated (one call, or a batch). */
  evaluated(count: number): void {
    if (this.enabled) this.decisionsEvaluated.inc(count);
  }

  /** An audit event appended. */
  audited(action: string): void {
    if (this.enabled) this.auditEvents.inc({ action });
  }

  /** One answered HTTP request; `route` is the matched template (`/api/policies/:id`) or `unmatched`. */
  request(method: string, route: string, status: number, seconds: number): void {
    if (!this.enabled) return;
    let byStatus = this.requestSeries.get(route);
    if (!byStatus) this.requestSeries.set(route, (byStatus = new Map()));
    let byMethod = byStatus.get(status);
    if (!byMethod) byStatus.set(status, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (!series) {
      const labels = { method, route, status: String(status) };
      series = { labels, pending: 0, duration: this.httpDuration.labels(labels) };
      byMethod.set(method, series);
      this.requestSeriesList.push(series);
    }
    series.pending++;
    series.duration.observe(seconds);
    if (route === '/api/auth/login' && method === 'POST') {
      if (status === 401) this.loginFailures.inc();
      if (status === 429) this.loginThrottled.inc();
    }
  }

  /** Adds the requests counted since the last scrape to `tierwise_http_requests_total`. */
  private flushRequestCounts(): void {
    for (const series of this.requestSeriesList) {
      if (series.pending === 0) continue;
      this.httpRequests.inc(series.labels, series.pending);
      series.pending = 0;
    }
  }

  /** A group-commit batch written (or refused). */
  decisionBatch(rows: number, seconds: number, ok: boolean): void {
    if (!this.enabled) return;
    this.decisionLogBatchSize.observe(rows);
    this.decisionLogFlush.observe(seconds);
    if (ok) this.decisionsLogged.inc(rows);
    else this.decisionLogFailures.inc();
  }
}
