/** Policies as files (contract §11, issue 13 acceptance 5): export → import round-trips every template; bad files are refused with their paths. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyFile } from '@tierwise/policy-engine';
import { TEMPLATES_DIR, templates } from '../../src/templates/template-library';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

type User = { auth: { Authorization: string }; username: string };
const raw = (name: string): PolicyFile => JSON.parse(readFileSync(join(TEMPLATES_DIR, name), 'utf8')) as PolicyFile;
const every = templates().flatMap((t) => t.versions.map((v) => v.file));

describe('policy files', () => {
  let t: TestApp & { db: import('pg').Client };
  let author: User;
  let approver: User;
  let viewer: User;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    viewer = await t.login(['viewer']);
  });
  afterAll(() => t.close());

  const auditCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);
  const cardFile = () => ({ ...raw('cib-card.policy.json'), policy: { key: 'files-card', name: '卡（文件）' } });

  it.each(every)('%s: import → export gives the same file, exactly', async (name) => {
    const file = raw(name);
    // the first file of a template starts its policy; a later one (icbc-star.policy.json after v1) adds a draft to it
    const res = await t.http.post('/api/policies/import').set(author.auth).send(file).expect(201);
    expect(res.body.version).toMatchObject({ status: 'draft' });
    expect(res.body.version.validation.errors).toEqual([]);
    const out = await t.http.get(`/api/policies/${res.body.policy.id}/export`).query({ version: res.body.version.id }).set(viewer.auth).expect(200);
    expect(out.headers['content-disposition']).toBe(`attachment; filename="${file.policy.key}.v${res.body.version.number}.policy.json"`);
    expect(out.body).toEqual(file);
    const run = await t.http.post(`/api/policy-versions/${res.body.version.id}/test-run`).set(author.auth).expect(200);
    expect(run.body.failed).toBe(0);
  });

  it('a second file of an existing policy adds a draft to it and keeps equal test cases', async () => {
    const list = await t.http
      .get('/api/policies')
      .query({ filter: JSON.stringify({ q: 'icbc-star' }) })
      .set(viewer.auth)
      .expect(200);
    const icbc = list.body.find((p: { key: string }) => p.key === 'icbc-star');
    expect(icbc.latestVersionNumber).toBe(2);
    const cases = await t.http.get(`/api/policies/${icbc.id}/test-cases`).query({ range: '[0,99]' }).set(viewer.auth).expect(200);
    expect(cases.body).toHaveLength(raw('icbc-star.policy.json').testCases.length);
  });

  it('imports a multipart upload (field "file") the same way; the draft goes through four-eyes', async () => {
    const res = await t.http
      .post('/api/policies/import')
      .set(author.auth)
      .attach('file', Buffer.from(JSON.stringify(cardFile()), 'utf8'), { filename: 'files-card.policy.json', contentType: 'application/json' })
      .expect(201);
    expect(res.body).toMatchObject({
      policy: { key: 'files-card', name: '卡（文件）' },
      createdPolicy: true,
      testCases: { added: cardFile().testCases.length, kept: 0 },
    });
    await t.http.post(`/api/policy-versions/${res.body.version.id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${res.body.version.id}/approve`).set(author.auth).send({}).expect(403);
    await t.http.post(`/api/policy-versions/${res.body.version.id}/approve`).set(approver.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${res.body.version.id}/publish`).set(approver.auth).send({}).expect(200);
    // without ?version the version in effect is exported
    const out = await t.http.get(`/api/policies/${res.body.policy.id}/export`).set(viewer.auth).expect(200);
    expect(out.body).toEqual(cardFile());
  });

  it.each([
    ['a wrong format', (f: PolicyFile) => ({ ...f, format: 'tierwise.policy/9' }), 'format'],
    [
      'an unknown fact in a tier',
      (f: PolicyFile) => ({
        ...f,
        definition: {
          ...f.definition,
          tiers: [{ ...f.definition.tiers[0], when: { all: [{ fact: 'noSuchFact', operator: 'equal', value: 1 }] } }, ...f.definition.tiers.slice(1)],
        },
      }),
      'definition.tiers[0].when.all[0].fact',
    ],
    [
      'a fact of an unknown type',
      (f: PolicyFile) => ({ ...f, catalog: { ...f.catalog, facts: [{ ...f.catalog.facts[0], type: 'money' }, ...f.catalog.facts.slice(1)] } }),
      'catalog.facts[0].type',
    ],
    [
      'a test case expecting no such tier',
      (f: PolicyFile) => ({ ...f, testCases: [{ ...f.testCases[0], expectedTier: 'DIAMOND' }] }),
      'testCases[0].expectedTier',
    ],
    [
      'a package naming a benefit the file lacks',
      (f: PolicyFile) => ({ ...f, catalog: { ...f.catalog, benefits: f.catalog.benefits.slice(1) } }),
      'catalog.benefitPackages',
    ],
    [
      'a tier whose package the file lacks',
      (f: PolicyFile) => ({ ...f, catalog: { ...f.catalog, benefitPackages: f.catalog.benefitPackages.slice(1) } }),
      'definition.tiers',
    ],
    ['an unknown property', (f: PolicyFile) => ({ ...f, versions: [] }), ''],
  ] as const)('refuses %s with 422, the path, and writes nothing', async (_name, spoil, path) => {
    const before = await auditCount();
    const res = await t.http.post('/api/policies/import').set(author.auth).send(spoil(cardFile())).expect(422);
    expect(res.body.error).toBeDefined();
    expect(res.body).toMatchObject({ statusCode: 422, code: 'POLICY_FILE_INVALID' });
    expect(res.body.details.map((d: { path: string }) => d.path).some((p: string) => p.startsWith(path))).toBe(true);
    expect(await auditCount()).toBe(before);
  });

  it('refuses an upload that is not JSON, or has no file, with 422 at "file"', async () => {
    const notJson = await t.http
      .post('/api/policies/import')
      .set(author.auth)
      .attach('file', Buffer.from('{"format": tierwise', 'utf8'), { filename: 'x.policy.json', contentType: 'application/json' })
      .expect(422);
    expect(notJson.body).toMatchObject({ code: 'POLICY_FILE_UNREADABLE', details: [{ path: 'file' }] });
    const none = await t.http.post('/api/policies/import').set(author.auth).field('name', 'x').expect(422);
    expect(none.body).toMatchObject({ code: 'POLICY_FILE_UNREADABLE', details: [{ path: 'file' }] });
  });

  it('refuses an upload over 10 MB with 413 POLICY_FILE_TOO_LARGE at "file", and a second file with 422, writing nothing', async () => {
    const before = await auditCount();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20); // 10 MB and a byte of white space: still JSON-shaped, too large
    const tooLarge = await t.http
      .post('/api/policies/import')
      .set(author.auth)
      .attach('file', big, { filename: 'big.policy.json', contentType: 'application/json' })
      .expect(413);
    expect(tooLarge.body).toMatchObject({ code: 'POLICY_FILE_TOO_LARGE', details: [{ path: 'file', message: 'too large' }] });
    const file = Buffer.from(JSON.stringify(cardFile()), 'utf8');
    const two = await t.http
      .post('/api/policies/import')
      .set(author.auth)
      .attach('file', file, { filename: 'a.policy.json', contentType: 'application/json' })
      .attach('file', file, { filename: 'b.policy.json', contentType: 'application/json' })
      .expect(422);
    expect(two.body).toMatchObject({ code: 'POLICY_FILE_UNREADABLE', details: [{ path: 'file' }] });
    expect(await auditCount()).toBe(before);
  });

  it('keeps an existing catalog item with other wording, but refuses one with another meaning (409 naming it), writing nothing', async () => {
    await t.http.post('/api/facts').set(author.auth).send({ key: 'filesScore', label: '得分（本行）', type: 'number' }).expect(201);
    const file = cardFile();
    const withFact = (type: string): PolicyFile => ({
      ...file,
      policy: { key: `files-fact-${type}`, name: 'x' },
      catalog: { ...file.catalog, facts: [...file.catalog.facts, { key: 'filesScore', label: '得分', type: type as 'number', sensitivity: 'internal' }] },
    });
    const ok = await t.http.post('/api/policies/import').set(author.auth).send(withFact('number')).expect(201);
    expect(ok.body.addedToCatalog).not.toContain('filesScore');
    expect((await t.http.get('/api/facts/filesScore').set(author.auth).expect(200)).body.label).toBe('得分（本行）');
    const before = await auditCount();
    const clash = await t.http.post('/api/policies/import').set(author.auth).send(withFact('integer')).expect(409);
    expect(clash.body).toMatchObject({ code: 'POLICY_FILE_CATALOG_CONFLICT', params: { keys: 'filesScore' } });
    expect(clash.body.details[0].path).toMatch(/^catalog\.facts\[\d+\]$/);
    expect(await auditCount()).toBe(before);
  });

  it('refuses a test case that differs from the existing one of the same name (409)', async () => {
    const file = cardFile();
    const changed = { ...file, testCases: [{ ...file.testCases[0], expectedTier: file.testCases[0].expectedTier === 'SILVER' ? 'GOLD' : 'SILVER' }] };
    const res = await t.http.post('/api/policies/import').set(author.auth).send(changed).expect(409);
    expect(res.body).toMatchObject({ code: 'POLICY_FILE_TEST_CASE_CONFLICT', details: [{ path: 'testCases[0]' }] });
  });

  it('enforces roles: readers export, authors import', async () => {
    await t.http.post('/api/policies/import').set(viewer.auth).send(cardFile()).expect(403);
    await t.http.post('/api/policies/import').set(approver.auth).send(cardFile()).expect(403);
    await t.http.post('/api/policies/import').send(cardFile()).expect(401);
    const list = await t.http.get('/api/policies').set(viewer.auth).expect(200);
    await t.http.get(`/api/policies/${list.body[0].id}/export`).query({ version: 'nope' }).set(viewer.auth).expect(404);
    await t.http.get(`/api/policies/${list.body[0].id}/export`).expect(401);
  });
});
