/**
 * Shared by the dataset and simulation tests: card-tier customers, an independent implementation
 * of the card rules (plain if/else written from tiering-schemes.md §1, NOT the policy engine), and
 * small API helpers.
 */
import type { INestApplication } from '@nestjs/common';
import { randomStream } from '@tierwise/policy-engine';
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service';
import { seedTemplates } from '../../src/bootstrap/seed-templates';
import { PoliciesService } from '../../src/policies/policies.service';
import { PolicyRow, PolicyVersionRow } from '../../src/policies/policy.entities';
import { TestCasesService } from '../../src/policies/test-cases.service';
import { WorkflowService } from '../../src/policies/workflow.service';
import type { TestApp } from '../helpers/test-app';

export const DISTRICTS = ['惠城区', '惠阳区', '博罗县', '惠东县', '龙门县'];

export interface CardCustomer {
  customerId: string;
  avgDailyAssets: number | null;
  familyAvgDailyAssets: number | null;
  hasValidId: boolean | null;
  district: string;
}

/** Every card threshold, the raised one, and a cent either side of each. */
const EDGES = [80_000, 100_000, 250_000, 300_000, 500_000, 800_000, 1_000_000].flatMap((x) => [x - 0.01, x, x + 0.01]);

export function cardCustomers(n: number, seed: number): CardCustomer[] {
  const r = randomStream(seed);
  const amount = () => (r() < 0.25 ? EDGES[Math.floor(r() * EDGES.length)] : Math.round(Math.exp(9 + r() * 5.5) * 100) / 100);
  return Array.from({ length: n }, (_v, i) => ({
    customerId: `C${String(i + 1).padStart(6, '0')}`,
    avgDailyAssets: r() < 0.03 ? null : amount(),
    familyAvgDailyAssets: r() < 0.6 ? null : amount(),
    hasValidId: r() < 0.05 ? false : r() < 0.01 ? null : true,
    district: DISTRICTS[Math.floor(r() * r() * DISTRICTS.length)],
  }));
}

/** The card rules, by hand: BLACK ≥ 1,000,000 or family ≥ 800,000; PLATINUM ≥ platinum or family ≥ 250,000; GOLD ≥ 100,000 or ≥ 80,000; else SILVER with a valid ID, not rated without one. */
export function cardTier(c: Pick<CardCustomer, 'avgDailyAssets' | 'familyAvgDailyAssets' | 'hasValidId'>, platinum: number): string | null {
  const a = c.avgDailyAssets;
  const f = c.familyAvgDailyAssets;
  const atLeast = (x: number | null, t: number) => x !== null && x >= t;
  if (atLeast(a, 1_000_000) || atLeast(f, 800_000)) return 'BLACK';
  if (atLeast(a, platinum) || atLeast(f, 250_000)) return 'PLATINUM';
  if (atLeast(a, 100_000) || atLeast(f, 80_000)) return 'GOLD';
  return c.hasValidId === true ? 'SILVER' : null;
}

export const CARD_TIERS = ['BLACK', 'PLATINUM', 'GOLD', 'SILVER'];
export const RANK: Record<string, number> = { BLACK: 1, PLATINUM: 2, GOLD: 3, SILVER: 4, null: 5 };

/** The expected report, computed without the product: matrix (every cell), counts, movements, groups. */
export function expectedReport(customers: CardCustomer[], basePlatinum: number, candidatePlatinum: number) {
  const keys = [...CARD_TIERS, 'null'];
  const matrix: Record<string, Record<string, number>> = Object.fromEntries(keys.map((b) => [b, Object.fromEntries(keys.map((c) => [c, 0]))]));
  const baseline: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const candidate: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const groups: Record<
    string,
    { total: number; baseline: Record<string, number>; candidate: Record<string, number>; upgrades: number; downgrades: number; unchanged: number }
  > = {};
  let upgrades = 0;
  let downgrades = 0;
  let unchanged = 0;
  for (const c of customers) {
    const b = String(cardTier(c, basePlatinum));
    const k = String(cardTier(c, candidatePlatinum));
    matrix[b][k]++;
    baseline[b]++;
    candidate[k]++;
    const g = (groups[c.district] ??= {
      total: 0,
      baseline: Object.fromEntries(keys.map((x) => [x, 0])),
      candidate: Object.fromEntries(keys.map((x) => [x, 0])),
      upgrades: 0,
      downgrades: 0,
      unchanged: 0,
    });
    g.total++;
    g.baseline[b]++;
    g.candidate[k]++;
    const move = RANK[k] < RANK[b] ? 'upgrades' : RANK[k] > RANK[b] ? 'downgrades' : 'unchanged';
    g[move]++;
    if (move === 'upgrades') upgrades++;
    else if (move === 'downgrades') downgrades++;
    else unchanged++;
  }
  return { matrix, baseline, candidate, upgrades, downgrades, unchanged, groups };
}

