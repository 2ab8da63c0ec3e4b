import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { Cron } from 'croner';
import { DataSource } from 'typeorm';
import { AUDIT_LOGGER, AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DecisionRetentionService } from './decision-retention.service';

/**
 * The decision log's partitions (migration EvidenceAppendOnly): one part per policy, one table per
 * UTC month inside it. This service creates the current month and the two after it for every policy
 * (at start and daily by croner; the writer also creates a missing one on the spot), and applies
 * retention per policy (DecisionRetentionService: the policy's own setting, else
 * DECISION_RETENTION_MONTHS, else kept for ever): a month is dropped whole once every decision in it
 * is older than its policy's retention — never a row deleted (the table refuses DELETE) — each drop
 * audited with the policy, the month and the number of decisions. A month holds one policy's
 * decisions only, so a policy kept longer never loses a month to another's shorter retention.
 */
export interface DecisionPartition {
  name: string;
  policyId: string;
  /** First instant of the month (UTC), inclusive; `to` exclusive. */
  from: Date;
  to: Date;
}

const LEAF = /^decision_([0-9a-f]{32})_(\d{4})(\d{2})$/;
/** Months created ahead: the current one and this many after it. */
export const MONTHS_AHEAD = 2;
/** Serialises partition drops across processes (creation has its own lock in SQL). */
const RETENTION_LOCK = 7_240_003;

/** SQL creating, when missing, the month of each (policy, instant) pair given as two arrays. */
export const ENSURE_PARTITIONS_SQL = `SELECT decision_partition_for(p, t) FROM unnest($1::uuid[], $2::timestamptz[]) AS x(p, t)`;

export function monthStart(d: Date, addMonths = 0): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + addMonths, 1));
}

function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

@Injectable()
export class DecisionPartitionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private cron: Cron | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly retention: DecisionRetentionService,
    private readonly audit: AuditService,
    @Inject(AUDIT_LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintain();
    // DECISION_UPKEEP_CRON (croner syntax, UTC; `off` = only at start, e.g. in tests). Default: daily at 00:10.
    const pattern = this.config.decisionUpkeepCron;
    if (pattern === null) return;
    this.cron = new Cron(pattern, { timezone: 'UTC', protect: true, unref: true }, () => this.maintain());
  }

  onApplicationShutdown(): void {
    this.cron?.stop();
  }

  private async maintain(): Promise<void> {
    try {
      await this.ensureAhead();
      await this.applyRetention();
    } catch (e) {
      this.logger.warn({ err: e }, 'decision log partition upkeep failed (retried at the next run, and a write creates a missing month)');
    }
  }

  /** The current month and the MONTHS_AHEAD after it, for every policy. */
  async ensureAhead(now = new Date()): Promise<void> {
    const policies: { id: string }[] = await this.ds.query('SELECT id FROM policy');
    const months = Array.from({ length: MONTHS_AHEAD + 1 }, (_, i) => monthStart(now, i));
    const ids = policies.flatMap((p) => months.map(() => p.id));
    const at = policies.flatMap(() => months);
    if (ids.length) await this.ds.query(ENSURE_PARTITIONS_SQL, [ids, at]);
  }

  async partitions(): Promise<DecisionPartition[]> {
    const rows: { name: string }[] = await this.ds.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'decision'::regclass) ORDER BY c.relname`,
    );
    return rows.flatMap(({ name }) => {
      const m = LEAF.exec(name);
      if (!m) return [];
      const from = new Date(Date.UTC(Number(m[2]), Number(m[3]) - 1, 1));
      return [{ name, policyId: dashed(m[1]), from, to: monthStart(from, 1) }];
    });
  }

  /**
   * Drop every month whose decisions are all older than their policy's retention (the month ends on
   * or before `now` minus the retention, at a month's start), one audited transaction per month.
   * `defaultMonths` stands for DECISION_RETENTION_MONTHS (policies without their own setting).
   */
  async applyRetention(now = new Date(), defaultMonths?: number): Promise<{ partition: string; policyId: string; from: Date; rows: number }[]> {
    const dropped: { partition: string; policyId: string; from: Date; rows: number }[] = [];
    const retention = await this.retention.all(defaultMonths);
    for (const p of await this.partitions()) {
      const keep = retention.get(p.policyId);
      if (keep === undefined || p.to > monthStart(now, -keep)) continue;
      const rows = await this.ds.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1)', [RETENTION_LOCK]);
        const [exists]: { t: string | null }[] = await m.query('SELECT to_regclass($1)::text AS t', [p.name]);
        if (!exists.t) return undefined; // another process dropped it
        await m.query(`SET LOCAL lock_timeout = '10s'`);
        const [{ n }]: { n: string }[] = await m.query(`SELECT count(*) AS n FROM "${p.name}"`);
        const [policy]: { key: string }[] = await m.query('SELECT key FROM policy WHERE id = $1', [p.policyId]);
        await m.query(`DROP TABLE "${p.name}"`);
        await this.audit.record(m, {
          actor: 'system',
          action: 'decision.retention',
          entityType: 'decision_partition',
          entityId: p.name,
          before: { policyId: p.policyId, policy: policy?.key ?? null, from: p.from, to: p.to, decisions: Number(n) },
          after: null,
          comment: `retention ${keep} months: decisions evaluated before ${p.to.toISOString()} expired`,
        });
        return Number(n);
      });
      if (rows !== undefined) {
        dropped.push({ partition: p.name, policyId: p.policyId, from: p.from, rows });
        this.logger.info({ partition: p.name, decisions: rows }, 'decision log month dropped by retention');
      }
    }
    return dropped;
  }
}
