import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DatabaseError, Pool, type PoolClient } from 'pg';
import { jsonString } from '@tierwise/policy-engine';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DATABASE_CONNECT_TIMEOUT_MS } from '../common/errors/database-unavailable';
import { Metrics } from '../metrics/metrics.service';
import type { DecisionRow } from './decision.entity';
import { copyDecisions, COPY_MIN_ROWS, encodeDecisions } from './decision-copy';
import { ENSURE_PARTITIONS_SQL, monthStart } from './decision-partitions.service';

/** A writer's connection, held while it has batches to write. */
interface Connection {
  client: PoolClient | undefined;
}

const ignore = (): void => undefined;

/** Back to the pool (`failed`: discarded, e.g. the connection was lost). */
function letGo(conn: Connection, failed?: Error): void {
  const client = conn.client;
  if (!client) return;
  conn.client = undefined;
  client.removeListener('error', ignore);
  client.release(failed);
}

interface Pending {
  rows: DecisionRow[];
  done: () => void;
  failed: (e: unknown) => void;
}

/**
 * The columns written, by name (not `SELECT *`: the table's column order is the migrations' history). No trace:
 * it is re-derived on read (migration DecisionDerivedTrace), so a row is its inputs, version and outcome.
 */
const COLUMNS = `id uuid, evaluated_at timestamptz, as_of timestamptz, policy_id uuid, policy_key text, version_id uuid, version_number int,
  customer_id text, actor text, facts jsonb, eligible boolean, tier_key text, tier_rank int, benefit_package_key text, scores jsonb, rollout_step int,
  cutoff_run_id uuid`;
const NAMES = COLUMNS.split(',')
  .map((c) => c.trim().split(' ')[0])
  .join(', ');

/** Batches written at once, each on its own connection: a new batch need not wait for the one being written. */
const WRITERS = 2;

/** A named statement: PostgreSQL parses and plans it once per connection, not once per batch. */
const INSERT = { name: 'tierwise-decision-insert', text: `INSERT INTO decision (${NAMES}) SELECT ${NAMES} FROM json_to_recordset($1::json) AS x(${COLUMNS})` };

/** `,"key":<JSON>`, or nothing where JSON.stringify leaves the member out (undefined). */
function member(key: string, value: unknown): string {
  const json = typeof value === 'string' ? jsonString(value) : JSON.stringify(value);
  return json === undefined ? '' : `,"${key}":${json}`;
}

/**
 * The multi-row INSERT's one parameter: the rows as the JSON array json_to_recordset reads (INSERT's columns), written
 * as text — byte for byte JSON.stringify of the rows mapped to their columns (a differential test holds the two equal),
 * without building that object per row, and with what a flush's rows share (policy, version, actor, the instant of a
 * busy millisecond) serialised once: 2.2–2.5 → ~1.4 µs a row (issue 17 target 1, a micro-loop of 8-row flushes).
 */
export function insertPayload(rows: readonly DecisionRow[]): string {
  let out = '[';
  // the last row's value of each column its neighbours usually share, and its member's text
  let evaluatedMs = NaN;
  let evaluated = '';
  let asOfMs = NaN;
  let asOf = '';
  let policyId: unknown = undefined;
  let policyIdText: string | undefined;
  let policyKey: unknown = undefined;
  let policyKeyText: string | undefined;
  let versionId: unknown = undefined;
  let versionIdText: string | undefined;
  let actor: unknown = undefined;
  let actorText: string | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const e = r.evaluatedAt.getTime();
    if (e !== evaluatedMs || evaluated === '') {
      evaluatedMs = e;
      evaluated = member('evaluated_at', r.evaluatedAt.toISOString());
    }
    const a = r.asOf.getTime();
    if (a !== asOfMs || asOf === '') {
      asOfMs = a;
      asOf = member('as_of', r.asOf.toISOString());
    }
    if (policyIdText === undefined || r.policyId !== policyId) policyIdText = member('policy_id', (policyId = r.policyId));
    if (policyKeyText === undefined || r.policyKey !== policyKey) policyKeyText = member('policy_key', (policyKey = r.policyKey));
    if (versionIdText === undefined || r.versionId !== versionId) versionIdText = member('version_id', (versionId = r.versionId));
    if (actorText === undefined || r.actor !== actor) actorText = member('actor', (actor = r.actor));
    const rest =
      `${evaluated}${asOf}${policyIdText}${policyKeyText}${versionIdText}${member('version_number', r.versionNumber)}` +
      `${member('customer_id', r.customerId)}${actorText}${member('facts', r.facts)}${member('eligible', r.eligible)}` +
      `${member('tier_key', r.tierKey)}${member('tier_rank', r.tierRank)}${member('benefit_package_key', r.benefitPackageKey)}` +
      `${member('scores', r.scores)}${member('rollout_step', r.rolloutStep ?? null)}${member('cutoff_run_id', r.cutoffRunId)}`;
    const id = member('id', r.id);
    // members are written with their comma before them: the row's first one without (the id's, unless it has none)
    out += `${i ? ',' : ''}{${id ? `${id.slice(1)}${rest}` : rest.slice(1)}}`;
  }
  return `${out}]`;
}

