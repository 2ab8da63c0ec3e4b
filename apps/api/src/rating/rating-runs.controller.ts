import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { safeKey, UuidParam, ZodBody } from '../common/validation';
import { RatingRunsService } from './rating-runs.service';

const startBody = z.strictObject({
  policy: z.string().min(1, 'is required').max(64),
  datasetId: z.uuid({ message: 'must be a dataset id' }),
  effectiveAt: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with a time zone' }).optional(),
  comment: z.string().max(2000).optional(),
  groupBy: z
    .array(safeKey)
    .max(3, 'at most 3 facts')
    .refine((g) => new Set(g).size === g.length, 'lists a fact twice')
    .optional(),
});
const approveBody = z.strictObject({ comment: z.string().max(2000).optional() });
const rejectBody = z.strictObject({ comment: z.string().trim().min(1, 'say why the run is rejected').max(2000) });

/** Who may start and cancel runs, and who may approve or reject them (never the starter: checked in the service). */
export const RATING_STARTERS = ['admin', 'author'] as const;
export const RATING_APPROVERS = ['admin', 'approver'] as const;

@ApiTags('rating-runs')
@ApiBearerAuth()
@Controller('rating-runs')
export class RatingRunsController {
  constructor(private readonly runs: RatingRunsService) {}

  @Post()
  @Roles(...RATING_STARTERS)
  start(@CurrentUser() me: Principal, @Body(new ZodBody(startBody)) body: z.infer<typeof startBody>) {
    return this.runs.create(me.username, { ...body, effectiveAt: body.effectiveAt ? new Date(body.effectiveAt) : undefined });
  }

  @Get()
  @Roles(...READERS)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['createdAt', 'status', 'effectiveAt'], ['createdAt', 'DESC']);
    const { rows, total } = await this.runs.list(q);
    setContentRange(res, 'rating-runs', q, rows.length, total);
    return rows;
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', UuidParam) id: string) {
    return this.runs.get(id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles(...RATING_APPROVERS)
  approve(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body(new ZodBody(approveBody)) body: z.infer<typeof approveBody>) {
    return this.runs.approve(me.username, id, body.comment);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...RATING_APPROVERS)
  reject(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body(new ZodBody(rejectBody)) body: z.infer<typeof rejectBody>) {
    return this.runs.reject(me.username, id, body.comment);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...RATING_STARTERS)
  cancel(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.runs.cancel(me.username, id);
  }
}
