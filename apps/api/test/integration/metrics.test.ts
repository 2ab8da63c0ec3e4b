/**
 * Issue 18, acceptance 1: `/metrics` in Prometheus text format — refused without its token when
 * one is configured, absent on the public port when not; counters and histograms move after
 * requests, decisions and a simulation; a route's label is its template, never the raw path.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { AggregatorRegistry } from 'prom-client';
import request from 'supertest';
import { Metrics } from '../../src/metrics/metrics.service';
import { createTestApp, TestApp } from '../helpers/test-app';
import { cardCustomers, csvOf, raisedPlatinumDraft, seedCatalog, waitForStatus } from './simulation-fixtures';

jest.setTimeout(120_000);

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one series (`name{labels}`, labels in any order), or 0 when it is absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe('metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  let author: { auth: { Authorization: string } };
  let service: { auth: { Authorization: string } };
  const scrape = async () => {
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };

  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
    await seedCatalog(t.app);
    author = await t.login(['author']);
    service = await t.login(['service']);
  });
  afterAll(() => t.close());

  it('refuses without the token, or with another one', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', TOKEN)).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it('counts HTTP requests by route template and status, with latency histograms', async () => {
    const before = await scrape();
    const policies = (await t.http.get('/api/policies').set(author.auth).expect(200)).body as { id: string; key: string }[];
    const id = policies[0].id;
    for (let i = 0; i < 3; i++) await t.http.get(`/api/policies/${id}`).set(author.auth).expect(200);
    await t.http.get('/api/policies/00000000-0000-4000-8000-000000000000').set(author.auth).expect(404);
    await t.http.get(`/api/no-such-route/${id}`).set(author.auth);
    const after = await scrape();

    const route = { method: 'GET', route: '/api/policies/:id', status: '200' };
    expect(value(after, 'tierwise_http_requests_total', route) - value(before, 'tierwise_http_requests_total', route)).toBe(3);
    expect(
      value(after, 'tierwise_http_requests_total', { ...route, status: '404' }) - value(before, 'tierwise_http_requests_total', { ...route, status: '404' }),
    ).toBe(1);
    expect(value(after, 'tierwise_http_request_duration_seconds_count', route) - value(before, 'tierwise_http_request_duration_seconds_count', route)).toBe(3);
    expect(value(after, 'tierwise_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBeGreaterThanOrEqual(3);
    // bounded labels: no raw path, no id anywhere in the series
    expect(after).not.toContain(id);
    expect(after).not.toContain('no-such-route');
    expect(value(after, 'tierwise_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
  });

  it('counts decisions evaluated and logged, group-commit batch sizes and flush latency', async () => {
    const before = await scrape();
    const facts = { avgDailyAssets: 350_000, familyAvgDailyAssets: 0, hasValidId: true };
    for (let i = 0; i < 3; i++)
      await t.http
        .post('/api/evaluate')
        .set(service.auth)
        .send({ policy: 'cib-card', customerId: `m-${i}`, facts })
        .expect(200);
    await t.http
      .post('/api/evaluate/batch')
      .set(service.auth)
      .send({ policy: 'cib-card', customers: Array.from({ length: 5 }, (_v, i) => ({ customerId: `mb-${i}`, facts })) })
      .expect(200);
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(moved('tierwise_decisions_evaluated_total')).toBe(8);
    expect(moved('tierwise_decisions_logged_total')).toBe(8);
    expect(moved('tierwise_decision_log_batch_size_count')).toBeGreaterThanOrEqual(2); // 3 singles and one of 5, at most merged into fewer batches
    expect(moved('tierwise_decision_log_batch_size_sum')).toBe(8);
    expect(moved('tierwise_decision_log_flush_seconds_count')).toBe(moved('tierwise_decision_log_batch_size_count'));
    expect(moved('tierwise_http_requests_total', { method: 'POST', route: '/api/evaluate', status: '200' })).toBe(3);
  });

  it('counts a simulation by kind and outcome, its duration, and the runs by status', async () => {
    const before = await scrape();
    const draft = await raisedPlatinumDraft(t, author.auth);
    const dataset = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .attach('file', Buffer.from(csvOf(cardCustomers(200, 7)), 'utf8'), 'metrics.csv')
      .field('name', 'metrics')
      .expect(201);
    const sim = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId: dataset.body.id }).expect(201);
    await waitForStatus(t, author.auth, sim.body.id, ['succeeded']);
    let after = await scrape();
    for (let i = 0; i < 50 && value(after, 'tierwise_jobs_finished_total', { kind: 'simulation', outcome: 'completed' }) === 0; i++) {
      await new Promise((r) => setTimeout(r, 100)); // the runner records the end right after the status is stored
      after = await scrape();
    }
    const labels = { kind: 'simulation', outcome: 'completed' };
    expect(value(after, 'tierwise_jobs_finished_total', labels) - value(before, 'tierwise_jobs_finished_total', labels)).toBe(1);
    expect(value(after, 'tierwise_job_duration_seconds_count', labels) - value(before, 'tierwise_job_duration_seconds_count', labels)).toBe(1);
    expect(value(after, 'tierwise_jobs', { kind: 'simulation', status: 'succeeded' })).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^tierwise_jobs\{kind="rating-run"|^# HELP tierwise_jobs /m);
  });

  it('reports the runs by status once, not once per worker, when the workers are summed (WEB_CONCURRENCY > 1)', async () => {
    // What main.ts's primary serves: every worker's series, aggregated by prom-client — here two workers on one database.
    const registry = t.app.get(Metrics).registry;
    const summed = await AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), await registry.getMetricsAsJSON()]).metrics();
    const alone = await scrape();
    const runs = { kind: 'simulation', status: 'succeeded' };
    expect(value(alone, 'tierwise_jobs', runs)).toBeGreaterThanOrEqual(1);
    expect(value(summed, 'tierwise_jobs', runs)).toBe(value(alone, 'tierwise_jobs', runs));
    const posted = { method: 'POST', route: '/api/simulations', status: '201' };
    expect(value(alone, 'tierwise_http_requests_total', posted)).toBeGreaterThanOrEqual(1);
    expect(value(summed, 'tierwise_http_requests_total', posted)).toBe(2 * value(alone, 'tierwise_http_requests_total', posted)); // per-process series still add up
  });

  it('counts audit events, login failures, and shows the database pools and the process', async () => {
    const before = await scrape();
    await t.http.post('/api/auth/login').send({ username: 'nobody-metrics', password: 'wrong-password-2026' }).expect(401);
    const after = await scrape();
    expect(value(after, 'tierwise_login_failures_total') - value(before, 'tierwise_login_failures_total')).toBe(1);
    const failed = { action: 'auth.login_failed' };
    expect(value(after, 'tierwise_audit_events_total', failed) - value(before, 'tierwise_audit_events_total', failed)).toBe(1);
    expect(after).toMatch(/^tierwise_login_throttled_total \d+$/m);
    for (const state of ['in_use', 'idle', 'waiting']) {
      expect(after).toMatch(new RegExp(`^tierwise_db_pool_connections\\{pool="app",state="${state}"\\} \\d+$`, 'm'));
      expect(after).toMatch(new RegExp(`^tierwise_db_pool_connections\\{pool="decision-log",state="${state}"\\} \\d+$`, 'm'));
    }
    expect(value(after, 'tierwise_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value(after, 'tierwise_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('the Grafana dashboard (docker/grafana/dashboards/tierwise.json)', () => {
  it('asks only for series the API serves', async () => {
    const t = await createTestApp({ METRICS_TOKEN: TOKEN });
    try {
      const text = (await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;
      const served = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
      const dashboard = readFileSync(path.resolve(__dirname, '../../../../docker/grafana/dashboards/tierwise.json'), 'utf8');
      const asked = new Set([...dashboard.matchAll(/tierwise_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')));
      expect(asked.size).toBeGreaterThan(10);
      expect([...asked].filter((name) => !served.has(name))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('metrics without METRICS_TOKEN', () => {
  it('are not on the public port; METRICS_PORT serves them on a port of its own', async () => {
    const port = await freePort();
    const t = await createTestApp({ METRICS_PORT: String(port) });
    try {
      expect((await t.http.get('/metrics')).status).toBe(404);
      await t.http.get('/api/health').expect(200);
      const res = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
      expect(value(res.text, 'tierwise_http_requests_total', { method: 'GET', route: '/api/health', status: '200' })).toBe(1);
    } finally {
      await t.close();
    }
  });
});