/** Unit cost per customer of each card package, from the template's benefits (cib-card.ts). */
export const PACKAGE_UNIT_COST: Record<string, number> = {
  BLACK: 3000 + 2000 + 1200 + 300 + 24 + 200 + 500 + 150 + 100,
  PLATINUM: 800 + 200 + 600 + 150 + 2000 + 24 + 1200,
  GOLD: 800 + 24 + 500 + 20 + 100,
  SILVER: 10,
};

export function csvOf(customers: CardCustomer[], headers = ['customerId', 'avgDailyAssets', 'familyAvgDailyAssets', 'hasValidId', 'district']): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const lines = customers.map((c) => [c.customerId, cell(c.avgDailyAssets), cell(c.familyAvgDailyAssets), cell(c.hasValidId), c.district].join(','));
  return [headers.join(','), ...lines].join('\r\n') + '\r\n';
}

export function seedCatalog(app: INestApplication): Promise<string[]> {
  return seedTemplates({
    ds: app.get(DataSource),
    audit: app.get(AuditService),
    policies: app.get(PoliciesService),
    workflow: app.get(WorkflowService),
    testCases: app.get(TestCasesService),
  });
}

/** The seeded cib-card policy and its version in effect. */
export async function cardPolicy(app: INestApplication): Promise<{ policy: PolicyRow; active: PolicyVersionRow }> {
  const ds = app.get(DataSource);
  const policy = (await ds.getRepository(PolicyRow).findOneBy({ key: 'cib-card' })) as PolicyRow;
  const versions = await ds.getRepository(PolicyVersionRow).findBy({ policyId: policy.id, status: 'published' });
  return { policy, active: versions.sort((a, b) => b.number - a.number)[0] };
}

/** A draft of cib-card with the personal PLATINUM threshold raised to `to`. */
export async function raisedPlatinumDraft(t: TestApp, auth: Record<string, string>, to = 500_000): Promise<{ id: string; policyId: string }> {
  const { policy, active } = await cardPolicy(t.app);
  const definition = structuredClone(active.definition) as unknown as { conditions: Record<string, { any: { fact: string; value: number }[] }> };
  const leaf = definition.conditions.platinumAssets.any.find((l) => l.fact === 'avgDailyAssets');
  if (!leaf || leaf.value !== 300_000) throw new Error('unexpected cib-card definition');
  leaf.value = to;
  const res = await t.http
    .post(`/api/policies/${policy.id}/versions`)
    .set(auth)
    .send({ definition, changeNote: `PLATINUM personal threshold 300,000 → ${to}` })
    .expect(201);
  return { id: res.body.id as string, policyId: policy.id };
}

export async function waitForStatus(
  t: TestApp,
  auth: Record<string, string>,
  id: string,
  wanted: string[],
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(`/api/simulations/${id}`).set(auth);
    // A refusal says why (its code, params and Retry-After), not only its status.
    if (res.status !== 200)
      throw new Error(
        `GET /api/simulations/${id} answered ${res.status} (Retry-After ${res.headers['retry-after'] ?? '-'}): ${JSON.stringify(res.body).slice(0, 500)}`,
      );
    if (wanted.includes(res.body.status)) return res.body;
    if (Date.now() > until)
      throw new Error(`simulation ${id} is ${res.body.status}, not ${wanted.join('/')}, after ${timeoutMs} ms: ${JSON.stringify(res.body).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
