import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeChunk, getterOf } from '../datasets/chunk-codec';
import { exportFile, ExportFormat } from '../common/export';
import { NOT_RATED } from './lifecycle';
import { LedgerService } from './ledger.service';
import { RatingException, RatingExceptionCode } from './rating.exception';

type Counts = Record<string, number>;

interface ReportRequest {
  policy: string;
  at: Date;
  compareTo?: Date;
  groupBy?: string;
}

/**
 * Period reports (contract §8): the official ledger of a policy at two instants — tier counts and
 * percent of total, per value of a grouping fact, and the movement matrix between the instants.
 * A customer's group value comes from the latest applied snapshot that included them at that
 * instant (so a customer who moved district counts in the new one even when their tier stayed).
 */
@Injectable()
export class TierReportsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly ledger: LedgerService,
  ) {}

  /** customer → official tier key ('null' = not rated) of the policy at `at`. */
  private async ledgerAt(policyId: string, at: Date): Promise<Map<string, string>> {
    const rows: { customer_id: string; tier_key: string | null }[] = await this.ds.query(
      `SELECT customer_id, tier_key FROM tier_history WHERE policy_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
      [policyId, at],
    );
    return new Map(rows.map((r) => [r.customer_id, r.tier_key ?? NOT_RATED]));
  }

  /** customer → the grouping fact's value in the latest applied snapshot (at `at`) that holds the customer. */
  private async groupsAt(policyId: string, at: Date, fact: string, customers: Set<string>): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    const runs: { dataset_id: string }[] = await this.ds.query(
      `SELECT dataset_id FROM rating_run WHERE policy_id = $1 AND status = 'applied' AND effective_at <= $2 ORDER BY effective_at DESC`,
      [policyId, at],
    );
    const seen = new Set<string>();
    for (const { dataset_id: datasetId } of runs) {
      if (out.size >= customers.size) break;
      if (seen.has(datasetId)) continue;
      seen.add(datasetId);
      const chunks: { data: Buffer }[] = await this.ds.query('SELECT data FROM dataset_chunk WHERE dataset_id = $1 ORDER BY chunk_no', [datasetId]);
      for (const { data } of chunks) {
        const chunk = decodeChunk(data);
        const ids = chunk.ids;
        if (!ids) break;
        const col = chunk.columns.get(fact);
        const get = col ? getterOf(col) : () => null;
        for (let i = 0; i < chunk.rows; i++) {
          const id = ids[i];
          if (id !== null && customers.has(id) && !out.has(id)) out.set(id, get(i) ?? null);
        }
      }
    }
    return out;
  }

  async report(req: ReportRequest) {
    const policy = await this.ledger.policy(req.policy);
    if (req.groupBy) {
      const known: unknown[] = await this.ds.query('SELECT 1 FROM fact WHERE key = $1', [req.groupBy]);
      if (!known.length)
        throw new RatingException(RatingExceptionCode.BadGroupBy, `No fact ${req.groupBy} in the catalog`, [{ path: 'groupBy', message: 'unknown fact' }]);
    }
    const instants = [{ side: 'at' as const, t: req.at }, ...(req.compareTo ? [{ side: 'compareTo' as const, t: req.compareTo }] : [])];
    const ledgers = new Map<'at' | 'compareTo', Map<string, string>>();
    const groupsOf = new Map<'at' | 'compareTo', Map<string, unknown>>();
    for (const { side, t } of instants) {
      const l = await this.ledgerAt(policy.id, t);
      ledgers.set(side, l);
      if (req.groupBy) groupsOf.set(side, await this.groupsAt(policy.id, t, req.groupBy, new Set(l.keys())));
    }
    // Tier names as the ledger recorded them, in ladder order.
    const tierRows: { tier_key: string; tier_name: string; tier_name_en: string | null; tier_rank: number | null }[] = await this.ds.query(
      `SELECT DISTINCT ON (tier_key) tier_key, tier_name, tier_name_en, tier_rank FROM tier_history WHERE policy_id = $1 AND tier_key IS NOT NULL
       ORDER BY tier_key, recorded_at DESC`,
      [policy.id],
    );
    const tiers = tierRows
      .sort((a, b) => (a.tier_rank ?? 99) - (b.tier_rank ?? 99) || a.tier_key.localeCompare(b.tier_key))
      .map((t) => ({ key: t.tier_key, name: t.tier_name, nameEn: t.tier_name_en, rank: t.tier_rank }));

    const total: Record<string, Counts> = {};
    const groups = new Map<string, { group: Record<string, unknown>; at: Counts; compareTo: Counts }>();
    for (const { side } of instants) {
      const l = ledgers.get(side)!;
      const counts: Counts = {};
      for (const [customer, tier] of l) {
        counts[tier] = (counts[tier] ?? 0) + 1;
        if (!req.groupBy) continue;
        const value = groupsOf.get(side)!.get(customer) ?? null;
        const key = JSON.stringify(value);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { group: { [req.groupBy]: value }, at: {}, compareTo: {} }));
        g[side][tier] = (g[side][tier] ?? 0) + 1;
      }
      total[side] = counts;
    }
    const customers = (side: 'at' | 'compareTo') => ledgers.get(side)?.size ?? 0;
    const percent = (counts: Counts, n: number) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, n ? Math.round((v / n) * 10000) / 100 : 0]));
    let movement: Record<string, Counts> | undefined;
    if (req.compareTo) {
      movement = {};
      const before = ledgers.get('compareTo')!;
      const after = ledgers.get('at')!;
      for (const id of new Set([...before.keys(), ...after.keys()])) {
        const from = before.get(id) ?? NOT_RATED;
        const to = after.get(id) ?? NOT_RATED;
        (movement[from] ??= {})[to] = (movement[from][to] ?? 0) + 1;
      }
    }
    return {
      policy: policy.key,
      at: req.at,
      compareTo: req.compareTo ?? null,
      groupBy: req.groupBy ?? null,
      tiers,
      notRatedKey: NOT_RATED,
      customers: { at: customers('at'), ...(req.compareTo ? { compareTo: customers('compareTo') } : {}) },
      total: { at: total.at ?? {}, ...(req.compareTo ? { compareTo: total.compareTo ?? {} } : {}) },
      percent: {
        at: percent(total.at ?? {}, customers('at')),
        ...(req.compareTo ? { compareTo: percent(total.compareTo ?? {}, customers('compareTo')) } : {}),
      },
      groups: [...groups.values()]
        .sort((a, b) => JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)))
        .map((g) => ({
          ...g,
          percent: { at: percent(g.at, customers('at')), ...(req.compareTo ? { compareTo: percent(g.compareTo, customers('compareTo')) } : {}) },
        })),
      ...(movement ? { movement } : {}),
    };
  }

  /** The report as CSV or XLSX through the one writer: one row per group and tier (and the totals), counts and percent at both instants. */
  async file(req: ReportRequest, format: ExportFormat, lang: 'zh-CN' | 'en') {
    const r = await this.report(req);
    const en = lang === 'en';
    const tierName = (key: string) => {
      if (key === NOT_RATED) return en ? 'Not rated' : '未评级';
      const t = r.tiers.find((x) => x.key === key);
      return (en ? t?.nameEn || t?.name : t?.name) ?? key;
    };
    const keys = [...r.tiers.map((t) => t.key), NOT_RATED];
    const header = [
      r.groupBy ?? (en ? 'Group' : '分组'),
      en ? 'Tier' : '等级',
      en ? `Customers at ${r.at.toISOString()}` : `客户数（${r.at.toISOString()}）`,
      en ? '% of total' : '占比 %',
      ...(r.compareTo
        ? [en ? `Customers at ${r.compareTo.toISOString()}` : `客户数（${r.compareTo.toISOString()}）`, en ? '% of total' : '占比 %', en ? 'Change' : '变化']
        : []),
    ];
    const rows: (string | number | null)[][] = [];
    const add = (label: string, counts: { at: Counts; compareTo?: Counts }, pct: { at: Counts; compareTo?: Counts }) => {
      for (const k of keys) {
        const a = counts.at[k] ?? 0;
        const c = counts.compareTo?.[k] ?? 0;
        if (!a && !c) continue;
        rows.push([label, tierName(k), a, pct.at[k] ?? 0, ...(r.compareTo ? [c, pct.compareTo?.[k] ?? 0, a - c] : [])]);
      }
    };
    for (const g of r.groups) add(String(Object.values(g.group)[0] ?? '—'), g, g.percent);
    add(en ? 'Total' : '合计', r.total, r.percent);
    return exportFile({ header, rows, sheetName: en ? 'Tiers' : '等级分布' }, format, `tier-report-${r.policy}`);
  }
}