/**
 * Group commit for decisions: callers wait until their decision is durable, but concurrent callers
 * share one multi-row INSERT. Up to WRITERS batches are written at a time; while they are, the next
 * one gathers. Nothing is lost on shutdown: the app closes only after the queue is drained.
 */
@Injectable()
export class DecisionLogService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private queue: Pending[] = [];
  private writers = 0;
  private idle: (() => void)[] = [];
  /** The writers' own connections (one each), so named statements stay prepared on them. */
  private readonly pool: Pool;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.pool = new Pool({
      connectionString: config.databaseUrl,
      max: WRITERS,
      application_name: 'tierwise-decision-log',
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    });
    this.pool.on('error', () => undefined); // an idle connection dropped: the next write reconnects
    metrics.watchPool('decision-log', this.pool);
  }

  append(rows: DecisionRow[]): Promise<void> {
    return new Promise((done, failed) => {
      this.queue.push({ rows, done, failed });
      if (this.writers < WRITERS) void this.drain();
    });
  }

  /**
   * One writer: takes a batch (at most decisionLogBatch rows, at least one caller) and writes it, until the queue is
   * empty, on one connection taken from the pool for the whole run rather than per batch (the pool's acquire and
   * release per flush was ~1.5 % of the logged server's busy time at 32 connections, issue 17 target 1).
   */
  private async drain(): Promise<void> {
    this.writers += 1;
    const conn: Connection = { client: undefined };
    try {
      while (this.queue.length) {
        const batch: Pending[] = [];
        let count = 0;
        while (this.queue.length && (count === 0 || count + this.queue[0].rows.length <= this.config.decisionLogBatch)) {
          const p = this.queue.shift() as Pending;
          batch.push(p);
          count += p.rows.length;
        }
        await this.commit(batch, conn);
      }
    } finally {
      letGo(conn);
      this.writers -= 1;
      if (this.writers === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }

  /**
   * Write a batch and settle its callers. A value PostgreSQL refuses (SQLSTATE class 22, e.g. a lone
   * UTF-16 surrogate in a fact) would fail everyone in the batch: then each caller is written alone,
   * so only the one whose decision cannot be stored fails.
   */
  private async commit(batch: Pending[], conn: Connection): Promise<void> {
    const rows = batch.flatMap((p) => p.rows);
    const started = performance.now();
    try {
      await this.write(rows, conn);
      this.metrics.decisionBatch(rows.length, (performance.now() - started) / 1000, true);
      batch.forEach((p) => p.done());
    } catch (e) {
      this.metrics.decisionBatch(rows.length, (performance.now() - started) / 1000, false);
      if (batch.length > 1 && e instanceof DatabaseError && e.code?.startsWith('22')) {
        for (const p of batch) await this.commit([p], conn);
        return;
      }
      batch.forEach((p) => p.failed(e));
    }
  }

  /**
   * A flush of COPY_MIN_ROWS or more goes by binary COPY (decision-copy.ts), unless a value cannot be encoded as
   * the INSERT would store it; smaller ones, and those, by the multi-row INSERT. Both are one statement: a batch
   * is stored whole or not at all. A month not yet created (a new policy, a new month before the hourly upkeep):
   * created, then the batch written once more.
   */
  private async write(rows: DecisionRow[], conn: Connection): Promise<void> {
    const data = rows.length >= COPY_MIN_ROWS ? encodeDecisions(rows) : null;
    const store = () => this.onConnection(conn, (client) => (data ? copyDecisions(client, data) : client.query({ ...INSERT, values: [insertPayload(rows)] })));
    try {
      await store();
    } catch (e) {
      if (!(e instanceof DatabaseError && e.code === '23514' && /no partition/.test(e.message))) throw e;
      const months = new Map(rows.map((r) => [`${r.policyId}:${monthStart(r.evaluatedAt).getTime()}`, r]));
      await this.onConnection(conn, (client) =>
        client.query(ENSURE_PARTITIONS_SQL, [[...months.values()].map((r) => r.policyId), [...months.values()].map((r) => r.evaluatedAt)]),
      );
      await store();
    }
  }

  /**
   * A statement on the writer's connection (taken from the pool when it has none). A row PostgreSQL refuses (SQLSTATE
   * class 22, a value; 23, e.g. no partition for it) leaves the connection usable; any other failure (connection lost,
   * server shutting down) discards it, and the next statement takes another.
   */
  private async onConnection(conn: Connection, statement: (client: PoolClient) => Promise<unknown>): Promise<void> {
    if (!conn.client) {
      conn.client = await this.pool.connect();
      // a connection lost mid-statement also rejects the statement (handled below): not an uncaught 'error' meanwhile
      conn.client.on('error', ignore);
    }
    const client = conn.client;
    try {
      await statement(client);
    } catch (e) {
      if (!(e instanceof DatabaseError && /^2[23]/.test(e.code ?? ''))) letGo(conn, e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
  }

  /** Resolves when no batch is being written. */
  private settled(): Promise<void> {
    return this.writers > 0 ? new Promise<void>((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled(); // decisions of requests that finished while the HTTP server closed
    await this.pool.end();
  }
}
