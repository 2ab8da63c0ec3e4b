import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { core } from '@tierwise/contract';
import { Public } from '../common/access/access.decorators';
import { ContractOperation } from '../common/contract/operation.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableReason } from '../database/database-unavailable';

const VERSION = '0.1.0';

/** A health probe answers within this, even when the database hangs instead of refusing. */
const PROBE_TIMEOUT_MS = 3_000;

/** `SELECT 1` on the app's pool: undefined when it answered, else why not (a short phrase). */
export async function probeDatabase(ds: DataSource, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
  });
  try {
    return await Promise.race([
      ds.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => databaseUnavailableReason(e) ?? (e instanceof Error ? e.message : String(e)),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Overall state for people and the console: 503 with the reason while the database cannot be used. */
  @Public()
  @ContractOperation(core.health)
  @Get()
  async health(@Res({ passthrough: true }) res: FastifyReply) {
    const decisionLog = this.config.decisionLog ? 'on' : 'off';
    const reason = await probeDatabase(this.ds);
    if (reason === undefined) return { status: 'ok', database: 'up', decisionLog, version: VERSION };
    res.status(503).header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return { status: 'degraded', database: 'down', reason, decisionLog, version: VERSION };
  }
}
