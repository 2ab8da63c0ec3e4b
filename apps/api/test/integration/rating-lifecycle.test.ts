/**
 * Issue 11 acceptance 1: four monthly runs over the same customers with grace 1, one step down and a
 * keepWhen, through the API — each customer's official tier after each run, and the history: a
 * customer rated two tiers lower moves down only one step and only after the grace run; a move down
 * restarts the count; keepWhen keeps a customer in place; qualifying again restarts the count.
 */
import { createTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from './simulation-fixtures';
import { Auth, propose, snapshot, tierOf } from './rating-fixtures';

// The shared 2-core machine runs several engineers' suites at once: setting up the app and catalog alone took > 60 s there.
jest.setTimeout(180_000);

const assets = (v: number) => ({ all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: v }] });

describe('lifecycle over four monthly runs', () => {
  let t: TestApp;
  let author: { auth: Auth };
  let approver: { auth: Auth };
  const key = `lc-${Date.now().toString(36)}`;
  const c = (n: number) => `${key}-${n}`;

  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    const policy = await t.http.post('/api/policies').set(author.auth).send({ key, name: 'lifecycle ladder' }).expect(201);
    const definition = {
      schemaVersion: 1,
      lifecycle: { downgradeGraceRuns: 1, maxDowngradeSteps: 1 },
      tiers: [
        { key: 'BLACK', name: '黑金', nameEn: 'Black', when: assets(1_000_000) },
        { key: 'PLATINUM', name: '白金', nameEn: 'Platinum', when: assets(300_000), keepWhen: assets(250_000) },
        { key: 'GOLD', name: '金', nameEn: 'Gold', when: assets(100_000) },
        { key: 'SILVER', name: '银', nameEn: 'Silver' },
      ],
    };
    const v = await t.http.post(`/api/policies/${policy.body.id}/versions`).set(author.auth).send({ definition }).expect(201);
    await t.http.post(`/api/policy-versions/${v.body.id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v.body.id}/approve`).set(approver.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v.body.id}/publish`).set(approver.auth).send({}).expect(200);
    await new Promise((r) => setTimeout(r, 1100)); // the evaluation timeline cache
  });
  afterAll(() => t.close());

  const month = async (asOf: string, values: number[]) => {
    const ds = await snapshot(
      t,
      author.auth,
      asOf,
      values.map((v, i) => ({ customerId: c(i + 1), avgDailyAssets: v })),
    );
    const run = await propose(t, author.auth, { policy: key, datasetId: ds });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    const tiers = [];
    for (let i = 1; i <= values.length; i++) tiers.push((await tierOf(t, author.auth, c(i), key)).body.tier?.key ?? null);
    return {
      result: run.result as Record<string, unknown> & { samples: { rule: string; customers: { customerId: string; lifecycle: { en: string } }[] }[] },
      tiers,
    };
  };

  it('moves customers by the rules, run after run', async () => {
    //                              c1 BLACK→…   c2 PLATINUM   c3 GOLD   c4 SILVER
    const jan = await month('2026-01-31', [1_200_000, 400_000, 150_000, 50_000]);
    expect(jan.tiers).toEqual(['BLACK', 'PLATINUM', 'GOLD', 'SILVER']);
    expect(jan.result).toMatchObject({ entered: 4 });

    // c1 rated two lower (GOLD): grace 1 of 1, kept; c2 at 270,000: keepWhen holds, kept;
    // c3 rated SILVER: grace, kept; c4 upgraded at once.
    const feb = await month('2026-02-28', [150_000, 270_000, 50_000, 2_000_000]);
    expect(feb.tiers).toEqual(['BLACK', 'PLATINUM', 'GOLD', 'BLACK']);
    expect(feb.result).toMatchObject({ held: 3, upgrades: 1, downgrades: 0, heldBy: { grace: 2, 'keep-when': 1 } });
    const kept = feb.result.samples.find((s) => s.rule === 'grace' && s.customers.some((x) => x.customerId === c(1)));
    expect(kept?.customers[0].lifecycle.en).toBe('kept Black: grace 1 of 1 (rated Gold)');

    // c1 still rated GOLD after the grace run: down ONE step, to PLATINUM; c2 kept again by keepWhen;
    // c3 qualifies again for GOLD: unchanged, count restarts.
    const mar = await month('2026-03-31', [150_000, 270_000, 150_000, 2_000_000]);
    expect(mar.tiers).toEqual(['PLATINUM', 'PLATINUM', 'GOLD', 'BLACK']);
    expect(mar.result).toMatchObject({ downgrades: 1, held: 1, unchanged: 2 });

    // c1: the move down restarted the count — rated GOLD again, kept (grace 1 of 1), not moved;
    // c2 below keepWhen: now rated below, grace starts; c3 rated SILVER: grace 1 of 1 again (the count had restarted).
    const apr = await month('2026-04-30', [150_000, 90_000, 50_000, 2_000_000]);
    expect(apr.tiers).toEqual(['PLATINUM', 'PLATINUM', 'GOLD', 'BLACK']);
    expect(apr.result).toMatchObject({ held: 3, unchanged: 1, downgrades: 0, heldBy: { grace: 3 } });

    const history = await t.http
      .get(`/api/customers/${c(1)}/tiers`)
      .query({ policy: key })
      .set(author.auth)
      .expect(200);
    expect(history.body.map((h: { tier: { key: string }; change: string; previousTier: string | null }) => [h.tier.key, h.change, h.previousTier])).toEqual([
      ['BLACK', 'enter', null],
      ['PLATINUM', 'downgrade', 'BLACK'],
    ]);
    expect(history.body[1].reason).toMatchObject({ code: 'max-steps', ratedTier: 'GOLD' });
    expect(history.body[1].reason.en).toContain('at most 1 step');
    const c2 = await t.http
      .get(`/api/customers/${c(2)}/tiers`)
      .query({ policy: key })
      .set(author.auth)
      .expect(200);
    expect(c2.body).toHaveLength(1); // kept all along: no change, no history row
  });
});
