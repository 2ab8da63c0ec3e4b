import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../common/access/access.decorators';
import { APP_CONFIG, AppConfig } from '../config/config';

const VERSION = '0.1.0';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: FastifyReply) {
    const decisionLog = this.config.decisionLog ? 'on' : 'off';
    try {
      await this.ds.query('SELECT 1');
      return { status: 'ok', database: 'up', decisionLog, version: VERSION };
    } catch {
      res.status(503);
      return { status: 'degraded', database: 'down', decisionLog, version: VERSION };
    }
  }
}
