import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { datasets } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseExportFormat } from '../common/export';
import { parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { SIMULATION_RUNNERS } from '../common/access/simulation-roles';
import { FactMaskingService } from '../catalog/fact-masking';
import { SimulationsService } from './simulations.service';

const simulationBody = datasets.simulationBody;

@Controller('simulations')
export class SimulationsController {
  constructor(
    private readonly simulations: SimulationsService,
    private readonly masking: FactMaskingService,
  ) {}

  @ContractOperation(datasets.createSimulation)
  @Post()
  @Roles(...SIMULATION_RUNNERS)
  create(@CurrentUser() me: Principal, @Body(new ZodBody(simulationBody)) body: z.infer<typeof simulationBody>) {
    return this.simulations.create(me.username, body);
  }

  @ContractOperation(datasets.listSimulations)
  @Get()
  @Roles(...READERS)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['createdAt', 'status', 'finishedAt'], ['createdAt', 'DESC']);
    const { rows, total } = await this.simulations.list(q);
    setContentRange(res, 'simulations', q, rows.length, total);
    return rows;
  }

  @ContractOperation(datasets.getSimulation)
  @Get(':id')
  @Roles(...READERS)
  async get(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.simulations.get(id, await this.masking.forRoles(me.roles));
  }

  @ContractOperation(datasets.simulationResultsCsv)
  @Get(':id/results.csv')
  @Roles(...READERS)
  results(@Param('id', UuidParam) id: string) {
    return this.simulations.resultsCsv(id);
  }

  /** Per-customer results, `?format=csv|xlsx`. */
  @ContractOperation(datasets.simulationResults)
  @Get(':id/results')
  @Roles(...READERS)
  resultsFile(@Param('id', UuidParam) id: string, @Query('format') format: unknown) {
    return this.simulations.resultsCsv(id, parseExportFormat(format));
  }

  /** The report's figures, `?format=csv|xlsx&lang=zh-CN|en`. */
  @ContractOperation(datasets.simulationReport)
  @Get(':id/report')
  @Roles(...READERS)
  report(@Param('id', UuidParam) id: string, @Query('format') format: unknown, @Query('lang') lang: unknown) {
    return this.simulations.reportFile(id, parseExportFormat(format), lang === 'en' ? 'en' : 'zh-CN');
  }

  @ContractOperation(datasets.cancelSimulation)
  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...SIMULATION_RUNNERS)
  cancel(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.simulations.cancel(me.username, id);
  }
}
