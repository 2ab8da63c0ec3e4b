import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { audit } from '@tierwise/contract';
import { ContractOperation } from '../common/contract/operation.decorator';
import { Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { Cell, ExportFormat, exportFile, parseExportFormat } from '../common/export';
import { filterDate, filterString, ListQuery, mergedFilter, parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam } from '../common/validation';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';

const SORTABLE = ['seq', 'at', 'actor', 'action', 'entityType'] as const;

const json = (v: unknown) => JSON.stringify(v ?? null);
/** The export's columns: title and cell. JSON columns hold the stored JSON text. */
const EXPORT_COLUMNS: [string, (e: AuditEvent) => Cell][] = [
  ['seq', (e) => e.seq],
  ['id', (e) => e.id],
  ['at', (e) => e.at],
  ['actor', (e) => e.actor],
  ['action', (e) => e.action],
  ['entityType', (e) => e.entityType],
  ['entityId', (e) => e.entityId],
  ['comment', (e) => e.comment],
  ['diff', (e) => json(e.diff)],
  ['before', (e) => json(e.before)],
  ['after', (e) => json(e.after)],
  ['prevHash', (e) => e.prevHash],
  ['hash', (e) => e.hash],
];

@Controller('audit-events')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** Filters come as plain query parameters or inside react-admin's `filter` JSON. */
  private query(query: Record<string, unknown>): { qb: SelectQueryBuilder<AuditEvent>; q: ListQuery } {
    const q = parseListQuery(query, SORTABLE, ['seq', 'DESC']);
    const f = mergedFilter(query, q, ['entityType', 'entityId', 'actor', 'action', 'from', 'to']);
    const qb = this.ds.getRepository(AuditEvent).createQueryBuilder('e');
    for (const k of ['entityType', 'entityId', 'actor', 'action'] as const) {
      const v = filterString(f, k);
      if (v !== undefined) qb.andWhere(`e.${k} = :${k}`, { [k]: v });
    }
    const from = filterDate(f, 'from');
    const to = filterDate(f, 'to');
    if (from) qb.andWhere('e.at >= :from', { from });
    if (to) qb.andWhere('e.at <= :to', { to });
    qb.orderBy(`e.${q.sortField}`, q.sortOrder);
    if (q.sortField !== 'seq') qb.addOrderBy('e.seq', 'DESC');
    return { qb, q };
  }

  @ContractOperation(audit.listAuditEvents)
  @Get()
  @Roles('admin', 'compliance', 'approver', 'author', 'viewer')
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { qb, q } = this.query(query);
    const [rows, total] = await qb.skip(q.skip).take(q.take).getManyAndCount();
    setContentRange(res, 'audit-events', q, rows.length, total);
    return rows;
  }

  /** `?anchor=<seq>:<hash>` (a head from an earlier verify) also checks that event is still there, unchanged. */
  @ContractOperation(audit.verifyAuditChain)
  @Get('verify')
  @Roles(...READERS)
  verify(@Query('anchor') anchor: unknown) {
    if (anchor === undefined) return this.audit.verify();
    const m = typeof anchor === 'string' ? /^(\d{1,12}):([0-9a-f]{64})$/.exec(anchor) : null;
    if (!m || Number(m[1]) < 1) {
      throw new CommonException(CommonExceptionCode.InvalidQuery, 'anchor must be <seq>:<sha-256 hex>, as verify returns in head', [
        { path: 'anchor', message: 'must look like 42:9f86d0…' },
      ]);
    }
    return this.audit.verify({ seq: Number(m[1]), hash: m[2] });
  }

  @ContractOperation(audit.exportAuditCsv)
  @Get('export.csv')
  @Roles('admin', 'compliance')
  exportCsv(@Query() query: Record<string, unknown>) {
    return this.exportEvents(query, 'csv');
  }

  /** The same export, `?format=csv|xlsx` (and the list's filters). */
  @ContractOperation(audit.exportAudit)
  @Get('export')
  @Roles('admin', 'compliance')
  export(@Query() query: Record<string, unknown>) {
    const { format, ...filters } = query;
    return this.exportEvents(filters, parseExportFormat(format));
  }

  private exportEvents(query: Record<string, unknown>, format: ExportFormat) {
    const { qb } = this.query({ ...query, range: undefined });
    async function* rows() {
      const page = 2000;
      for (let skip = 0; ; skip += page) {
        const events = await qb.clone().skip(skip).take(page).getMany();
        for (const e of events) yield EXPORT_COLUMNS.map(([, cell]) => cell(e));
        if (events.length < page) return;
      }
    }
    return exportFile({ header: EXPORT_COLUMNS.map(([title]) => title), rows: rows(), sheetName: 'audit events' }, format, 'audit-events');
  }

  @ContractOperation(audit.getAuditEvent)
  @Get(':id')
  @Roles(...READERS)
  async get(@Param('id', new UuidParam()) id: string) {
    const e = await this.ds.getRepository(AuditEvent).findOneBy({ id });
    if (!e) throw new CommonException(CommonExceptionCode.NotFound, `No audit event with id ${id}`);
    return e;
  }
}
