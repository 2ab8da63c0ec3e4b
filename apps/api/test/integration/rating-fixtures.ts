/** Shared by the rating-run tests: snapshots of card customers, starting and waiting for runs. */
import type { TestApp } from '../helpers/test-app';

export type Auth = { Authorization: string };

export interface CardFacts {
  customerId: string;
  avgDailyAssets?: number | null;
  familyAvgDailyAssets?: number | null;
  hasValidId?: boolean | null;
}

/** A facts snapshot of cib-card customers (JSON upload with asOf). */
export async function snapshot(t: TestApp, auth: Auth, asOf: string, rows: CardFacts[], name = `snapshot ${asOf} ${Math.random()}`): Promise<string> {
  const body = rows.map((r) => ({ hasValidId: true, familyAvgDailyAssets: null, ...r }));
  const res = await t.http.post('/api/datasets').set(auth).send({ name, asOf, rows: body }).expect(201);
  return res.body.id as string;
}

export async function waitForRun(t: TestApp, auth: Auth, id: string, wanted: string[], timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(`/api/rating-runs/${id}`).set(auth).expect(200);
    if (wanted.includes(res.body.status)) return res.body;
    if (Date.now() > until) throw new Error(`rating run ${id} is ${res.body.status}, not ${wanted.join('/')}: ${JSON.stringify(res.body).slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start a run and wait for its proposal. */
export async function propose(
  t: TestApp,
  auth: Auth,
  body: { policy: string; datasetId: string; effectiveAt?: string; groupBy?: string[] },
): Promise<Record<string, unknown> & { id: string; result: Record<string, unknown> }> {
  const started = await t.http.post('/api/rating-runs').set(auth).send(body);
  if (started.status !== 201) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
  const done = await waitForRun(t, auth, started.body.id, ['proposed', 'failed']);
  if (done.status !== 'proposed') throw new Error(`run failed: ${String(done.error)}`);
  return done as Record<string, unknown> & { id: string; result: Record<string, unknown> };
}

export async function tierOf(t: TestApp, auth: Auth, customerId: string, policy: string, at?: string) {
  const res = await t.http
    .get(`/api/customers/${encodeURIComponent(customerId)}/tier`)
    .query({ policy, ...(at ? { at } : {}) })
    .set(auth);
  return res;
}
