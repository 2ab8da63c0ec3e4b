import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthException, AuthExceptionCode } from '../common/access/auth.exception';

/** Failures older than this (since the last one) are forgotten: a new streak starts. */
const WINDOW_SECONDS = 15 * 60;
/** The longest lockout, however often it repeats. */
const MAX_LOCKOUT_SECONDS = 15 * 60;

interface Counter {
  scope: 'account' | 'address';
  key: string;
  /** The failure that locks (the limit-th within the window). */
  limit: number;
  /** Who and what the lockout's audit event names. */
  actor: string;
  entityType: string;
  entityId: string;
}

/**
 * Throttles failed sign-ins per account and per client address, in the database so that every HTTP
 * worker (WEB_CONCURRENCY) shares the counts. An attempt is counted BEFORE the password is checked
 * (and taken back when it was right), so a burst of parallel guesses cannot all slip past the limit:
 * the limit-th failure within 15 minutes locks for LOGIN_LOCKOUT_SECONDS, each later lockout in the
 * same streak twice as long (at most 15 minutes). While locked every attempt is refused with 429 and
 * Retry-After, without checking the password and without an audit event; the lockout itself is
 * audited once per streak.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private counters(username: string, address: string): Counter[] {
    const name = username.slice(0, 64) || '(empty)';
    return [
      { scope: 'account', key: `account:${name}`, limit: this.config.login.maxFailures, actor: name, entityType: 'user', entityId: name },
      { scope: 'address', key: `address:${address}`, limit: this.config.login.maxFailuresPerAddress, actor: name, entityType: 'address', entityId: address },
    ];
  }

  /** Counts this attempt as a failure until `succeeded`; refuses (429) while the account or the address is locked. */
  async attempt(username: string, address: string): Promise<void> {
    const counters = this.counters(username, address);
    const locked: { seconds: number }[] = await this.ds.query(
      `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds FROM login_throttle WHERE key = ANY($1) AND locked_until > now()`,
      [counters.map((c) => c.key)],
    );
    if (locked[0]?.seconds) throw this.refused(locked[0].seconds);
    const lockouts: { counter: Counter; until: Date; failures: number }[] = [];
    let refuse = 0;
    await this.ds.transaction(async (m) => {
      for (const counter of counters) {
        const r = await this.count(m, counter);
        if (r.refuseFor) refuse = Math.max(refuse, r.refuseFor);
        if (r.firstLockout) lockouts.push({ counter, until: r.firstLockout, failures: r.failures });
      }
    });
    for (const { counter, until, failures } of lockouts) {
      await this.audit.recordAlone({
        actor: counter.actor,
        action: 'auth.locked_out',
        entityType: counter.entityType,
        entityId: counter.entityId,
        after: { scope: counter.scope, failures, lockedUntil: until.toISOString() },
      });
    }
    if (refuse) throw this.refused(refuse);
  }

  /** The password was right: the account's streak ends, and the address gets this attempt back. */
  async succeeded(username: string, address: string): Promise<void> {
    const [account, byAddress] = this.counters(username, address);
    await this.ds.query(`DELETE FROM login_throttle WHERE key = $1`, [account.key]);
    await this.ds.query(`UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = $1`, [byAddress.key]);
  }

  /**
   * One more failure on this counter (row-locked, so concurrent attempts count one after another).
   * Already locked → this attempt is refused. The limit reached while not locked → lock now (the
   * attempt itself is still checked: a right password ends the streak).
   */
  private async count(m: EntityManager, c: Counter): Promise<{ refuseFor?: number; firstLockout?: Date; failures: number }> {
    const rows: { failures: number; lockouts: number; locked_for: number | null }[] = await m.query(
      `INSERT INTO login_throttle AS t (key, failures, last_failure_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
         lockouts = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN 0 ELSE t.lockouts END,
         locked_until = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN NULL ELSE t.locked_until END,
         last_failure_at = now()
       RETURNING failures, lockouts, ceil(extract(epoch FROM locked_until - now()))::int AS locked_for`,
      [c.key, WINDOW_SECONDS],
    );
    const { failures, lockouts, locked_for: lockedFor } = rows[0];
    if (lockedFor !== null && lockedFor > 0) return { refuseFor: lockedFor, failures };
    if (failures < c.limit) return { failures };
    const seconds = Math.min(MAX_LOCKOUT_SECONDS, this.config.login.lockoutSeconds * 2 ** Math.min(lockouts, 20));
    const locked: { until: Date }[] = await m.query(
      // a CTE, so the driver answers rows (a bare UPDATE … RETURNING comes back as [rows, count])
      `WITH locked AS (UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2), lockouts = lockouts + 1 WHERE key = $1 RETURNING locked_until)
       SELECT locked_until AS until FROM locked`,
      [c.key, seconds],
    );
    return { failures, firstLockout: lockouts === 0 ? locked[0].until : undefined };
  }

  private refused(seconds: number) {
    return new AuthException(
      AuthExceptionCode.LoginThrottled,
      `Too many failed sign-ins for this account or from this address: try again in ${seconds} s`,
    ).retryAfter(seconds);
  }
}
