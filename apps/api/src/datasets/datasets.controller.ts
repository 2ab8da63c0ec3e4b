import { Body, Controller, Delete, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { datasets } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { SIMULATION_RUNNERS } from '../common/access/simulation-roles';
import { FactMaskingService } from '../catalog/fact-masking';
import { DatasetException, DatasetExceptionCode } from './dataset.exception';
import { DatasetsService, syntheticBody } from './datasets.service';

@Controller('datasets')
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly masking: FactMaskingService,
  ) {}

  @ContractOperation(datasets.listDatasets)
  @Get()
  @Roles(...READERS)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['name', 'createdAt', 'rowCount', 'asOf'], ['createdAt', 'DESC']);
    const { rows, total } = await this.datasets.list(q);
    setContentRange(res, 'datasets', q, rows.length, total);
    return rows;
  }

  /**
   * A CSV file (multipart/form-data, field `file`; parameters `name`, `encoding`, `badRows`,
   * `unknownColumns`, `idColumn`, `mapping` in the query string or as fields before the file)
   * or JSON `{name, rows, …same parameters}`.
   */
  @ContractOperation(datasets.createDataset)
  @Post()
  @Roles(...SIMULATION_RUNNERS)
  create(@CurrentUser() me: Principal, @Req() req: FastifyRequest, @Query() query: Record<string, unknown>) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'multipart/form-data') return this.datasets.importCsv(me.username, req, query);
    if (type === 'application/json') return this.datasets.importJson(me.username, req.body);
    throw new DatasetException(DatasetExceptionCode.UnsupportedUpload, 'Send a CSV file as multipart/form-data (field "file") or JSON {name, rows}');
  }

  @ContractOperation(datasets.createSyntheticDataset)
  @Post('synthetic')
  @Roles(...SIMULATION_RUNNERS)
  synthetic(@CurrentUser() me: Principal, @Body(new ZodBody(syntheticBody)) body: z.infer<typeof syntheticBody>) {
    return this.datasets.createSynthetic(me.username, body);
  }

  /** The dataset and its first rows, values masked by the reader's roles (catalog/fact-masking.ts). */
  @ContractOperation(datasets.getDataset)
  @Get(':id')
  @Roles(...READERS)
  async get(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.datasets.get(id, await this.masking.forRoles(me.roles));
  }

  /** Deletes the dataset and its rows (audited); 409 while a simulation is queued or running on it. */
  @ContractOperation(datasets.deleteDataset)
  @Delete(':id')
  @Roles('admin', 'author', 'compliance')
  delete(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.datasets.delete(me.username, id);
  }
}
