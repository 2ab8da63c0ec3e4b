import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { entitlements } from '@tierwise/contract';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { EVALUATORS } from '../common/access/roles';
import { ContractOperation } from '../common/contract/operation.decorator';
import { filterString, parseListQuery, setContentRange } from '../common/list-query';
import { ZodBody } from '../common/validation';
import { EntitlementsService } from './entitlements.service';

const body = entitlements.entitlementCheckBody;

/** `POST /api/entitlements/check` (anyone who may evaluate, the selling systems' `service` role included) and its log (admin, compliance). */
@Controller('entitlements')
export class EntitlementsController {
  constructor(private readonly service: EntitlementsService) {}

  @Post('check')
  @HttpCode(200)
  @Roles(...EVALUATORS)
  @ContractOperation(entitlements.checkEntitlement)
  check(@CurrentUser() me: Principal, @Body(new ZodBody(body)) b: z.infer<typeof body>) {
    return this.service.check(me.username, { ...b, at: b.at ? new Date(b.at) : undefined });
  }

  @Get('checks')
  @Roles('admin', 'compliance')
  @ContractOperation(entitlements.listEntitlementChecks)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['checkedAt'], ['checkedAt', 'DESC']);
    const filter = { customerId: filterString(q.filter, 'customerId'), policy: filterString(q.filter, 'policy'), benefit: filterString(q.filter, 'benefit') };
    const { rows, total } = await this.service.list(filter, q.skip, q.take);
    setContentRange(res, 'entitlement-checks', q, rows.length, total);
    return rows;
  }
}
