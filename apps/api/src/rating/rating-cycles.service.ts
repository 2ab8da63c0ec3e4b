import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { LOGGER } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/config';
import { deadlineOf, Frequency, periodOf } from './cycle-periods';
import { LedgerService } from './ledger.service';

/** When the API process looks for cycles to open (croner syntax; `off` = never, e.g. in tests). Default: five past every hour. */

export interface ScheduleRequest {
  frequency: Frequency;
  deadlineDays: number;
}

interface CycleRecord {
  id: string;
  policy_key: string;
  frequency: Frequency;
  period: string;
  period_start: string;
  period_end: string;
  deadline: Date;
  opened_at: Date;
  opened_by: string;
  snapshot_id: string | null;
  snapshot_name: string | null;
  snapshot_as_of: string | null;
  run_id: string | null;
  run_status: string | null;
  run_applied_at: Date | null;
}

/** What a cycle is waiting for: a snapshot, a run, the run's approval, or nothing (rated). */
function cycleStatus(r: CycleRecord): 'awaiting-snapshot' | 'awaiting-run' | 'running' | 'awaiting-approval' | 'approved' | 'rated' {
  if (r.run_status === 'applied') return 'rated';
  if (r.run_status === 'approved') return 'approved';
  if (r.run_status === 'proposed') return 'awaiting-approval';
  if (r.run_status === 'queued' || r.run_status === 'running') return 'running';
  return r.snapshot_id ? 'awaiting-run' : 'awaiting-snapshot';
}

/**
 * Rating cycles (issue 11): a schedule per policy; the API process's cron (croner) only OPENS the
 * cycle of the period that has begun — the snapshot is imported and the run started and approved
 * by people, as for any run. A cycle's snapshot = the policy's newest dataset with `asOf` in the
 * period; its run = the run on that snapshot (the applied one first); overdue = not rated by the deadline.
 * Opening is idempotent (one row per policy and period), so several API processes may tick.
 */
