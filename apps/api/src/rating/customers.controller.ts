import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { rating } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { Roles } from '../common/access/access.decorators';
import { EVALUATORS } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { zodDetails } from '../common/validation';
import { LedgerService } from './ledger.service';

const customerId = rating.customerParams.shape.customerId;
const tierQuery = rating.tierQuery;
const historyQuery = rating.historyQuery;

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new CommonException(CommonExceptionCode.InvalidQuery, 'A query parameter is not valid', zodDetails(r.error));
  return r.data;
}

/** The tier ledger for systems and the console (contract §8): official tier at an instant, history. */
@Controller('customers')
export class CustomersController {
  constructor(private readonly ledger: LedgerService) {}

  @ContractOperation(rating.getCustomerTier)
  @Get(':customerId/tier')
  @Roles(...EVALUATORS)
  tier(@Param('customerId') id: string, @Query() query: Record<string, unknown>) {
    const q = parse(tierQuery, query);
    return this.ledger.tierAt(parse(customerId, id), q.policy, q.at ? new Date(q.at) : new Date());
  }

  @ContractOperation(rating.getCustomerTierHistory)
  @Get(':customerId/tiers')
  @Roles(...EVALUATORS)
  async tiers(@Param('customerId') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parse(historyQuery, query);
    const rows = await this.ledger.history(parse(customerId, id), q.policy);
    res.header('Content-Range', `tiers 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
    return rows;
  }
}
