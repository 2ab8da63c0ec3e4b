import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { ratingCycles } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { safeKey, zodDetails, ZodBody } from '../common/validation';
import { FREQUENCIES } from './cycle-periods';
import { RatingCyclesService } from './rating-cycles.service';

const scheduleBody = z.strictObject({
  frequency: z.enum(FREQUENCIES, { message: `must be one of ${FREQUENCIES.join(', ')}` }),
  deadlineDays: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(366, 'at most 366'),
});
const openBody = z.strictObject({
  at: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with a time zone' }).optional(),
  policy: safeKey.optional(),
});
const listQuery = z.object({
  policy: z.string().min(1).max(64).optional(),
  overdue: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
});

/** Rating cycles (issue 11): schedules per policy, the cycles opened for each period, overdue ones flagged. */
@Controller('rating-cycles')
export class RatingCyclesController {
  constructor(private readonly cycles: RatingCyclesService) {}

  @ContractOperation(ratingCycles.listRatingCycles)
  @Get()
  @Roles(...READERS)
  list(@Query() query: Record<string, unknown>) {
    const r = listQuery.safeParse(query);
    if (!r.success) throw new CommonException(CommonExceptionCode.InvalidQuery, 'A query parameter is not valid', zodDetails(r.error));
    return this.cycles.list({ policy: r.data.policy, overdue: r.data.overdue === undefined ? undefined : r.data.overdue === 'true' });
  }

  @ContractOperation(ratingCycles.listRatingCycleSchedules)
  @Get('schedules')
  @Roles(...READERS)
  schedules() {
    return this.cycles.schedules();
  }

  @ContractOperation(ratingCycles.setRatingCycleSchedule)
  @Put('schedules/:policy')
  @Roles('admin')
  setSchedule(@CurrentUser() me: Principal, @Param('policy') policy: string, @Body(new ZodBody(scheduleBody)) body: z.infer<typeof scheduleBody>) {
    return this.cycles.setSchedule(me.username, policy, body);
  }

  /** Open the cycles of the period containing `at` (default now) — what the cron does every hour; opening only, never rating. */
  @ContractOperation(ratingCycles.openRatingCycles)
  @Post('open')
  @HttpCode(200)
  @Roles('admin')
  async open(@CurrentUser() me: Principal, @Body(new ZodBody(openBody)) body: z.infer<typeof openBody>) {
    const policyId = body.policy ? await this.cycles.policyId(body.policy) : undefined;
    return { opened: await this.cycles.open(me.username, body.at ? new Date(body.at) : new Date(), policyId) };
  }
}
