import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { overrides } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { mergedFilter, parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody, zodDetails } from '../common/validation';
import { OverridesService } from './overrides.service';

const customerId = z.string().trim().min(1).max(128);
const requestBody = overrides.overrideRequestBody;
const approveBody = overrides.overrideApproveBody;
const rejectBody = overrides.overrideRejectBody;
const endBody = overrides.overrideEndBody;

/** Who may request overrides, approve or reject them (never the requester: checked in the service), and end them early. */
export const OVERRIDE_REQUESTERS = ['admin', 'author'] as const;
export const OVERRIDE_APPROVERS = ['admin', 'approver'] as const;
export const OVERRIDE_ENDERS = ['admin', 'author', 'approver'] as const;

const LIST_FILTERS = ['customerId', 'policy', 'status', 'mode'] as const;
const SORTABLE = ['requestedAt', 'expiresAt', 'status', 'customerId'];

function customer(id: string): string {
  const r = customerId.safeParse(id);
  if (!r.success) throw new CommonException(CommonExceptionCode.InvalidQuery, 'The customer id is not valid', zodDetails(r.error, 'customerId'));
  return r.data;
}

/** Overrides of a customer's official tier (contract §9). */
@Controller()
export class OverridesController {
  constructor(private readonly overrides: OverridesService) {}

  @ContractOperation(overrides.requestOverride)
  @Post('customers/:customerId/overrides')
  @Roles(...OVERRIDE_REQUESTERS)
  request(@CurrentUser() me: Principal, @Param('customerId') id: string, @Body(new ZodBody(requestBody)) body: z.infer<typeof requestBody>) {
    return this.overrides.request(me.username, customer(id), { ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined });
  }

  @ContractOperation(overrides.listCustomerOverrides)
  @Get('customers/:customerId/overrides')
  @Roles(...READERS)
  async ofCustomer(@Param('customerId') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, SORTABLE, ['requestedAt', 'DESC']);
    const { rows, total } = await this.overrides.list({ ...q, filter: { ...mergedFilter(query, q, LIST_FILTERS), customerId: customer(id) } });
    setContentRange(res, 'overrides', q, rows.length, total);
    return rows;
  }

  @ContractOperation(overrides.listOverrides)
  @Get('overrides')
  @Roles(...READERS)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, SORTABLE, ['requestedAt', 'DESC']);
    const { rows, total } = await this.overrides.list({ ...q, filter: mergedFilter(query, q, LIST_FILTERS) });
    setContentRange(res, 'overrides', q, rows.length, total);
    return rows;
  }

  @ContractOperation(overrides.getOverride)
  @Get('overrides/:id')
  @Roles(...READERS)
  get(@Param('id', UuidParam) id: string) {
    return this.overrides.get(id);
  }

  @ContractOperation(overrides.approveOverride)
  @Post('overrides/:id/approve')
  @HttpCode(200)
  @Roles(...OVERRIDE_APPROVERS)
  approve(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body(new ZodBody(approveBody)) body: z.infer<typeof approveBody>) {
    return this.overrides.approve(me.username, id, body.comment);
  }

  @ContractOperation(overrides.rejectOverride)
  @Post('overrides/:id/reject')
  @HttpCode(200)
  @Roles(...OVERRIDE_APPROVERS)
  reject(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body(new ZodBody(rejectBody)) body: z.infer<typeof rejectBody>) {
    return this.overrides.reject(me.username, id, body.comment);
  }

  /** Ends an active override early, or withdraws a pending one; `comment` in the body or the query. */
  @ContractOperation(overrides.endOverride)
  @Delete('overrides/:id')
  @Roles(...OVERRIDE_ENDERS)
  end(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body() body: unknown, @Query('comment') comment?: string) {
    const parsed = body === undefined || body === null ? {} : new ZodBody(endBody).transform(body);
    return this.overrides.end(me.username, me.roles, id, parsed.comment ?? (typeof comment === 'string' ? comment.slice(0, 2000) : undefined));
  }
}
