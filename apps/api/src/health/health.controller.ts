import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { core } from '@tierwise/contract';
import { Public } from '../common/access/access.decorators';
import { ContractOperation } from '../common/contract/operation.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DATABASE_RETRY_AFTER_SECONDS } from '../common/errors/database-unavailable';
import { ReadinessProbe } from './readiness';

const VERSION = '0.1.0';

@Controller('health')
export class HealthController {
  constructor(
    private readonly probe: ReadinessProbe,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Overall state for people and the console: 503 with the reason while the database cannot be used. */
  @Public()
  @ContractOperation(core.health)
  @Get()
  async health(@Res({ passthrough: true }) res: FastifyReply) {
    const decisionLog = this.config.decisionLog ? 'on' : 'off';
    const reason = await this.probe.database();
    if (reason === undefined) return { status: 'ok', database: 'up', decisionLog, version: VERSION };
    res.status(503).header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return { status: 'degraded', database: 'down', reason, decisionLog, version: VERSION };
  }

  /** Liveness: the process answers (nothing else is asked, so a database outage never gets it restarted). */
  @Public()
  @ContractOperation(core.liveness)
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: database reachable, migrations applied, not shutting down (and Redis reachable with REDIS_URL); else 503 saying which. */
  @Public()
  @ContractOperation(core.readiness)
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: FastifyReply) {
    const r = await this.probe.check();
    if (!r.ready) res.status(503);
    return { status: r.ready ? 'ready' : 'not ready', ...r.checks };
  }
}