@Injectable()
export class RatingCyclesService implements OnApplicationBootstrap, OnModuleDestroy {
  private cron: Cron | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const pattern = this.config.rating.cycleCron;
    if (pattern === null) return;
    this.cron = new Cron(
      pattern,
      { timezone: 'UTC', protect: true, unref: true, catch: (e) => this.logger.error({ err: e }, 'opening rating cycles failed') },
      async () => {
        await this.open('system:rating-cycles', new Date());
      },
    );
    void this.open('system:rating-cycles', new Date()).catch((e: unknown) => this.logger.error({ err: e }, 'opening rating cycles failed'));
  }

  onModuleDestroy(): void {
    this.cron?.stop();
  }

  async policyId(key: string): Promise<string> {
    return (await this.ledger.policy(key)).id;
  }

  async schedules() {
    const rows: { policy_key: string; frequency: Frequency; deadline_days: number; updated_by: string; updated_at: Date }[] = await this.ds.query(
      `SELECT p.key AS policy_key, s.frequency, s.deadline_days, s.updated_by, s.updated_at FROM rating_cycle_schedule s JOIN policy p ON p.id = s.policy_id ORDER BY p.key`,
    );
    return rows.map((r) => ({ policy: r.policy_key, frequency: r.frequency, deadlineDays: r.deadline_days, updatedBy: r.updated_by, updatedAt: r.updated_at }));
  }

  /** Set a policy's schedule (audited); the current period's cycle opens at once. */
  async setSchedule(actor: string, policyKey: string, req: ScheduleRequest) {
    const policy = await this.ledger.policy(policyKey);
    await this.ds.transaction(async (m) => {
      const [before]: { frequency: string; deadline_days: number }[] = await m.query(
        'SELECT frequency, deadline_days FROM rating_cycle_schedule WHERE policy_id = $1 FOR UPDATE',
        [policy.id],
      );
      await m.query(
        `INSERT INTO rating_cycle_schedule (policy_id, frequency, deadline_days, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (policy_id) DO UPDATE SET frequency = $2, deadline_days = $3, updated_by = $4, updated_at = now()`,
        [policy.id, req.frequency, req.deadlineDays, actor],
      );
      await this.audit.record(m, {
        actor,
        action: 'rating_cycle.schedule',
        entityType: 'policy',
        entityId: policy.id,
        before: before ? { frequency: before.frequency, deadlineDays: before.deadline_days } : null,
        after: { frequency: req.frequency, deadlineDays: req.deadlineDays },
      });
    });
    await this.open(actor, new Date(), policy.id);
    return (await this.schedules()).find((s) => s.policy === policyKey);
  }

  /**
   * Open the cycle of the period containing `at` for every scheduled policy (or one) that has none
   * yet; each opening is audited once. Returns the cycles opened now.
   */
  async open(actor: string, at: Date, policyId?: string): Promise<{ policy: string; period: string }[]> {
    const schedules: { policy_id: string; policy_key: string; frequency: Frequency; deadline_days: number }[] = await this.ds.query(
      `SELECT s.policy_id, p.key AS policy_key, s.frequency, s.deadline_days FROM rating_cycle_schedule s JOIN policy p ON p.id = s.policy_id
       WHERE ($1::uuid IS NULL OR s.policy_id = $1)`,
      [policyId ?? null],
    );
    const opened: { policy: string; period: string }[] = [];
    for (const s of schedules) {
      const period = periodOf(s.frequency, at);
      const deadline = deadlineOf(period, s.deadline_days);
      await this.ds.transaction(async (m) => {
        const rows: { id: string }[] = await m.query(
          `INSERT INTO rating_cycle (policy_id, frequency, period, period_start, period_end, deadline, opened_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (policy_id, period_start) DO NOTHING RETURNING id`,
          [s.policy_id, s.frequency, period.label, period.start, period.end, deadline, actor],
        );
        if (!rows.length) return;
        await this.audit.record(m, {
          actor,
          action: 'rating_cycle.open',
          entityType: 'rating_cycle',
          entityId: rows[0].id,
          before: null,
          after: { policy: s.policy_key, period: period.label, deadline },
        });
        opened.push({ policy: s.policy_key, period: period.label });
      });
    }
    if (opened.length) this.logger.info({ opened }, 'rating cycles opened');
    return opened;
  }

  /** Cycles newest first, each with its snapshot, run, status and whether it is overdue at `now`. */
  async list(filter: { policy?: string; overdue?: boolean }, now = new Date()) {
    const policy = filter.policy ? await this.ledger.policy(filter.policy) : null;
    const rows: CycleRecord[] = await this.ds.query(
      `SELECT c.id, p.key AS policy_key, c.frequency, c.period, to_char(c.period_start, 'YYYY-MM-DD') AS period_start,
              to_char(c.period_end, 'YYYY-MM-DD') AS period_end, c.deadline, c.opened_at, c.opened_by,
              d.id AS snapshot_id, d.name AS snapshot_name, to_char(d.as_of, 'YYYY-MM-DD') AS snapshot_as_of,
              r.id AS run_id, r.status AS run_status, r.applied_at AS run_applied_at
       FROM rating_cycle c
       JOIN policy p ON p.id = c.policy_id
       LEFT JOIN LATERAL (
         SELECT id, name, as_of FROM dataset
         WHERE policy_id = c.policy_id AND as_of BETWEEN c.period_start AND c.period_end
         ORDER BY as_of DESC, created_at DESC LIMIT 1
       ) d ON true
       LEFT JOIN LATERAL (
         SELECT id, status, applied_at FROM rating_run
         WHERE policy_id = c.policy_id AND dataset_id IN (SELECT id FROM dataset WHERE policy_id = c.policy_id AND as_of BETWEEN c.period_start AND c.period_end)
         ORDER BY (status = 'applied') DESC, (status IN ('rejected', 'cancelled', 'failed')) ASC, created_at DESC LIMIT 1
       ) r ON true
       WHERE ($1::uuid IS NULL OR c.policy_id = $1)
       ORDER BY c.period_start DESC, p.key`,
      [policy?.id ?? null],
    );
    const views = rows.map((r) => {
      const status = cycleStatus(r);
      const rated = status === 'rated';
      return {
        id: r.id,
        policy: r.policy_key,
        frequency: r.frequency,
        period: r.period,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        deadline: r.deadline,
        openedAt: r.opened_at,
        openedBy: r.opened_by,
        snapshot: r.snapshot_id ? { id: r.snapshot_id, name: r.snapshot_name, asOf: r.snapshot_as_of } : null,
        run: r.run_id ? { id: r.run_id, status: r.run_status, appliedAt: r.run_applied_at } : null,
        status,
        overdue: !rated && now.getTime() >= new Date(r.deadline).getTime(),
        late: rated && !!r.run_applied_at && new Date(r.run_applied_at).getTime() > new Date(r.deadline).getTime(),
      };
    });
    return filter.overdue === undefined ? views : views.filter((v) => v.overdue === filter.overdue);
  }
}
