/**
 * The decision log's list (GET /api/decisions) as the console pages it: by customer, by policy, in a
 * time window, sorted either way and by the other sortable columns, one page at a time with the
 * total in Content-Range — the summary of each decision, never its trace.
 */
import { cardDefinition, publishVersion, setupPolicy, uniqueKey } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };
type Summary = { id: string; customerId: string; evaluatedAt: string; policyKey: string; tierKey: string; trace?: unknown };

describe('GET /api/decisions: filters, sorting, pages and totals', () => {
  let t: TestApp;
  let author: { auth: Auth };
  let compliance: { auth: Auth };
  let policy: { id: string; key: string };
  const a = uniqueKey('list-a');
  const b = uniqueKey('list-b');
  /** Decision ids in the order they were made. */
  const made: { id: string; customerId: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    author = await t.login(['author']);
    compliance = await t.login(['compliance']);
    const setup = await setupPolicy(t, author.auth);
    policy = setup.policy;
    await publishVersion(t, author.auth, (await t.login(['approver'])).auth, policy.id, cardDefinition(setup.fact));
    for (const [customerId, assets] of [
      [a, 5],
      [b, 150_000],
      [a, 150_000],
      [b, 2_000_000],
      [a, 2_000_000],
    ] as const) {
      const d = await t.http
        .post('/api/evaluate')
        .set(author.auth)
        .send({ policy: policy.key, customerId, facts: { [setup.fact]: assets } })
        .expect(200);
      made.push({ id: d.body.decisionId, customerId });
      await new Promise((r) => setTimeout(r, 5)); // distinct evaluated_at
    }
  });
  afterAll(() => t.close());

  const list = async (query: Record<string, string>) => {
    const res = await t.http.get('/api/decisions').query(query).set(compliance.auth).expect(200);
    return { ids: (res.body as Summary[]).map((d) => d.id), body: res.body as Summary[], range: res.headers['content-range'] };
  };
  const ofA = () => made.filter((m) => m.customerId === a);

  it("a customer's decisions, newest first, with the total; the summary without the trace", async () => {
    const r = await list({ filter: JSON.stringify({ customerId: a }) });
    expect(r.ids).toEqual(
      ofA()
        .map((m) => m.id)
        .reverse(),
    );
    expect(r.range).toBe('decisions 0-2/3');
    expect(r.body[0]).toMatchObject({ customerId: a, policyKey: policy.key, tierKey: 'BLACK', eligible: true });
    expect(r.body[0]).not.toHaveProperty('trace');
    expect(new Date(r.body[0].evaluatedAt).getTime()).toBeGreaterThan(new Date(r.body[1].evaluatedAt).getTime());
  });

  it('one page of a longer list, and a page past the end, keep the total', async () => {
    const second = await list({ filter: JSON.stringify({ customerId: a }), range: '[1,1]' });
    expect(second.ids).toEqual([ofA()[1].id]);
    expect(second.range).toBe('decisions 1-1/3');
    const past = await list({ filter: JSON.stringify({ customerId: a }), range: '[10,19]' });
    expect(past.ids).toEqual([]);
    expect(past.range).toBe('decisions 10-10/3');
  });

  it('oldest first; by customer within a policy; an unknown policy finds nothing', async () => {
    expect((await list({ filter: JSON.stringify({ customerId: a }), sort: '["evaluatedAt","ASC"]' })).ids).toEqual(ofA().map((m) => m.id));
    const byCustomer = await list({ filter: JSON.stringify({ policy: policy.key }), sort: '["customerId","DESC"]' });
    expect(byCustomer.body.map((d) => d.customerId)).toEqual([b, b, a, a, a].sort().reverse());
    expect(byCustomer.range).toBe('decisions 0-4/5');
    const none = await list({ filter: JSON.stringify({ policy: uniqueKey('no-such-policy') }) });
    expect(none).toMatchObject({ ids: [], range: 'decisions 0-0/0' });
  });

  it('a time window: from and to are inclusive, as query parameters or in the filter', async () => {
    const all = await list({ policy: policy.key, sort: '["evaluatedAt","ASC"]' });
    const at = all.body.map((d) => d.evaluatedAt);
    const window = await list({ policy: policy.key, from: at[1], to: at[3], sort: '["evaluatedAt","ASC"]' });
    expect(window.ids).toEqual(made.slice(1, 4).map((m) => m.id));
    expect(window.range).toBe('decisions 0-2/3');
    const hers = await list({ filter: JSON.stringify({ customerId: b, from: at[2] }) });
    expect(hers.ids).toEqual([made[3].id]);
  });
});
