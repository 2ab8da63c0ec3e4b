import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { rating } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { RatingRunsService } from './rating-runs.service';

const startBody = rating.startRatingRunBody;
const approveBody = rating.approveRatingRunBody;
const rejectBody = rating.rejectRatingRunBody;

/** Who may start and cancel runs, and who may approve or reject them (never the starter: checked in the service). */
export const RATING_STARTERS = ['admin', 'author'] as const;
export const RATING_APPROVERS = ['admin', 'approver'] as const;

@Controller('rating-runs')
export class RatingRunsController {
  constructor(private readonly runs: RatingRunsService) {}

  @ContractOperation(rating.startRatingRun)
  @Post()
  @Roles(...RATING_STARTERS)
  start(@CurrentUser() me: Principal, @Body(new ZodBody(startBody)) body: z.infer<typeof startBody>) {
    return this.runs.create(me.username, { ...body, effectiveAt: body.effectiveAt ? new Date(body.effectiveAt) : undefined });
  }

  @ContractOperation(rating.listRatingRuns)
  @Get()
  @Roles(...READERS)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['createdAt', 'status', 'effectiveAt'], ['createdAt', 'DESC']);
    const { rows, total } = await this.runs.list(q);
    setContentRange(res, 'rating-runs', q, rows.length, total);
    return rows;
  }

  @ContractOperation(rating.getRatingRun)
  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', UuidParam) id: string) {
    return this.runs.get(id);
  }

  @ContractOperation(rating.approveRatingRun)
  @Post(':id/approve')
  @HttpCode(200)
  @Roles(...RATING_APPROVERS)
  approve(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body(new ZodBody(approveBody)) body: z.infer<typeof approveBody>) {
    return this.runs.approve(me.username, id, body.comment);
  }

  @ContractOperation(rating.rejectRatingRun)
  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...RATING_APPROVERS)
  reject(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body(new ZodBody(rejectBody)) body: z.infer<typeof rejectBody>) {
    return this.runs.reject(me.username, id, body.comment);
  }

  @ContractOperation(rating.cancelRatingRun)
  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...RATING_STARTERS)
  cancel(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.runs.cancel(me.username, id);
  }
}
