import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { webhooks } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam } from '../common/validation';
import { RatingRunRow } from './rating-run.entity';
import { RatingException, RatingExceptionCode } from './rating.exception';

/**
 * Pre-notice (issue 12): the customers a run keeps in their tier by the last run of their grace
 * period — the next run that rates them below moves them down. From the run's staging rows (its
 * proposal), so the list is there from `proposed` on; `result.preNotice` counts them.
 */
@Controller('rating-runs')
export class PreNoticeController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @ContractOperation(webhooks.ratingRunPreNotice)
  @Get(':id/pre-notice')
  @Roles(...READERS)
  async list(@Param('id', UuidParam) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const run = await this.ds.getRepository(RatingRunRow).findOneBy({ id });
    if (!run) throw new RatingException(RatingExceptionCode.RunNotFound, `No rating run with id ${id}`);
    const q = parseListQuery(query, ['customerId'], ['customerId', 'ASC']);
    const grace = run.spec.lifecycle?.downgradeGraceRuns ?? 0;
    const where = `run_id = $1 AND change IS NULL AND reason = 'grace' AND below_runs >= $2`;
    const [{ n }]: { n: number }[] =
      grace > 0 ? await this.ds.query(`SELECT count(*)::int AS n FROM rating_run_change WHERE ${where}`, [id, grace]) : [{ n: 0 }];
    const rows: { customer_id: string; from_tier: string | null; rated_tier: string | null; below_runs: number; snapshot_row: number }[] =
      grace > 0
        ? await this.ds.query(
            `SELECT customer_id, from_tier, rated_tier, below_runs, snapshot_row FROM rating_run_change WHERE ${where}
              ORDER BY customer_id ${q.sortOrder} OFFSET ${q.skip} LIMIT ${q.take}`,
            [id, grace],
          )
        : [];
    setContentRange(res, 'pre-notice', q, rows.length, n);
    return rows.map((r) => ({
      customerId: r.customer_id,
      tier: r.from_tier,
      ratedTier: r.rated_tier,
      graceRunsUsed: r.below_runs,
      graceRuns: grace,
      snapshotRow: r.snapshot_row,
    }));
  }
}
