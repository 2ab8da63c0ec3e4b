import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { webhooks } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { mergedFilter, parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { TIER_EVENT_TYPES } from './outbox';
import { WebhooksService } from './webhooks.service';

const url = z
  .string()
  .max(2000)
  .refine((u) => {
    try {
      const p = new URL(u);
      return (p.protocol === 'https:' || p.protocol === 'http:') && !p.username && !p.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');
const events = z
  .array(z.enum(TIER_EVENT_TYPES, { message: `must be one of ${TIER_EVENT_TYPES.join(', ')}` }))
  .min(1, 'name at least one event type')
  .refine((e) => new Set(e).size === e.length, 'lists an event type twice');
const secret = z.string().min(16, 'must be at least 16 characters').max(256);
const createBody = z.strictObject({ url, events, secret, active: z.boolean().optional() });
const updateBody = z.strictObject({ url: url.optional(), events: events.optional(), secret: secret.optional(), active: z.boolean().optional() });

function deliveryId(raw: string): string {
  if (!/^[1-9]\d{0,17}$/.test(raw)) throw new CommonException(CommonExceptionCode.NotFound, `No such delivery: ${raw.slice(0, 40)}`);
  return raw;
}

/** Webhooks (contract §9): admin only. */
@Controller('webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @ContractOperation(webhooks.createWebhook)
  @Post()
  create(@CurrentUser() me: Principal, @Body(new ZodBody(createBody)) body: z.infer<typeof createBody>) {
    return this.webhooks.create(me.username, body);
  }

  @ContractOperation(webhooks.listWebhooks)
  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['createdAt'], ['createdAt', 'ASC']);
    const { rows, total } = await this.webhooks.list(q);
    setContentRange(res, 'webhooks', q, rows.length, total);
    return rows;
  }

  @ContractOperation(webhooks.getWebhook)
  @Get(':id')
  get(@Param('id', UuidParam) id: string) {
    return this.webhooks.get(id);
  }

  @ContractOperation(webhooks.updateWebhook)
  @Patch(':id')
  update(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Body(new ZodBody(updateBody)) body: z.infer<typeof updateBody>) {
    return this.webhooks.update(me.username, id, body);
  }

  @ContractOperation(webhooks.deleteWebhook)
  @Delete(':id')
  remove(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.webhooks.remove(me.username, id);
  }

  @ContractOperation(webhooks.listWebhookDeliveries)
  @Get(':id/deliveries')
  async deliveries(@Param('id', UuidParam) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['id'], ['id', 'DESC']);
    const { rows, total } = await this.webhooks.deliveries(id, { ...q, filter: mergedFilter(query, q, ['status', 'eventId']) });
    setContentRange(res, 'deliveries', q, rows.length, total);
    return rows;
  }

  @ContractOperation(webhooks.retryWebhookDelivery)
  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(200)
  retry(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string, @Param('deliveryId') d: string) {
    return this.webhooks.retry(me.username, id, deliveryId(d));
  }

  @ContractOperation(webhooks.testWebhook)
  @Post(':id/test')
  @HttpCode(200)
  test(@CurrentUser() me: Principal, @Param('id', UuidParam) id: string) {
    return this.webhooks.test(me.username, id);
  }
}
