import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ratingCycles } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { parseExportFormat } from '../common/export';
import { safeKey, zodDetails } from '../common/validation';
import { TierReportsService } from './tier-reports.service';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO date-time with a time zone' });
const reportQuery = z.object({
  policy: z.string({ message: 'is required' }).min(1, 'is required').max(64),
  at: instant.optional(),
  compareTo: instant.optional(),
  groupBy: safeKey.optional(),
  format: z.string().optional(),
  lang: z.enum(['zh-CN', 'en'], { message: 'must be zh-CN or en' }).optional(),
});

/** Period reports of the official ledger (contract §8): `GET /api/reports/tiers?policy=&at=&compareTo=&groupBy=&format=csv|xlsx&lang=`. */
@Controller('reports')
export class TierReportsController {
  constructor(private readonly reports: TierReportsService) {}

  @ContractOperation(ratingCycles.getTierReport)
  @Get('tiers')
  @Roles(...READERS)
  tiers(@Query() query: Record<string, unknown>) {
    const r = reportQuery.safeParse(query);
    if (!r.success) throw new CommonException(CommonExceptionCode.InvalidQuery, 'A query parameter is not valid', zodDetails(r.error));
    const q = r.data;
    const req = { policy: q.policy, at: q.at ? new Date(q.at) : new Date(), compareTo: q.compareTo ? new Date(q.compareTo) : undefined, groupBy: q.groupBy };
    if (q.format !== undefined) return this.reports.file(req, parseExportFormat(q.format), q.lang ?? 'zh-CN');
    return this.reports.report(req);
  }
}
